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
