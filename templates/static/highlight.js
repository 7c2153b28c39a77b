// Marks on the page the words of the search that opened it (?hl=words): every word of the text
// that answers one of them as the search does (the same normalization, clitics, stemmer, prefix
// of the last word, and one edit away for words of five letters or more), each in a <mark>.
// Loaded by edition.js after lunr.js and search-pipeline.js, only when the address has ?hl=.
(function () {
  "use strict";
  var E = window.EditionSearch;
  var typed = new URLSearchParams(window.location.search).get("hl");
  var main = document.getElementById("main");
  if (!E || !window.lunr || !typed || !main) return;
  var WORD = /[\p{L}\p{N}\p{M}\u0640]+/gu;
  var SKIP = "script, style, textarea, mark, .cite, .permalink, [aria-hidden='true']";
  var assets = document.querySelector('script[src$="highlight.js"]').src.replace(/highlight\.js$/, "");
  var lang = document.documentElement.lang === "ar" ? "ar" : "en";

  function textNodes() {
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(SKIP) || !/\S/.test(node.data) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function mark(node, planned, protectedSet) {
    var text = node.data, found = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) if (E.marks(m[0], planned, protectedSet)) found.push([m.index, m.index + m[0].length]);
    if (!found.length) return;
    var out = document.createDocumentFragment(), pos = 0;
    found.forEach(function (r) {
      out.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var el = document.createElement("mark");
      el.className = "hl";
      el.textContent = text.slice(r[0], r[1]);
      out.appendChild(el);
      pos = r[1];
    });
    out.appendChild(document.createTextNode(text.slice(pos)));
    node.parentNode.replaceChild(out, node);
  }

  fetch(assets + "search/" + lang + "/index.json").then(function (r) { return r.json(); }).then(function (manifest) {
    var stop = new Set(manifest.stopWords), protectedSet = new Set(manifest.protected);
    var nodes = textNodes();
    // The page's own terms stand in for the index's when looking for words one edit away.
    var terms = new Set();
    nodes.forEach(function (node) { E.words(node.data).forEach(function (w) { terms.add(E.stem(w, protectedSet)); }); });
    var pageTerms = lunr.TokenSet.fromArray(Array.from(terms).sort());
    var near = function (term) { return pageTerms.intersect(lunr.TokenSet.fromFuzzyString(term, 1)).toArray(); };
    return E.withTypos(E.plan(typed, stop, protectedSet), near).then(function (planned) {
      nodes.forEach(function (node) { mark(node, planned, protectedSet); });
    });
  }).catch(function () { /* the page reads as well without the marks */ });
})();
