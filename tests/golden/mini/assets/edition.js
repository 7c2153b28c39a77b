// Progressive enhancements of the edition's pages. Everything works without this file:
// reading modes are CSS radio buttons, glosses are links to their entries.
(function () {
  "use strict";

  // The reading mode: from the address (?mode=…, so a shared link opens the same view), else the
  // one the reader last chose; a change is remembered and written into the address.
  var MODE_PARAM = "mode";
  function setupModes() {
    var radios = document.querySelectorAll('.modes input[name="mode"]');
    if (!radios.length) return;
    var values = Array.prototype.map.call(radios, function (radio) { return radio.value; });
    var params = new URLSearchParams(window.location.search);
    var wanted = params.get(MODE_PARAM), saved = null;
    try { saved = localStorage.getItem("edition-mode"); } catch (e) { /* storage off */ }
    var chosen = values.indexOf(wanted) >= 0 ? wanted : saved;
    radios.forEach(function (radio) {
      if (chosen && radio.value === chosen) radio.checked = true;
      radio.addEventListener("change", function () {
        try { localStorage.setItem("edition-mode", radio.value); } catch (e) { /* storage off */ }
        var url = new URL(window.location.href);
        url.searchParams.set(MODE_PARAM, radio.value);
        history.replaceState(history.state, "", url);
      });
    });
  }

  // The language switch keeps the reader's place: the part of the page in the address (its ids are
  // the same in both editions: a paragraph, a variant place, a witness's line), the reading mode,
  // and a search with its filters (?q=&meeting=&kind=, whose values are the same too).
  var KEPT = [MODE_PARAM, "q", "meeting", "kind"];
  function setupLanguageSwitch() {
    var link = document.querySelector("a.lang-switch");
    if (!link) return;
    link.addEventListener("click", function () {
      var target = new URL(link.href, window.location.href);
      var params = new URLSearchParams(window.location.search);  // chosen or shared
      KEPT.forEach(function (name) { if (params.get(name)) target.searchParams.set(name, params.get(name)); });
      var place = document.getElementById(window.location.hash.slice(1));
      if (place && place.id !== "main") target.hash = place.id;  // not the skip link's target
      link.href = target.href;
    });
  }

  // Gloss popovers. On hover and keyboard focus: a tooltip with the gloss's opening sentence,
  // focus never moved. On a tap (touch or pen): a small dialog in place of navigation, with the
  // rest of the gloss on demand, a "Full entry" link and a close button; Escape or a tap outside
  // closes it. Mouse clicks and Enter still follow the link to the entry.
  var popover = null, owner = null, mode = null, hideTimer = null, lastPointer = "mouse";

  // A correction's link (a.corr, to its row of the apparatus) shows the row's printed form,
  // reading, type, grounds and note in the same popover.
  function glossFor(link) {
    var id = link.getAttribute("data-gloss");
    if (!id && link.classList.contains("corr")) id = (link.getAttribute("href") || "").slice(1);
    return id ? document.getElementById(id) : null;
  }

  function titleOf(source) {
    return source.getAttribute("data-title") || source.querySelector("dt a").textContent;
  }

  // The gloss's text (the <dd> of its entry in the list of glosses, whose content alone is taken:
  // a <dd> stands only in its list), or a correction's type, grounds and note.
  function bodyOf(source) {
    var body = document.createElement("div");
    if (!source.hasAttribute("data-title")) {
      Array.prototype.forEach.call(source.querySelector("dd").childNodes, function (node) { body.appendChild(node.cloneNode(true)); });
      return body;
    }
    source.querySelectorAll("td.corr-type, td.corr-detail > span").forEach(function (cell) {
      if (!cell.textContent.trim() || cell.textContent.trim() === "\u2014") return;
      var part = document.createElement("p");
      Array.prototype.forEach.call(cell.childNodes, function (node) { part.appendChild(node.cloneNode(true)); });
      body.appendChild(part);
    });
    return body;
  }

  function labels() {
    var box = document.querySelector(".reader-controls");
    return {
      more: box ? box.getAttribute("data-gloss-more") : "More",
      close: box ? box.getAttribute("data-gloss-close") : "Close",
      entry: box ? box.getAttribute("data-gloss-entry") : "Full entry",
      apparatus: box ? box.getAttribute("data-corr-entry") : "In the apparatus"
    };
  }

  // The gloss cut after its opening sentence (null when the gloss is one sentence long). A full
  // stop ends a sentence only after a lower-case or Arabic letter, a digit or a closing mark, and
  // only 40 characters in, so "U.S." and "S/RES/2254 (2015)" stay whole.
  var SENTENCE_END = /[a-z\u0600-\u06ff0-9)»”"'’][.!?\u061f](?=\s)/g;
  function opening(body) {
    var first = body.querySelector("p") || body;
    var walker = document.createTreeWalker(first, NodeFilter.SHOW_TEXT);
    var seen = 0, node;
    while ((node = walker.nextNode())) {
      SENTENCE_END.lastIndex = 0;
      var match;
      while ((match = SENTENCE_END.exec(node.data))) {
        var end = match.index + 2;
        if (seen + end < 40) continue;
        var rest = document.createRange();
        rest.setStart(node, end);
        rest.setEndAfter(body.lastChild);
        if (!rest.toString().trim()) return null;
        var short = body.cloneNode(true);
        var cut = document.createRange();
        cut.setStart(locate(short, body, node), end);
        cut.setEndAfter(short.lastChild);
        cut.deleteContents();
        return short;
      }
      seen += node.data.length;
    }
    return first !== body && body.children.length > 1 ? firstOnly(body, first) : null;
  }
  function locate(copy, original, node) {  // the node in copy that sits where node sits in original
    var path = [];
    for (var n = node; n !== original; n = n.parentNode) path.unshift(Array.prototype.indexOf.call(n.parentNode.childNodes, n));
    var found = copy;
    path.forEach(function (i) { found = found.childNodes[i]; });
    return found;
  }
  function firstOnly(body, first) {
    var short = body.cloneNode(false);
    short.appendChild(first.cloneNode(true));
    return short;
  }

  function build(link, source, asDialog) {
    var box = document.createElement("div");
    box.className = "popover";
    box.id = "gloss-popover";
    var root = document.documentElement;
    box.setAttribute("lang", root.lang);
    box.setAttribute("dir", root.dir);
    var title = document.createElement("p");
    title.className = "pop-title";
    title.id = "gloss-popover-title";
    title.textContent = titleOf(source);
    if (source.hasAttribute("data-title") && root.lang !== "ar") {  // a correction: the printed Arabic and its reading
      title.setAttribute("lang", "ar");
      title.setAttribute("dir", "rtl");
    }
    box.appendChild(title);
    var full = bodyOf(source);
    full.removeAttribute("id");
    var short = opening(full);
    box.appendChild(short || full);
    if (!asDialog) {
      box.setAttribute("role", "tooltip");
      return box;
    }
    var text = labels();
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-labelledby", title.id);
    box.setAttribute("tabindex", "-1");
    var actions = document.createElement("p");
    actions.className = "pop-actions";
    if (short) {
      var more = document.createElement("button");
      more.type = "button";
      more.className = "pop-more";
      more.textContent = text.more;
      more.addEventListener("click", function () {
        box.replaceChild(full, short);
        more.remove();
        box.focus({ preventScroll: true });
      });
      actions.appendChild(more);
    }
    // the link's own address: a correction's row (#corr-n) is within the page, and the in-page
    // links' handler gives it the focus; the dialog closes once it has been followed
    var entry = document.createElement("a");
    entry.setAttribute("href", link.getAttribute("href"));
    entry.textContent = source.hasAttribute("data-title") ? text.apparatus : text.entry;
    entry.addEventListener("click", function () { setTimeout(function () { hide(false); }, 0); });
    actions.appendChild(entry);
    box.appendChild(actions);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "pop-close";
    close.setAttribute("aria-label", text.close);
    close.textContent = "×";
    close.addEventListener("click", function () { hide(true); });
    box.appendChild(close);
    box.addEventListener("keydown", function (event) { if (event.key === "Tab") leave(box, event); });
    return box;
  }

  // The dialog is added at the end of the page but stands for its link: Tab from its last control
  // goes on from the link, Shift+Tab from its first goes back to the link, and the dialog closes.
  function leave(box, event) {
    var controls = box.querySelectorAll("button, a[href]");
    var first = controls[0], last = controls[controls.length - 1], at = document.activeElement;
    if (event.shiftKey ? at === first || at === box : at === last) {
      if (event.shiftKey) event.preventDefault();  // on the link itself
      hide(true);  // the link has the focus; Tab's own move goes on from there
    }
  }

  function show(link, asDialog) {
    var source = glossFor(link);
    if (!source) return;
    clearTimeout(hideTimer);
    var wanted = asDialog ? "dialog" : "tooltip";
    if (owner === link && popover && (mode === wanted || mode === "dialog")) return;
    hide(false);
    popover = build(link, source, asDialog);
    mode = wanted;
    if (!asDialog) {
      popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      popover.addEventListener("mouseleave", scheduleHide);
    }
    document.body.appendChild(popover);
    owner = link;
    // a tooltip describes its link while it is shown (a correction's link has a description of
    // its own, which it gets back: data-described)
    if (!asDialog && link.hasAttribute("aria-describedby")) link.setAttribute("data-described", link.getAttribute("aria-describedby"));
    link.setAttribute(asDialog ? "aria-controls" : "aria-describedby", "gloss-popover");
    if (asDialog) link.setAttribute("aria-expanded", "true");
    place(link);
    if (asDialog) popover.focus({ preventScroll: true });
  }

  function place(link) {
    popover.classList.remove("clipped");
    popover.style.maxHeight = "";
    var rect = link.getBoundingClientRect();
    var width = popover.offsetWidth, height = popover.offsetHeight;
    var viewport = document.documentElement.clientWidth;
    var rtl = document.documentElement.dir === "rtl";
    var left = rtl ? rect.right - width : rect.left;
    left = Math.max(8, Math.min(left, viewport - width - 8));
    var below = window.innerHeight - rect.bottom - 14, above = rect.top - 14;
    var top = rect.bottom + 6;
    if (height > below && above > below) {
      // a tooltip cannot be scrolled (the focus stays on the link): it is cut to the room there is
      // and says so (the link opens the whole entry)
      if (mode === "tooltip" && height > above) clip(above);
      top = rect.top - popover.offsetHeight - 6;
    } else if (mode === "tooltip" && height > below) {
      clip(below);
    }
    popover.style.left = (left + window.scrollX) + "px";
    popover.style.top = (top + window.scrollY) + "px";
  }

  function clip(room) {
    popover.classList.add("clipped");
    popover.style.maxHeight = Math.max(room, 64) + "px";
  }

  function hide(returnFocus) {
    clearTimeout(hideTimer);
    var link = owner, wasDialog = mode === "dialog";
    if (popover) popover.remove();
    if (link) {
      if (link.getAttribute("aria-describedby") === "gloss-popover") link.removeAttribute("aria-describedby");
      if (link.hasAttribute("data-described")) link.setAttribute("aria-describedby", link.getAttribute("data-described"));
      link.removeAttribute("data-described");
      link.removeAttribute("aria-controls");
      link.removeAttribute("aria-expanded");
      if (wasDialog && returnFocus) link.focus({ preventScroll: true });
    }
    popover = null;
    owner = null;
    mode = null;
  }

  function scheduleHide() {
    if (mode === "dialog") return;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { hide(false); }, 250);
  }

  function touched() { return lastPointer === "touch" || lastPointer === "pen"; }

  function setupGlosses() {
    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "mouse";
      if (mode === "dialog" && popover && !popover.contains(event.target) && event.target !== owner) hide(false);
    }, true);
    document.querySelectorAll("a.mention, a.corr").forEach(function (link) {
      link.addEventListener("mouseenter", function () { if (!touched()) show(link, false); });
      link.addEventListener("mouseleave", scheduleHide);
      link.addEventListener("focus", function () { if (!touched()) show(link, false); });
      link.addEventListener("blur", scheduleHide);
      link.addEventListener("click", function (event) {
        if (!touched() || !glossFor(link)) return;  // mouse and keyboard follow the link
        event.preventDefault();
        show(link, true);
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && popover) hide(true);
    });
    window.addEventListener("resize", function () { if (owner) place(owner); });
  }

  // Theme, text size and mention underlines: buttons in the header, remembered in localStorage
  // (theme.js applies them before the page is painted).
  var SIZES = ["normal", "large", "larger"];
  function setupControls() {
    var box = document.querySelector(".reader-controls");
    if (!box) return;
    var root = document.documentElement;
    var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    function save(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* storage off */ } }
    function isDark() {
      var chosen = root.getAttribute("data-theme");
      return chosen ? chosen === "dark" : !!(dark && dark.matches);
    }
    var theme = box.querySelector('[data-control="theme"]');
    function showTheme() { theme.setAttribute("aria-pressed", String(isDark())); }
    theme.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      save("edition-theme", next);
      showTheme();
    });
    if (dark && dark.addEventListener) dark.addEventListener("change", showTheme);
    showTheme();

    var smaller = box.querySelector('[data-control="smaller"]'), larger = box.querySelector('[data-control="larger"]');
    function size() { return Math.max(0, SIZES.indexOf(root.getAttribute("data-text-size") || "normal")); }
    // At a limit a button is aria-disabled, not disabled: it says it can go no further and keeps the
    // focus (a disabled button would drop the keyboard's focus to the page's body); a press then
    // leaves the size where it is.
    function showLimits(index) {
      smaller.setAttribute("aria-disabled", String(index === 0));
      larger.setAttribute("aria-disabled", String(index === SIZES.length - 1));
    }
    function setSize(index) {
      if (index === 0) root.removeAttribute("data-text-size");
      else root.setAttribute("data-text-size", SIZES[index]);
      save("edition-text-size", SIZES[index]);
      showLimits(index);
    }
    smaller.addEventListener("click", function () { setSize(Math.max(0, size() - 1)); });
    larger.addEventListener("click", function () { setSize(Math.min(SIZES.length - 1, size() + 1)); });
    showLimits(size());

    var lines = box.querySelector('[data-control="underlines"]');
    function showLines() { lines.setAttribute("aria-pressed", String(!root.classList.contains("no-underlines"))); }
    lines.addEventListener("click", function () {
      var off = root.classList.toggle("no-underlines");
      save("edition-underlines", off ? "off" : "on");
      showLines();
    });
    showLines();
    box.hidden = false;
  }

  // An in-page link (a paragraph's number, the jump links, a corrected word, the apparatus's
  // links) gives the focus to what it leads to. A browser leaves the focus on nothing (the page's
  // body) when the target cannot take it, and the keyboard's focus ring and a screen reader's place
  // go with it; a target made focusable (tabindex -1, as main is for the skip link) is focused by
  // the browser's own move to it.
  // A target the reading mode hides (a word of the Arabic column, #sic-n, with the translation
  // alone) cannot be shown: the link leads to its paragraph instead.
  function setupInPageLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
      if (!link || event.defaultPrevented) return;
      var target = null;
      try { target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1))); } catch (e) { /* a malformed address */ }
      var pair = target && !target.getClientRects().length ? target.closest(".pair") : null;
      if (pair) target = pair;
      if (target && target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      if (pair) {
        event.preventDefault();
        window.location.hash = pair.id;
        pair.focus({ preventScroll: true });
      }
    });
  }

  function start() {
    setupModes();
    setupLanguageSwitch();
    setupGlosses();
    setupControls();
    setupInPageLinks();
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
  // What the address points to is what is cited; the jump to this box (#cite) is not a choice of
  // what to cite, and keeps the paragraph chosen before it.
  var chosen = "";
  function update() {
    var hash = window.location.hash.slice(1);
    if (hash !== box.id) chosen = hash;
    var target = chosen ? document.getElementById(chosen) : null;
    var link = target && target.classList.contains("pair") ? target.querySelector(".permalink") : null;
    var number = link && /^\d+$/.test(link.textContent.trim()) ? link.textContent.trim() : "";
    var url = window.location.origin + window.location.pathname + (number ? "#" + chosen : "");
    var para = number ? box.getAttribute("data-para").replace("{n}", number) : "";
    var paraEnglish = number ? box.getAttribute("data-para-en").replace("{n}", number) : "";  // BibTeX, CSL: English notes
    chicago(box.querySelector(".chicago"), fill(box.getAttribute("data-chicago"), url, para, today()));
    record(box.querySelector(".bibtex"), fill(box.getAttribute("data-bibtex"), url, paraEnglish, today()));
    record(box.querySelector(".csl-json"), fill(box.getAttribute("data-csl"), url, paraEnglish, today()));
  }
  // The BibTeX and CSL-JSON citations, English, each field's Arabic one run marked Arabic, right to
  // left (html.ARABIC_FIELD); their text, what is copied, is the citation's.
  var ARABIC_FIELD = /[\[«]*[\u0600-\u06ff](?:[^\n{}"]*[\u0600-\u06ff])?[\]»]*/g;
  function record(citation, text) {
    citation.textContent = "";
    var last = 0;
    text.replace(ARABIC_FIELD, function (run, offset) {
      var arabic = document.createElement("span");
      arabic.lang = "ar";
      arabic.dir = "rtl";
      arabic.textContent = run;
      citation.append(text.slice(last, offset), arabic);
      last = offset + run.length;
      return run;
    });
    citation.append(text.slice(last));
  }
  // The Chicago citation, its Arabic title (data-original, on an English page) marked Arabic; on a
  // right-to-left page its dates and address isolated left to right (html.LEFT_TO_RIGHT_RUN).
  var LEFT_TO_RIGHT_RUN = /\[?\d{4}-\d{2}-\d{2}\]?|(?:https?:\/\/|\/)[^\s<>]*[^\s<>.,\u060c)]/g;
  function chicago(citation, text) {
    var original = citation.getAttribute("data-original");
    var at = original ? text.indexOf(original) : -1;
    if (at < 0 && document.documentElement.dir === "rtl") {
      citation.textContent = "";
      var last = 0;
      text.replace(LEFT_TO_RIGHT_RUN, function (run, offset) {
        var isolated = document.createElement("bdi");
        isolated.dir = "ltr";
        isolated.textContent = run;
        citation.append(text.slice(last, offset), isolated);
        last = offset + run.length;
        return run;
      });
      citation.append(text.slice(last));
      return;
    }
    if (at < 0) {
      citation.textContent = text;
      return;
    }
    var title = document.createElement("span");
    title.lang = "ar";
    title.dir = "rtl";
    title.textContent = original;
    citation.textContent = "";
    citation.append(text.slice(0, at), title, text.slice(at + original.length));
  }
  // A "Copy" button after each citation, where the browser offers the clipboard.
  function addCopyButtons() {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return;
    box.querySelectorAll(".citation").forEach(function (citation) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = box.getAttribute("data-copy");
      var status = document.createElement("span");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(citation.textContent).then(function () {
          status.textContent = box.getAttribute("data-copied");
        }, function () {
          status.textContent = box.getAttribute("data-copy-failed");
        });
      });
      citation.after(button, status);
    });
  }
  // The "Cite" jump (#cite, the box itself) opens the box it leads to.
  function openIfTarget() {
    if (window.location.hash === "#" + box.id) box.open = true;
  }
  window.addEventListener("hashchange", update);
  window.addEventListener("hashchange", openIfTarget);
  openIfTarget();
  update();
  addCopyButtons();
  var help = box.querySelector(".help");
  if (help) help.hidden = false;
})();

// Printing: a report's details (publisher, date and their evidence, the witness) and its Chicago
// citation, which gives the page's address, are printed open; they close again after.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.meta-details, details.cite"),
      function (details) { return !details.open; });
    opened.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
})();

// A citation built where the site's address was not known (base_url a path): its address made
// whole from the page's own origin, as the report citations are.
(function () {
  "use strict";
  document.querySelectorAll("[data-site-path]").forEach(function (citation) {
    var path = citation.getAttribute("data-site-path");
    var walker = document.createTreeWalker(citation, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var at = node.data.lastIndexOf(path);
      if (at >= 0 && (at === 0 || /\s/.test(node.data.charAt(at - 1)))) {
        node.data = node.data.slice(0, at) + window.location.origin + node.data.slice(at);
        return;
      }
    }
  });
})();

// Search from any page: "/" goes to the page's search box (unless the reader is typing in a
// field). A page opened from a search result (?hl=words) has those words marked: the scripts
// that do it (lunr.js, the search pipeline, highlight.js) are loaded only then.
(function () {
  "use strict";
  var script = document.currentScript;
  var assets = script ? script.src.replace(/edition\.js(\?.*)?$/, "") : null;

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var box = document.getElementById("q") || document.getElementById("site-search");
    if (!box || box.closest("[hidden]")) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  if (!assets || !new URLSearchParams(window.location.search).get("hl")) return;
  var needed = [];
  if (!window.lunr) needed.push("lunr.min.js");
  if (!window.EditionSearch) needed.push("search-pipeline.js");
  needed.push("highlight.js");
  needed.forEach(function (name) {
    var tag = document.createElement("script");
    tag.src = assets + name;
    tag.async = false; // in this order
    document.head.appendChild(tag);
  });
})();
