// Test paper: every choice is saved at once. Answers that cannot be sent (connection lost) are
// kept in this browser's storage and sent as soon as the connection returns or the page is
// opened again, so a dropped connection loses nothing.
(function () {
  "use strict";
  const form = document.getElementById("test-paper");
  if (!form) return;
  const url = form.dataset.answerUrl;
  const storageKey = "himaya-pending-" + form.dataset.attempt;
  const state = document.getElementById("save-state");
  let pending = {};
  // Once this page is being left (a reload, another page), a save that completes must not
  // clear its answer from storage: the next page may already have been drawn, by the server,
  // before that save was written, and it must find the answer here to show it (sending it
  // again is harmless). beforeunload comes when the navigation starts, pagehide at the latest.
  let leaving = false;
  function leave() { leaving = true; }
  window.addEventListener("beforeunload", leave);
  window.addEventListener("pagehide", leave);
  try { pending = JSON.parse(localStorage.getItem(storageKey) || "{}"); } catch (e) { pending = {}; }

  function token() {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function keep() { localStorage.setItem(storageKey, JSON.stringify(pending)); }
  function show(kind) { state.textContent = state.dataset[kind]; state.dataset.state = kind; }

  function selectedOf(block) {
    return Array.from(block.querySelectorAll("input:checked")).map(function (i) { return i.value; });
  }

  function send(question) {
    const selected = pending[question];
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token() },
      body: JSON.stringify({ question: question, selected: selected }),
    }).then(function (response) {
      if (response.ok || response.status === 409 || response.status === 400) {
        // Saved, or refused for good (time over, already submitted): stop retrying it.
        if (leaving) return response.ok;
        if (JSON.stringify(pending[question]) === JSON.stringify(selected)) delete pending[question];
        keep();
        return response.ok;
      }
      throw new Error("HTTP " + response.status);
    });
  }

  // A save that fails (no connection, or the server busy for a moment) is tried again later,
  // every few seconds and also as soon as the browser says it is back online.
  let retry = null;
  function retryLater() {
    if (retry || leaving) return;
    retry = window.setTimeout(function () { retry = null; flush(); }, 3000);
  }

  function sendAll() {
    const questions = Object.keys(pending);
    if (!questions.length) { show("saved"); return Promise.resolve(); }
    show("saving");
    return questions.reduce(function (chain, q) { return chain.then(function () { return send(q); }); }, Promise.resolve())
      .then(function () {
        if (Object.keys(pending).length) { show("offline"); retryLater(); } else { show("saved"); }
      })
      .catch(function () { show("offline"); retryLater(); });
  }

  // One round of saves at a time, in order: answers given while a round is on the way go in
  // the next round (a quick reader does not send twenty requests at once, nor out of order).
  let running = null;
  let again = false;
  function flush() {
    if (running) { again = true; return running; }
    running = sendAll().then(function () {
      running = null;
      if (again) { again = false; return flush(); }
    });
    return running;
  }

  // Answers kept from an earlier visit win over what the page shows: they are newer.
  Object.keys(pending).forEach(function (question) {
    const block = form.querySelector('[data-question="' + CSS.escape(question) + '"]');
    if (!block) return;
    block.querySelectorAll("input").forEach(function (input) { input.checked = pending[question].indexOf(input.value) !== -1; });
  });

  form.addEventListener("change", function (event) {
    const block = event.target.closest("[data-question]");
    if (!block) return;
    pending[block.dataset.question] = selectedOf(block);
    keep();
    flush();
  });
  function submitNow() {
    if (!Object.keys(pending).length) { form.submit(); return; }
    flush().then(function () { if (!Object.keys(pending).length) form.submit(); });
  }

  // Submitting asks first, in the page, with the number of questions left blank (without
  // JavaScript the server asks on a page of its own).
  const confirmPanel = document.getElementById("submit-confirm");
  const confirmed = document.getElementById("submit-confirmed");
  const submitButton = document.getElementById("submit-test");
  function blankBlocks() {
    return Array.from(form.querySelectorAll("[data-question]")).filter(function (block) {
      return !block.querySelector("input:checked");
    });
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return String(values[name]); });
  }
  function askConfirmation() {
    const total = form.querySelectorAll("[data-question]").length;
    const blank = blankBlocks().length;
    const text = confirmPanel.querySelector("#submit-confirm-text strong");
    text.textContent = fill(blank ? confirmPanel.dataset.blank : confirmPanel.dataset.none, { blank: blank, total: total });
    confirmPanel.querySelector("#confirm-submit").textContent = blank ? confirmPanel.dataset.submitAnyway : confirmPanel.dataset.submit;
    confirmPanel.dataset.blankCount = String(blank);
    confirmPanel.hidden = false;
    submitButton.setAttribute("aria-expanded", "true");
    confirmPanel.focus();
  }
  function cancelConfirmation() {
    confirmPanel.hidden = true;
    submitButton.setAttribute("aria-expanded", "false");
    const first = blankBlocks()[0];
    const input = first ? first.querySelector("input") : null;
    (input || submitButton).focus();
  }
  if (confirmPanel) {
    submitButton.setAttribute("aria-controls", "submit-confirm");
    submitButton.setAttribute("aria-expanded", "false");
    confirmPanel.querySelector("#confirm-submit").addEventListener("click", function () {
      confirmed.value = "1";
      submitNow();
    });
    confirmPanel.querySelector("#cancel-submit").addEventListener("click", cancelConfirmation);
    confirmPanel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); cancelConfirmation(); }
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (confirmPanel && confirmed.value !== "1") { askConfirmation(); return; }
    submitNow();
  });
  window.addEventListener("online", flush);
  flush();
})();
