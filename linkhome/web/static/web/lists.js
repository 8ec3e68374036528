// "Select all on this page" in a person's list: the box ticks or clears every link's box.
// Without JavaScript the link beside it (?select=all) draws the page with every box ticked.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-select-all]")) return;
  var form = box.getAttribute("data-select-all");
  document.querySelectorAll('input[type=checkbox][name=link][form="' + form + '"]').forEach(function (link) {
    link.checked = box.checked;
  });
});
