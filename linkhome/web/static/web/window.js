/* The add window (the bookmarklet's popup, the share target's page): its "close" button. A
   window the bookmarklet opened may be closed by script; a tab the reader opened may not, and
   then the button just does nothing harmful. */
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest("[data-close-window]")) window.close();
});
