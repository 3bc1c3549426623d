// Instant results for the bench-book search: the same server-rendered results, fetched as the
// person types (debounced), so the page works the same with or without JavaScript.
(function () {
  "use strict";
  const form = document.querySelector("form.bb-search");
  if (!form) return;
  let results = document.getElementById("bb-results");
  if (!results) {
    results = document.createElement("div");
    results.id = "bb-results";
    form.insertAdjacentElement("afterend", results);
  }
  let timer = null;
  let controller = null;

  function run() {
    const params = new URLSearchParams(new FormData(form));
    if (!params.get("q") || !params.get("q").trim()) return;
    params.set("partial", "1");
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(form.dataset.partial + "?" + params.toString(), { signal: controller.signal, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (text) {
        const holder = document.createElement("div");
        holder.innerHTML = text;
        const fresh = holder.querySelector("#bb-results");
        if (fresh) { results.replaceWith(fresh); results = fresh; }
        params.delete("partial");
        history.replaceState(null, "", form.action + "?" + params.toString());
      })
      .catch(function () { /* a newer keystroke aborted this one, or the network failed: keep the last results */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 180);
  });
})();
