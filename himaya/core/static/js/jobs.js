// Follows a background job: asks its status every second and reloads the page when it ends.
(function () {
  "use strict";
  var panel = document.querySelector("[data-job-status-url]");
  if (!panel || panel.dataset.jobFinished === "1") return;
  var url = panel.dataset.jobStatusUrl;
  var bar = panel.querySelector("progress");
  var label = panel.querySelector("[data-job-label]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 3000); return; }
        if (bar) { bar.value = data.percent; bar.textContent = data.percent + " %"; }
        if (label) { label.textContent = data.status_label; }
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
