/* Quick exit: leave for a neutral site at once, without leaving this page in the Back history.
 *
 * The button is a plain link to the neutral site, so it works without JavaScript. With JavaScript,
 * the button and Shift pressed three times within a second replace the page (location.replace),
 * so pressing Back afterwards does not bring this page back.
 */
(function () {
  "use strict";

  var button = document.getElementById("quick-exit");
  if (!button) {
    return;
  }
  var target = button.getAttribute("data-quick-exit-url") || button.getAttribute("href");
  var leaving = false;

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

  button.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  var presses = [];
  var WINDOW_MS = 1000;

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) {
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (time) {
      return now - time < WINDOW_MS;
    });
    presses.push(now);
    if (presses.length >= 3) {
      presses = [];
      leave();
    }
  });
})();
