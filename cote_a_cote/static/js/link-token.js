/* Opening an e-mailed link (invitation, new password, address confirmation).
 *
 * The link carries its secret after "#": browsers never send that part to any server, so the
 * secret reaches no access log, proxy log or history on the server side. This script moves it
 * from the address bar into the page's form, removes it from the address bar and history entry,
 * and posts the form. Without JavaScript the person pastes the link into the same form.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-link-token]");
  var secret = window.location.hash.slice(1);
  if (!form || !secret) {
    return;
  }
  var field = form.querySelector("input[name='token']");
  if (!field) {
    return;
  }
  field.value = decodeURIComponent(secret);
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  form.submit();
})();
