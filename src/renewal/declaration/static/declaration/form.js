// Declaration form: add/remove equipment rows, renumbering the fields (eq-<i>-<field>) so that the
// server reads rows 0, 1, 2 … without a gap.
(function () {
  "use strict";
  var body = document.querySelector("#equipment tbody");
  var template = document.getElementById("line-template");
  if (!body || !template) return;
  function renumber() {
    Array.prototype.forEach.call(body.querySelectorAll("tr.eq-row"), function (tr, i) {
      tr.querySelector(".row-no").textContent = i + 1;
      Array.prototype.forEach.call(tr.querySelectorAll("[name]"), function (el) {
        el.name = el.name.replace(/^eq-(\d+|__i__)-/, "eq-" + i + "-");
      });
    });
  }
  document.getElementById("add-row").addEventListener("click", function () {
    body.appendChild(template.content.cloneNode(true));
    renumber();
    var rows = body.querySelectorAll("tr.eq-row");
    rows[rows.length - 1].querySelector("input").focus();
  });
  body.addEventListener("click", function (ev) {
    if (!ev.target.classList.contains("remove-row")) return;
    var tr = ev.target.closest("tr");
    if (body.querySelectorAll("tr.eq-row").length > 1) {
      tr.remove();
    } else {  // the last row is emptied rather than removed
      Array.prototype.forEach.call(tr.querySelectorAll("input"), function (el) { el.value = ""; });
      Array.prototype.forEach.call(tr.querySelectorAll(".err"), function (el) { el.remove(); });
    }
    renumber();
  });
})();
