// The risk aid, one screen per group: shows one [data-step] at a time with Previous / Next and
// "step n of m". Without JavaScript every screen shows at once and the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-steps]");
  if (!form) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  if (steps.length < 2) return;
  var prev = form.querySelector("[data-prev]");
  var next = form.querySelector("[data-next]");
  var submit = form.querySelector("button[type=submit]");
  var progress = form.querySelector(".aid-progress");
  var template = form.getAttribute("data-progress") || "{n} / {m}";
  var current = 0;
  // Open on the first screen that holds an error, if any.
  steps.forEach(function (step, i) {
    if (current === 0 && step.querySelector("[aria-invalid=true], .errorlist")) current = i;
  });
  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    prev.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    submit.hidden = current !== steps.length - 1;
    progress.hidden = false;
    progress.textContent = template.replace("{n}", current + 1).replace("{m}", steps.length);
  }
  function go(delta) {
    show(current + delta);
    var heading = steps[current].querySelector("h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    window.scrollTo(0, 0);
  }
  prev.addEventListener("click", function () { go(-1); });
  next.addEventListener("click", function () { go(1); });
  show(current);
})();
