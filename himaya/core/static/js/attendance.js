// Attendance sheet: each tap is sent at once; the page never reloads. Without JavaScript
// the same buttons submit the form and the server redirects back to the participant.
(function () {
  "use strict";
  const list = document.querySelector(".attendance-list");
  if (!list) return;
  const endpoint = list.dataset.endpoint;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function refreshCounts() {
    const counts = { present: 0, late: 0, excused: 0, absent: 0, not_expected: 0, unrecorded: 0 };
    list.querySelectorAll(".attendee").forEach(function (item) {
      const pressed = item.querySelector('button[aria-pressed="true"]');
      counts[pressed ? pressed.value.split(":")[1] : "unrecorded"] += 1;
    });
    document.querySelectorAll("#attendance-summary [data-count]").forEach(function (span) {
      const strong = span.querySelector("strong");
      if (strong) strong.textContent = counts[span.dataset.count];
    });
  }

  list.addEventListener("click", function (event) {
    const button = event.target.closest(".status-buttons button");
    if (!button) return;
    event.preventDefault();
    const item = button.closest(".attendee");
    const note = item.querySelector(".saved");
    item.classList.add("saving");
    item.classList.remove("failed");
    fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify({ participant: item.dataset.participant, status: button.value.split(":")[1] }),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok || !data.ok) throw new Error(data.error || list.dataset.error);
          return data;
        });
      })
      .then(function (data) {
        item.querySelectorAll(".status-buttons button").forEach(function (b) {
          b.setAttribute("aria-pressed", b.value.split(":")[1] === data.status ? "true" : "false");
        });
        note.textContent = list.dataset.saved + " " + data.recorded_at;
        refreshCounts();
      })
      .catch(function (error) {
        item.classList.add("failed");
        note.textContent = error && error.message ? error.message : list.dataset.error;
      })
      .finally(function () {
        item.classList.remove("saving");
      });
  });
})();
