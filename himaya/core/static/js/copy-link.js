// "Copy" buttons: <button data-copy="ID of an input" data-copied="…" data-failed="…">. The texts
// come translated from the page; where the clipboard is refused, the address is selected instead.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    const status = button.closest(".field") ? button.closest(".field").querySelector(".copy-status") : null;
    function say(message) { if (status) status.textContent = message; }
    function fallback() { input.focus(); input.select(); say(button.dataset.failed); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { say(button.dataset.copied); }, fallback);
    } else {
      fallback();
    }
  });
})();
