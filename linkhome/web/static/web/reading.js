/* The reading view's settings (web/snapshots.py READING_CHOICES): a change is applied at
   once to #reader's data-* and kept in the same cookie the server reads, so the next page
   is painted in the reader's choice. Without this script the form posts instead. */
(function () {
  "use strict";
  var COOKIE = "linkhome-reading";
  var ORDER = ["size", "width", "font", "theme"];  // the cookie's value: size.width.font.theme
  var YEAR = 365 * 24 * 3600;

  document.addEventListener("DOMContentLoaded", function () {
    var reader = document.getElementById("reader");
    var form = document.querySelector("#reading-settings form");
    if (!reader || !form) return;
    var apply = form.querySelector("[data-reading-apply]");
    if (apply) apply.hidden = true;  // every change applies itself
    form.addEventListener("change", function () {
      var values = ORDER.map(function (name) {
        var field = form.elements[name];
        var value = field ? field.value : "";
        reader.setAttribute("data-" + name, value);
        return value;
      });
      var secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = COOKIE + "=" + values.join(".") + "; Path=/; Max-Age=" + YEAR + "; SameSite=Lax" + secure;
    });
  });
})();
