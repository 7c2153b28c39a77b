// Live preview (build.py --serve): reload after every good build; show build errors until then.
(function () {
  "use strict";
  var scriptBuild = __BUILD_ID__;
  var overlay = null;

  // The build this page came from: the Server-Timing header of the page itself, else this script's.
  function pageBuild() {
    var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    var timings = (nav && nav.serverTiming) || [];
    for (var i = 0; i < timings.length; i++) {
      if (timings[i].name === "livereload") return timings[i].description;
    }
    return scriptBuild;
  }

  function element(tag, style, text) {
    var node = document.createElement(tag);
    Object.keys(style).forEach(function (name) { node.style.setProperty(name, style[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function hideErrors() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function showErrors(lines) {
    hideErrors();
    overlay = element("div", {
      position: "fixed", top: "0", left: "0", right: "0", "z-index": "2147483647",
      "max-height": "60vh", overflow: "auto", padding: "1em 1.25em", margin: "0",
      background: "#7a1111", color: "#fff", font: "14px/1.5 ui-monospace, monospace",
      "box-shadow": "0 2px 12px rgba(0,0,0,.5)", "text-align": "left"
    });
    overlay.id = "livereload-errors";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("lang", "en");
    overlay.setAttribute("dir", "ltr");
    var close = element("button", {float: "right", font: "inherit", cursor: "pointer"}, "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Hide the build errors");
    close.addEventListener("click", hideErrors);
    overlay.appendChild(close);
    overlay.appendChild(element("strong", {display: "block"},
      "Build failed. This page shows the last good build; it reloads when the errors are fixed."));
    overlay.appendChild(element("pre", {margin: ".75em 0 0", "white-space": "pre-wrap"}, lines.join("\n")));
    document.body.appendChild(overlay);
  }

  // The server tells this page to reload only if the build changed it (its file or an asset);
  // a build that left it as it was makes it "current" (and fixes any errors shown).
  function listen(build) {
    var source = new EventSource("/__livereload?since=" + encodeURIComponent(build) +
                                 "&page=" + encodeURIComponent(location.pathname));
    source.addEventListener("reload", function () {
      source.close();
      hideErrors();
      location.reload();
    });
    source.addEventListener("current", function (event) {
      source.close();
      hideErrors();
      listen(event.data);
    });
    source.addEventListener("errors", function (event) { showErrors(JSON.parse(event.data)); });
  }
  listen(pageBuild());
})();
