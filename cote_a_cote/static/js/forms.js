/* Errors the GOV.UK way: after a failed submit the focus goes to the error summary, so a screen
 * reader announces it and a keyboard user starts from it; each error link then moves the focus to
 * its field (the first box of a group) and shows the field's label or legend above it.
 */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();

  function labelFor(input) {
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    if (legend && (input.type === "checkbox" || input.type === "radio")) {
      return legend;
    }
    return document.querySelector("label[for='" + input.id + "']") || input;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) {
      return;
    }
    if (!target.matches("input, select, textarea, button")) {
      target = target.querySelector("input, select, textarea, button") || target;
    }
    event.preventDefault();
    // A field folded in a closed disclosure is shown first.
    for (var folded = target.closest("details"); folded; folded = folded.parentNode.closest("details")) {
      folded.open = true;
    }
    labelFor(target).scrollIntoView();
    target.focus({ preventScroll: true });
  });
})();
