// The score page's +/− buttons change the number in the field beside them, and nothing else: the form
// still sends the whole score, so a tap that is lost or sent twice cannot add a goal. Without this file
// the buttons stay hidden and the numbers are typed.
(function () {
  document.documentElement.classList.add("score-js");
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-step]") : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute("aria-controls"));
    if (!input) return;
    var value = parseInt(input.value, 10);
    if (isNaN(value)) value = 0;
    var low = parseInt(input.min || "0", 10);
    var high = parseInt(input.max || "99", 10);
    value = Math.min(high, Math.max(low, value + parseInt(button.getAttribute("data-step"), 10)));
    input.value = String(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
