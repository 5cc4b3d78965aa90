/* Intake rows: add and remove metric and data-gap rows; technical metrics choose the business
   metric they move from the business rows' names. Without JavaScript the form still works:
   the server renders spare rows and "Remove this row" checkboxes. */
(function () {
  function rows(box) { return box.querySelectorAll("[data-row]"); }

  function setUpRemove(row) {
    var box = row.querySelector("input[name$='-DELETE']");
    if (!box || row.querySelector("[data-remove]")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "danger";
    button.setAttribute("data-remove", "");
    button.textContent = "Remove";
    button.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      refreshPairs();
    });
    box.closest(".check").hidden = true;
    box.closest(".check").after(button);
  }

  function refreshPairs() {
    var names = [];
    document.querySelectorAll("[data-formset=metrics] [data-row]:not([hidden])").forEach(function (row) {
      var kind = row.querySelector("select[name$='-kind']");
      var name = row.querySelector("input[name$='-name']");
      if (kind && name && kind.value === "business" && name.value.trim()) { names.push(name.value.trim()); }
    });
    document.querySelectorAll("[data-formset=metrics] select[name$='-pairs_with']").forEach(function (select) {
      var current = select.value;
      var row = select.closest("[data-row]");
      var technical = row.querySelector("select[name$='-kind']").value === "technical";
      select.disabled = !technical;
      select.replaceChildren(new Option(technical ? "— choose —" : "(business metrics move themselves)", ""));
      names.forEach(function (n) { select.add(new Option(n, n, false, n === current)); });
      if (current && names.indexOf(current) < 0) { select.add(new Option(current, current, false, true)); }
    });
  }

  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    var total = document.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = box.querySelector("template");
    var add = box.querySelector("[data-add]");
    rows(box).forEach(setUpRemove);
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      add.insertAdjacentHTML("beforebegin", html);
      total.value = String(index + 1);
      var row = rows(box)[rows(box).length - 1];
      setUpRemove(row);
      refreshPairs();
      var first = row.querySelector("input:not([type=hidden]), select");
      if (first) { first.focus(); }
    });
    box.addEventListener("input", refreshPairs);
    box.addEventListener("change", refreshPairs);
  });
  refreshPairs();
})();
