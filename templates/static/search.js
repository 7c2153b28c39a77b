// The search page: loads the manifest of the query's language's index on first use, then for
// each query only the parts of the index and the documents it needs (search-parts.js); searches
// as the reader types, and lists hits with highlighted snippets. Query text only ever reaches
// the page as text nodes.
(function () {
  "use strict";
  var E = window.EditionSearch;
  var P = window.EditionSearchParts;
  var page = document.querySelector(".search-page");
  if (!page || !E || !P || !window.lunr) return;

  var pageLang = page.getAttribute("data-lang");
  var base = page.getAttribute("data-assets");
  var labels = JSON.parse(page.getAttribute("data-labels"));
  var input = page.querySelector("#q");
  var status = page.querySelector(".status");
  var list = page.querySelector(".results");
  var loaded = {};

  page.querySelector(".nojs").hidden = true;
  page.querySelector("form").hidden = false;

  function load(lang) {
    if (!loaded[lang]) {
      var folder = base + "search/" + lang + "/";
      loaded[lang] = P.SplitIndex.load(function (name) {
        return fetch(folder + name).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
      }).then(function (split) {
        return {
          split: split,
          stop: new Set(split.manifest.stopWords),
          protectedSet: new Set(split.manifest.protected)
        };
      }, function (error) {
        delete loaded[lang]; // the next search tries again
        throw error;
      });
    }
    return loaded[lang];
  }

  function queryLang(text) {
    if (/[\u0600-\u06ff]/.test(text)) return "ar";
    if (/[A-Za-z]/.test(text)) return "en";
    return pageLang;
  }

  // The hits of a plan, best first, and the documents of the first `shown` of them.
  function run(s, words, shown) {
    E.state.protectedSet = s.protectedSet;
    return s.split.query(function (q) { E.addClauses(q, words); }).then(function (found) {
      var hits = E.matchingEvery(found, words);
      return s.split.documents(hits.slice(0, shown).map(function (hit) { return hit.ref; }))
        .then(function (docs) { return { count: hits.length, docs: docs }; });
    });
  }

  function snippet(text, words, s) {
    var out = document.createDocumentFragment();
    var marks = [];
    var re = /[\p{L}\p{N}\p{M}\u0640]+/gu, m;
    while ((m = re.exec(text))) {
      var parts = E.words(m[0]);
      var hit = parts.some(function (p) {
        var t = E.stem(p, s.protectedSet);
        return words.some(function (w) { return w.terms.has(t) || (w.prefix && E.stripArticle(p).indexOf(w.prefix) === 0); });
      });
      if (hit) marks.push([m.index, m.index + m[0].length]);
    }
    var start = 0, end = text.length;
    if (text.length > 240) {
      var first = marks.length ? marks[0][0] : 0;
      start = Math.max(0, first - 90);
      end = Math.min(text.length, start + 240);
    }
    if (start > 0) out.appendChild(document.createTextNode("… "));
    var pos = start;
    marks.forEach(function (r) {
      if (r[0] < start || r[1] > end) return;
      out.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      out.appendChild(mark);
      pos = r[1];
    });
    out.appendChild(document.createTextNode(text.slice(pos, end)));
    if (end < text.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  function render(s, lang, found, words) {
    list.textContent = "";
    list.setAttribute("lang", lang);
    list.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    found.docs.forEach(function (doc) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = doc.u;
      a.textContent = doc.t;
      var h = document.createElement("h2");
      h.appendChild(a);
      li.appendChild(h);
      var meta = document.createElement("p");
      meta.className = "hit-meta";
      var kind = doc.k === "gloss" ? labels.gloss : labels.report;
      meta.textContent = kind + " · " + labels["lang_" + lang] + (doc.n ? " · " + labels.paragraph.replace("{n}", doc.n) : "");
      li.appendChild(meta);
      var p = document.createElement("p");
      p.className = "snippet";
      p.appendChild(snippet(doc.x, words, s));
      li.appendChild(p);
      list.appendChild(li);
    });
    status.textContent = labels.count.replace("{n}", found.count);
  }

  var serial = 0;
  function search() {
    var text = input.value;
    var mine = ++serial;
    if (!E.words(text).length) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    var lang = queryLang(text);
    load(lang).then(function (s) {
      if (mine !== serial) return;
      var words = E.plan(text, s.stop, s.protectedSet);
      if (!words.length) { list.textContent = ""; status.textContent = labels.count.replace("{n}", 0); return; }
      return run(s, words, 50).then(function (found) {
        if (mine === serial) render(s, lang, found, words);
      });
    }).catch(function () {
      status.textContent = labels.failed;
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      search();
    }, 120);
  });
  page.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });

  var initial = new URL(window.location.href).searchParams.get("q");
  if (initial) {
    input.value = initial;
    search();
  }
})();
