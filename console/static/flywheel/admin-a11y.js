/* What Django's own admin widgets leave unnamed or unreachable, repaired once they are drawn
   (axe: aria-prohibited-attr, aria-input-field-name, label, scrollable-region-focusable).
   - The filter boxes' search icons carry aria-label on a bare span: they become images.
   - An autocomplete's combobox (select2) is named after its field's label.
   - A split date and time (a user's last login) names each half after the field.
   - An inline table that scrolls sideways on a phone can be reached with the keyboard.
   - A list's search box is named in words (its label holds only an icon). */
(function () {
  "use strict";
  function labelOf(id, element) {
    var label = id && document.querySelector('label[for="' + id + '"]');
    var row = !label && element && element.closest(".form-row, .fieldBox");
    label = label || (row && row.querySelector("label"));
    return label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
  }
  function repair() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.parentElement.querySelector('.select2-selection[role="combobox"]');
      var name = labelOf(select.id, select);
      if (box && name && !box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", name);
        box.removeAttribute("aria-labelledby");
        var shown = box.querySelector('.select2-selection__rendered[role="textbox"]');
        if (shown) shown.setAttribute("aria-label", name + ": chosen");
      }
    });
    document.querySelectorAll(".datetime input[id$='_0'], .datetime input[id$='_1']").forEach(function (input) {
      var name = labelOf("", input);
      if (name && !input.labels.length && !input.hasAttribute("aria-label")) {
        input.setAttribute("aria-label", name + (input.id.slice(-2) === "_0" ? ": date" : ": time"));
      }
    });
    var search = document.getElementById("searchbar");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    document.querySelectorAll(".inline-group").forEach(function (group) {
      if (group.scrollWidth > group.clientWidth && !group.hasAttribute("tabindex")) {
        group.setAttribute("tabindex", "0");
      }
    });
  }
  // After the widgets have drawn themselves: the autocompletes on jQuery's ready (queued
  // after autocomplete.js's own handler), the filter boxes on load (registered before this).
  if (window.django && window.django.jQuery) window.django.jQuery(repair);
  window.addEventListener("load", function () { repair(); window.setTimeout(repair, 300); });
  window.addEventListener("resize", repair);
})();
