/* Live search: results update as you type or tick, without leaving the page.
 *
 * Without JavaScript the search form is a plain GET form. With it, every change fetches the same
 * URL with the X-Search-Partial header; the server answers with the results region only, which
 * replaces the current one. The address bar follows (history.replaceState), so the URL always
 * holds the filters being shown and can be bookmarked or shared.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var region = document.getElementById("search-results");
  var live = document.getElementById("search-live");
  if (!form || !region || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var header = region.getAttribute("data-partial-header") || "X-Search-Partial";
  var TYPING_DELAY = 300;
  var TICK_DELAY = 80;
  var timer = null;
  var controller = null;
  var latest = 0;

  // The filters fold into a disclosure on small screens only; wide screens keep them open.
  var wide = window.matchMedia ? window.matchMedia("(min-width: 48em)") : null;
  function openFiltersIfWide(wasOpen) {
    var filters = document.getElementById("search-filters");
    if (filters && (wasOpen || (wide && wide.matches))) {
      filters.open = true;
    }
  }
  function openOptionsIfWide() {
    var options = document.getElementById("search-options");
    if (options && wide && wide.matches) {
      options.open = true;
    }
  }
  openFiltersIfWide(false);
  openOptionsIfWide();
  if (wide && wide.addEventListener) {
    wide.addEventListener("change", function () {
      openFiltersIfWide(false);
      openOptionsIfWide();
    });
  }

  function searchUrl() {
    var params = new URLSearchParams();
    var data = new FormData(form);
    data.forEach(function (value, name) {
      // Empty fields and the default sort stay out of the address: it keeps only real filters.
      if (value !== "" && !(name === "sort" && value === "relevance")) {
        params.append(name, value);
      }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function announce() {
    var count = document.getElementById("search-count");
    if (live && count) {
      live.textContent = count.textContent.trim();
    }
  }

  function refresh() {
    var url = searchUrl();
    var ticket = ++latest;
    var focused = document.activeElement && region.contains(document.activeElement)
      ? document.activeElement.id : null;
    var filters = document.getElementById("search-filters");
    var filtersOpen = filters ? filters.open : false;
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    region.setAttribute("aria-busy", "true");
    var headers = {};
    headers[header] = "1";
    fetch(url, {
      headers: headers,
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("search failed");
      }
      return response.text();
    }).then(function (html) {
      if (ticket !== latest) {
        return;  // an answer to an older search arrived late
      }
      region.innerHTML = html;  // rendered and escaped by the server's templates
      openFiltersIfWide(filtersOpen);  // a disclosure someone opened stays open
      region.removeAttribute("aria-busy");
      window.history.replaceState(null, "", url);
      if (focused) {
        // The ticked box was replaced by its new copy: give the focus back to it.
        var again = document.getElementById(focused);
        if (again) {
          again.focus();
        }
      }
      announce();
    }).catch(function (error) {
      region.removeAttribute("aria-busy");
      if (error && error.name === "AbortError") {
        return;
      }
      // Fall back to the plain form: the page reloads with the same filters.
      form.submit();
    });
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, delay);
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.type === "search" || target.type === "text") {
      // The municipality is looked up once it is complete (on change), not letter by letter.
      if (target.name !== "near") {
        schedule(TYPING_DELAY);
      }
    }
  });

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "search" || (target.type === "text" && target.name !== "near")) {
      return;  // already handled while typing
    }
    schedule(TICK_DELAY);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    schedule(0);
  });
})();
