// Progressive enhancements of the edition's pages. Everything works without this file:
// reading modes are CSS radio buttons, glosses are links to their entries.
(function () {
  "use strict";

  // Remember the reader's reading mode across reports.
  function setupModes() {
    var radios = document.querySelectorAll('.modes input[name="mode"]');
    if (!radios.length) return;
    var saved = null;
    try { saved = localStorage.getItem("edition-mode"); } catch (e) { /* storage off */ }
    radios.forEach(function (radio) {
      if (saved && radio.value === saved) radio.checked = true;
      radio.addEventListener("change", function () {
        try { localStorage.setItem("edition-mode", radio.value); } catch (e) { /* storage off */ }
      });
    });
  }

  // Gloss popovers: open on hover and keyboard focus, close with Escape, never move focus.
  var popover = null, owner = null, hideTimer = null;

  function glossFor(link) {
    var id = link.getAttribute("data-gloss");
    return id ? document.getElementById(id) : null;
  }

  function show(link) {
    var source = glossFor(link);
    if (!source) return;
    clearTimeout(hideTimer);
    if (owner === link && popover) return;
    hide();
    popover = document.createElement("div");
    popover.className = "popover";
    popover.id = "gloss-popover";
    popover.setAttribute("role", "tooltip");
    var root = document.documentElement;
    popover.setAttribute("lang", root.lang);
    popover.setAttribute("dir", root.dir);
    var title = document.createElement("p");
    title.className = "pop-title";
    title.textContent = source.querySelector("dt a").textContent;
    popover.appendChild(title);
    var body = source.querySelector("dd").cloneNode(true);
    popover.appendChild(body);
    popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popover.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(popover);
    owner = link;
    link.setAttribute("aria-describedby", "gloss-popover");
    place(link);
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var width = popover.offsetWidth, height = popover.offsetHeight;
    var viewport = document.documentElement.clientWidth;
    var rtl = document.documentElement.dir === "rtl";
    var left = rtl ? rect.right - width : rect.left;
    left = Math.max(8, Math.min(left, viewport - width - 8));
    var top = rect.bottom + 6;
    if (top + height > window.innerHeight && rect.top - height - 6 > 0) top = rect.top - height - 6;
    popover.style.left = (left + window.scrollX) + "px";
    popover.style.top = (top + window.scrollY) + "px";
  }

  function hide() {
    clearTimeout(hideTimer);
    if (popover) popover.remove();
    if (owner) owner.removeAttribute("aria-describedby");
    popover = null;
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function setupGlosses() {
    document.querySelectorAll("a.mention").forEach(function (link) {
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", scheduleHide);
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", scheduleHide);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && popover) hide();
    });
    window.addEventListener("resize", function () { if (owner) place(owner); });
  }

  function start() {
    setupModes();
    setupGlosses();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Citations: fill the access date and point the citation at the paragraph the reader chose.
(function () {
  "use strict";
  var box = document.querySelector("details.cite");
  if (!box) return;
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function fill(template, url, para, accessed) {
    return template.split("{url}").join(url).split("{para}").join(para).split("{accessed}").join(accessed);
  }
  function update() {
    var hash = window.location.hash.slice(1);
    var target = hash ? document.getElementById(hash) : null;
    var link = target && target.classList.contains("pair") ? target.querySelector(".permalink") : null;
    var number = link && /^\d+$/.test(link.textContent.trim()) ? link.textContent.trim() : "";
    var url = window.location.href.split("#")[0] + (number ? "#" + hash : "");
    var para = number ? box.getAttribute("data-para").replace("{n}", number) : "";
    box.querySelector(".chicago").textContent = fill(box.getAttribute("data-chicago"), url, para, today());
    box.querySelector(".bibtex").textContent = fill(box.getAttribute("data-bibtex"), url, para.replace(/^[,،]\s*/, ""), today());
  }
  window.addEventListener("hashchange", update);
  update();
})();
