/* The organisation's own intake questions shown and hidden as the answer they depend on
   changes, without a save. The server renders every question of the department: one whose
   condition is not met is hidden and disabled (a disabled field posts nothing), inside an
   element that names the answer it depends on (data-shown-when, a field's name) and the
   values that show it (data-shown-values, a JSON list). Without JavaScript the server decides
   after a post, as the note on the page says; with it the note goes. */
(function () {
  var form = document.querySelector("form.intake");
  if (!form) { return; }
  var guarded = form.querySelectorAll("[data-shown-when]");
  if (!guarded.length) { return; }

  function answers(name) {
    // The values the field on the form holds now; none when it is hidden or disabled.
    var values = [];
    form.querySelectorAll("[name='" + CSS.escape(name) + "']").forEach(function (input) {
      if (input.disabled || input.closest("[hidden]")) { return; }
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) { return; }
      if (input.tagName === "SELECT" && input.multiple) {
        Array.prototype.forEach.call(input.selectedOptions, function (o) { values.push(o.value); });
        return;
      }
      if (input.value !== "") { values.push(input.value); }
    });
    return values;
  }

  function refresh() {
    // A question may depend on one that is itself conditional: repeat until nothing moves.
    for (var pass = 0; pass <= guarded.length; pass += 1) {
      var moved = false;
      guarded.forEach(function (box) {
        var wanted = JSON.parse(box.getAttribute("data-shown-values"));
        var shown = answers(box.getAttribute("data-shown-when")).some(function (value) {
          return wanted.indexOf(value) >= 0;
        });
        if (box.hidden === !shown) { return; }
        moved = true;
        box.hidden = !shown;
        box.querySelectorAll("input, select, textarea").forEach(function (input) {
          input.disabled = !shown;
        });
      });
      if (!moved) { return; }
    }
  }

  form.querySelectorAll("[data-without-script]").forEach(function (note) { note.remove(); });
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
})();
