// The new-cycle form: propose the address key from the French title (and the start year) while
// the coordinator types, as a placeholder; the server proposes the same when the field is empty.
(function () {
  "use strict";
  var title = document.getElementById("id_title_fr");
  var start = document.getElementById("id_start_date");
  var slug = document.getElementById("id_slug");
  if (!title || !slug) return;
  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "").trim().replace(/[\s-]+/g, "-").slice(0, 60).replace(/-+$/, "");
  }
  function propose() {
    var base = slugify(title.value) || "cycle";
    var year = start && start.value ? start.value.slice(0, 4) : "";
    if (year && base.indexOf(year) === -1) base += "-" + year;
    slug.placeholder = base;
  }
  title.addEventListener("input", propose);
  if (start) start.addEventListener("change", propose);
  propose();
})();
