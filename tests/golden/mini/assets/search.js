// The search page: loads the index of the query's language on first use, searches as the
// reader types, and lists hits with highlighted snippets. Query text only ever reaches the
// page as text nodes.
(function () {
  "use strict";
  var E = window.EditionSearch;
  var page = document.querySelector(".search-page");
  if (!page || !E || !window.lunr) return;

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
      loaded[lang] = fetch(base + "search-" + lang + ".json")
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          return {
            data: data,
            index: lunr.Index.load(data.index),
            stop: new Set(data.stopWords),
            protectedSet: new Set(data.protected)
          };
        });
    }
    return loaded[lang];
  }

  function queryLang(text) {
    if (/[\u0600-\u06ff]/.test(text)) return "ar";
    if (/[A-Za-z]/.test(text)) return "en";
    return pageLang;
  }

  // Each typed word is a set of acceptable index terms; a hit must match every word.
  function plan(text, s) {
    var typed = E.words(text).filter(function (w) { return !s.stop.has(w); });
    var open = text.length && !/\s$/.test(text);
    return typed.map(function (word, i) {
      var terms = new Set(E.variants(word).map(function (v) { return E.stem(v, s.protectedSet); }));
      var prefix = (open && i === typed.length - 1) ? E.stripArticle(word) : null;
      return { terms: terms, prefix: prefix };
    });
  }

  function run(s, words) {
    E.state.protectedSet = s.protectedSet;
    var hits = s.index.query(function (q) {
      words.forEach(function (w) {
        w.terms.forEach(function (t) { q.term(t, { usePipeline: false }); });
        if (w.prefix) q.term(w.prefix, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
      });
    });
    return hits.filter(function (hit) {
      var matched = Object.keys(hit.matchData.metadata);
      return words.every(function (w) {
        return matched.some(function (m) {
          return w.terms.has(m) || (w.prefix && m.indexOf(w.prefix) === 0);
        });
      });
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

  function render(s, lang, hits, words) {
    list.textContent = "";
    list.setAttribute("lang", lang);
    list.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    hits.slice(0, 50).forEach(function (hit) {
      var doc = s.data.docs[Number(hit.ref)];
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
    status.textContent = labels.count.replace("{n}", hits.length);
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
      var words = plan(text, s);
      if (!words.length) { list.textContent = ""; status.textContent = labels.count.replace("{n}", 0); return; }
      render(s, lang, run(s, words), words);
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
