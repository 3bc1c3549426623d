// The review screen: selecting text in the decision (mouse, keyboard or touch) fills the
// "add a span" form with its offsets in the original text.
(function () {
  "use strict";
  var decision = document.getElementById("decision");
  var start = document.getElementById("id_start");
  var end = document.getElementById("id_end");
  var shown = document.getElementById("selection-shown");
  if (!decision || !start) return;
  function offset(node, within) {
    var element = node.nodeType === 3 ? node.parentElement : node;
    while (element && element !== decision && !element.hasAttribute("data-start")) element = element.parentElement;
    if (!element || element === decision) return null;
    return parseInt(element.getAttribute("data-start"), 10) + within;
  }
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!decision.contains(range.startContainer) || !decision.contains(range.endContainer)) return;
    var a = offset(range.startContainer, range.startOffset);
    var b = offset(range.endContainer, range.endOffset);
    if (a === null || b === null || b <= a) return;
    start.value = a;
    end.value = b;
    shown.textContent = selection.toString();
  });
})();
