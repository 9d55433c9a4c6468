// Enterprise calculator: add/remove equipment rows (renumbering field names), print.
(function () {
  "use strict";
  var body = document.querySelector("#equipment tbody");
  function renumber() {
    Array.prototype.forEach.call(body.querySelectorAll("tr.eq-row"), function (tr, i) {
      tr.querySelector(".row-no").textContent = i + 1;
      Array.prototype.forEach.call(tr.querySelectorAll("[name]"), function (el) {
        el.name = el.name.replace(/^eq-\d+-/, "eq-" + i + "-");
      });
    });
  }
  var add = document.getElementById("add-row");
  if (add && body) {
    add.addEventListener("click", function () {
      var rows = body.querySelectorAll("tr.eq-row");
      var copy = rows[rows.length - 1].cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("input"), function (el) {
        el.value = el.name.endsWith("-quantity") ? "1" : (el.type === "date" ? el.value : "");
      });
      Array.prototype.forEach.call(copy.querySelectorAll("select"), function (el) { el.selectedIndex = 0; });
      body.appendChild(copy);
      renumber();
    });
    body.addEventListener("click", function (ev) {
      if (!ev.target.classList.contains("remove-row")) return;
      if (body.querySelectorAll("tr.eq-row").length > 1) {
        ev.target.closest("tr").remove();
        renumber();
      }
    });
  }
  var print = document.getElementById("print");
  if (print) print.addEventListener("click", function () { window.print(); });
})();
