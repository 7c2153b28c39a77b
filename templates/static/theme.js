// The reader's display choices (theme, text size, mention underlines), applied before the page is
// painted so a dark-theme reader never sees a light flash. Loaded in <head> without defer; the
// controls that change them are in edition.js.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");  // what needs the scripts is shown (the search box in the header)
  try {
    var theme = localStorage.getItem("edition-theme");
    if (theme === "dark" || theme === "light") root.setAttribute("data-theme", theme);
    var size = localStorage.getItem("edition-text-size");
    if (size === "large" || size === "larger") root.setAttribute("data-text-size", size);
    if (localStorage.getItem("edition-underlines") === "off") root.classList.add("no-underlines");
  } catch (e) { /* storage off: the defaults stand */ }
})();
