/* Light or dark: the reader's choice (kept in localStorage), else the system's
   (prefers-color-scheme). Loaded in <head> without defer, so the page is painted in the
   right theme from the start (a script file: the CSP allows no inline script). */
(function () {
  var KEY = "linkhome-theme";
  var root = document.documentElement;
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function apply(choice) {
    if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
  }
  function current() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-switch");
    if (!button) return;
    function label() { button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false"); }
    label();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      apply(next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: this page only */ }
      label();
    });
  });
})();
