/* Keyboard shortcuts: "/" search, "a" add a link, "j"/"k" next and previous item of a list,
   "?" this help (the #shortcuts-help overlay in base.html, translated by the server).
   Never while the reader types in a field, composes with an input method, or holds Ctrl,
   Alt or Cmd: those keys are theirs. */
(function () {
  "use strict";
  var ITEMS = "main .items > li:not(.muted)";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function help() { return document.getElementById("shortcuts-help"); }
  var before = null;  // what had the focus when the help opened

  function showHelp() {
    var box = help();
    if (!box || !box.hidden) return;
    before = document.activeElement;
    box.hidden = false;
    var close = box.querySelector("[data-close-shortcuts]");
    if (close) close.focus();
  }

  function hideHelp() {
    var box = help();
    if (!box || box.hidden) return;
    box.hidden = true;
    if (before && before.focus) before.focus();
    before = null;
  }

  function focusSearch() {
    var field = document.querySelector("#search input[name=q]");
    if (!field) return false;
    field.focus();
    field.select();
    return true;
  }

  function openAdd() {
    var field = document.querySelector("#add-link input[name=url]");
    // the reading view's compact header hides the add box (reading.css): the add window then
    if (field && field.getClientRects().length) { field.focus(); return true; }
    var box = help();  // signed out: the add window, which asks to sign in first
    if (box && box.dataset.addUrl) { window.location.href = box.dataset.addUrl; return true; }
    return false;
  }

  function move(step) {
    var items = document.querySelectorAll(ITEMS);
    if (!items.length) return false;
    var at = -1;
    for (var i = 0; i < items.length; i++) if (items[i].classList.contains("current")) at = i;
    var next = at < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(Math.max(at + step, 0), items.length - 1);
    if (at >= 0) items[at].classList.remove("current");
    var item = items[next];
    item.classList.add("current");
    var target = item.querySelector("a.title") || item.querySelector("a[href]");
    if (target) target.focus({preventScroll: true});
    item.scrollIntoView({block: "nearest"});
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    var box = help();
    if (box && !box.hidden) {
      if (event.key === "Escape" || event.key === "?") { hideHelp(); event.preventDefault(); }
      if (event.key === "Tab") {  // the dialog keeps the focus (its one button) while open
        var close = box.querySelector("[data-close-shortcuts]");
        if (close) { close.focus(); event.preventDefault(); }
      }
      return;
    }
    if (typing(event.target)) return;
    var done = false;
    switch (event.key) {
      case "/": done = focusSearch(); break;
      case "a": done = openAdd(); break;
      case "j": done = move(1); break;
      case "k": done = move(-1); break;
      case "?": showHelp(); done = true; break;
    }
    if (done) event.preventDefault();  // "/" must not land in the search box it focused
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) return;
    if (target.closest("[data-show-shortcuts]")) { showHelp(); return; }
    if (target.closest("[data-close-shortcuts]")) { hideHelp(); return; }
    var box = help();
    if (box && !box.hidden && target === box) hideHelp();  // a click outside the dialog
  });
})();
