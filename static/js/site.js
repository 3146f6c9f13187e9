// htmx errors are shown, never swallowed: a volunteer on a weak connection must know a tap did not land.
(function () {
  function banner(text) {
    var box = document.getElementById("connection-problem");
    if (!box) {
      box = document.createElement("p");
      box.id = "connection-problem";
      box.className = "error banner";
      box.setAttribute("role", "alert");
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = text;
    box.hidden = false;
  }
  document.addEventListener("htmx:sendError", function () {
    banner(document.documentElement.dataset.offline || "No connection: nothing was saved. Try again.");
  });
  document.addEventListener("htmx:responseError", function () {
    banner(document.documentElement.dataset.failed || "That did not work. Reload the page and try again.");
  });
  // A print button where there is JavaScript to press it (the browser's own Print works everywhere).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("connection-problem");
    if (box && event.detail.successful) box.hidden = true;
  });
})();

// A tap on a link must open it, even while htmx is busy. Two ways it was lost: a swap that replaced the
// link between the press and the release (they then land on different elements and no click follows),
// and a swap with a history entry arriving after the click had started to leave the page.
(function () {
  var pressed = null; // what a pointer is pressing now
  var held = []; // requests whose swap waited for the press to end, to be made again after it
  var leaving = false; // a click or a form has started to load another page
  var stay = null;

  function opensAnotherPage(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return false;
    }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return false;
    var url = new URL(link.href, location.href);
    return !(url.hash && url.origin + url.pathname + url.search === location.origin + location.pathname + location.search);
  }

  function leave() {
    leaving = true;
    held = [];
    // Still here after all (a file downloaded, the browser's Stop button): carry on after a while, or at once
    // when the person does something else on the page.
    clearTimeout(stay);
    stay = setTimeout(stayed, 10000);
  }
  function stayed() { leaving = false; }

  document.addEventListener("pointerdown", function (event) {
    stayed();
    if (event.isPrimary) pressed = event.target;
  }, true);
  document.addEventListener("keydown", stayed, true);
  function released() {
    // After the click that the release may bring, so that a page about to be left asks for nothing.
    setTimeout(function () {
      pressed = null;
      var again = held;
      held = [];
      if (leaving) return;
      again.forEach(function (request) {
        if (document.body.contains(request.source)) htmx.ajax(request.verb, request.path, { source: request.source });
      });
    }, 0);
  }
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
  document.addEventListener("click", function (event) {
    if (opensAnotherPage(event)) leave();
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) leave();
  });
  window.addEventListener("pageshow", stayed);

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (leaving) event.preventDefault();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (leaving) {
      detail.shouldSwap = false; // and so no history entry either
    } else if (pressed && detail.target && detail.target.contains(pressed)) {
      detail.shouldSwap = false;
      var source = detail.requestConfig.elt;
      held = held.filter(function (request) { return request.source !== source; });
      held.push({ verb: detail.requestConfig.verb, path: detail.pathInfo.requestPath, source: source });
    }
  });
})();

// A field's check answers for what the field held when it was sent. On a slow line the answer can come
// back after the person has typed more into the field: swapping it in then put the old value back, and a
// name typed meanwhile was lost (the form then refused the empty name). Such an answer is dropped; the
// next time the person leaves the field, it is checked again with what it holds.
(function () {
  function held(field) {
    return Array.prototype.map.call(field.querySelectorAll("input, select, textarea"), function (input) {
      return input.type === "checkbox" || input.type === "radio" ? String(input.checked) : input.value;
    }).join("\u0000");
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var field = event.detail.elt;
    if (field.hasAttribute("data-field-check")) field.sentValues = held(field);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var field = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (field && field.hasAttribute("data-field-check") && field.sentValues !== held(field)) {
      event.detail.shouldSwap = false;
    }
  });
})();
