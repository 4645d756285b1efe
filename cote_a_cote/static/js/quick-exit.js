/* Quick exit: leave for a neutral site at once, without leaving this page in the Back history.
 *
 * The button is a plain link to the neutral site, so it works without JavaScript. With JavaScript,
 * the button and Shift pressed three times within a second replace the page (location.replace),
 * so pressing Back afterwards does not bring this page back.
 *
 * Only a *lone* Shift counts, as in GOV.UK's "Exit this page": Shift pressed and released with no
 * other key (and no click) in between. Typing a capital, Shift+Tab or Shift+arrow resets the count,
 * so the page never leaves while someone types or moves back through a form.
 *
 * The button is fixed at the top of the screen: when the focus lands under it (zoomed or narrow
 * screens), the page scrolls just enough for the focused control to show.
 */
(function () {
  "use strict";

  var button = document.getElementById("quick-exit");
  if (!button) {
    return;
  }
  var block = button.parentNode;
  var status = block.querySelector(".quick-exit__status");
  var target = button.getAttribute("data-quick-exit-url") || button.getAttribute("href");
  var WINDOW_MS = 1000;
  var leaving = false;
  var presses = [];       // times of lone Shift releases, within the last second
  var shiftDown = false;  // Shift is held and nothing else happened since it went down
  var clearHint = null;

  function leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    // Hide the page first: the neutral site may take a moment to load.
    document.documentElement.classList.add("is-leaving");
    document.title = "";
    window.location.replace(target);
  }

  function hint(text) {
    if (!status) {
      return;
    }
    status.textContent = text;
    window.clearTimeout(clearHint);
    clearHint = window.setTimeout(function () {
      status.textContent = "";
    }, WINDOW_MS);
  }

  function reset() {
    presses = [];
    shiftDown = false;
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) {
        shiftDown = true;
      }
      return;
    }
    // Any other key, alone or with Shift, is typing or moving: start counting again.
    reset();
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      return;
    }
    if (!shiftDown) {
      return;  // Shift went up after another key: it was a modifier, not a lone press
    }
    shiftDown = false;
    var now = Date.now();
    presses = presses.filter(function (time) {
      return now - time < WINDOW_MS;
    });
    presses.push(now);
    if (presses.length >= 3) {
      reset();
      leave();
    } else {
      hint(block.getAttribute(presses.length === 1 ? "data-hint-two" : "data-hint-one") || "");
    }
  }, true);

  // Shift+click selects text: not a lone press either. Leaving the window forgets the count.
  document.addEventListener("mousedown", reset, true);
  window.addEventListener("blur", reset);

  // Never let the fixed button hide the control that has the focus.
  document.addEventListener("focusin", function (event) {
    var focused = event.target;
    if (!focused || focused === document.body || block.contains(focused)) {
      return;
    }
    var cover = button.getBoundingClientRect();
    var rect = focused.getBoundingClientRect();
    var overlaps = rect.top < cover.bottom && rect.bottom > cover.top
      && rect.left < cover.right && rect.right > cover.left;
    if (overlaps && window.getComputedStyle(block).position === "fixed") {
      window.scrollBy(0, rect.top - cover.bottom - 8);
    }
  });
})();
