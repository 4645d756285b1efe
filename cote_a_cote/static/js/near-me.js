/* "Use my position" on the search page.
 *
 * Where the browser can tell where the device is, a button appears beside the place field. The
 * position is posted once (never put in the address, so it reaches no log or history); the server
 * answers with the nearest municipality's name, which goes into the place field, and the search
 * runs near it as if it had been typed. Nothing is shown without JavaScript or geolocation.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-near-me]");
  if (!box || !navigator.geolocation || !window.fetch || !window.FormData) {
    return;
  }
  var form = box.closest("form");
  var field = form && form.querySelector("input[name='near']");
  var button = box.querySelector("button");
  var status = box.querySelector("[role='status']");
  if (!field || !button || !status) {
    return;
  }
  var messages = {
    asking: box.getAttribute("data-asking"),
    refused: box.getAttribute("data-refused"),
  };

  function say(text) {
    status.textContent = text || "";
  }

  function useName(latitude, longitude) {
    var data = new FormData();
    data.append("csrf_token", box.getAttribute("data-csrf"));
    data.append("latitude", String(latitude));
    data.append("longitude", String(longitude));
    return fetch(box.getAttribute("data-near-me"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (!answer.near) {
          say(answer.error);
          return;
        }
        field.value = answer.near;
        say(answer.message);
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say(messages.asking);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        useName(position.coords.latitude, position.coords.longitude)
          .catch(function () {
            say(messages.refused);
          })
          .then(function () {
            button.disabled = false;
          });
      },
      function () {
        say(messages.refused);
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    );
  });
  box.hidden = false;
})();
