// The search page: loads the manifest of the index of the query's language when the box gets
// focus (or a query arrives in the address), then for each query only the parts of the index and
// the documents it needs (search-parts.js). Searches as the reader types; lists the hits grouped
// by the page they stand on (a report, an entry, a note), pages in the order of their best hit;
// filters by meeting and kind (?q=&meeting=&kind=); ↑/↓ move through the results. Query text only
// ever reaches the page as text nodes.
(function () {
  "use strict";
  var E = window.EditionSearch;
  var P = window.EditionSearchParts;
  var page = document.querySelector(".search-page");
  if (!page || !E || !P || !window.lunr) return;

  var SHOWN = 60; // hits whose documents are fetched and shown
  var FIRST = 10; // hits shown at once, while the documents of the others are still coming
  var SNIPPET = 240; // characters of a snippet, at most, before the ellipses
  var pageLang = page.getAttribute("data-lang");
  var base = page.getAttribute("data-assets");
  var labels = JSON.parse(page.getAttribute("data-labels"));
  var form = page.querySelector("form");
  var input = page.querySelector("#q");
  var filters = { meeting: page.querySelector("#filter-meeting"), kind: page.querySelector("#filter-kind") };
  var status = page.querySelector(".status");
  var list = page.querySelector(".results");
  var loaded = {};
  var plural = new Intl.PluralRules(pageLang);

  page.querySelector(".nojs").hidden = true;
  form.hidden = false;

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

  // A counted phrase of strings.yaml in the page's language: the form of the number's plural
  // category (CLDR's, as the build uses through Babel).
  function counted(forms, n) {
    return (forms[plural.select(n)] || forms.other).replace("{n}", n);
  }

  // Whether document `ref` is within the runs ([first, last], ascending) of a facet's value.
  function inRuns(runs, ref) {
    var lo = 0, hi = runs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (ref < runs[mid][0]) hi = mid - 1;
      else if (ref > runs[mid][1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  function chosen() {
    return { meeting: filters.meeting.value, kind: filters.kind.value };
  }

  function filtered(hits, facets, wanted) {
    return hits.filter(function (hit) {
      var ref = Number(hit.ref);
      return Object.keys(wanted).every(function (facet) {
        if (!wanted[facet]) return true;
        return inRuns(((facets[facet] || {})[wanted[facet]]) || [], ref);
      });
    });
  }

  // The hits of a plan (typo tolerance added), best first, filtered: their number, the words
  // planned, and the refs of the first SHOWN of them.
  function run(s, planned) {
    E.state.protectedSet = s.protectedSet;
    var near = function (term) { return s.split.expand({ editDistance: 1 }, term); };
    var wanted = chosen();
    var filtering = Object.keys(wanted).some(function (facet) { return wanted[facet]; });
    var facets = filtering ? s.split.facets() : Promise.resolve({});  // fetched only to filter
    return E.withTypos(planned, near).then(function (words) {
      return Promise.all([s.split.query(function (q) { E.addClauses(q, words); }), facets]).then(function (both) {
        var hits = filtered(E.matchingEvery(both[0], words), both[1], wanted);
        return { count: hits.length, words: words, refs: hits.slice(0, SHOWN).map(function (hit) { return hit.ref; }) };
      });
    });
  }

  // A promise of the documents of `refs`, each with its ref.
  function documents(s, refs) {
    return s.split.documents(refs).then(function (docs) {
      return docs.map(function (doc, i) { return Object.assign({ ref: Number(refs[i]) }, doc); });
    });
  }

  // A text cut to about SNIPPET characters around its first match, at word boundaries (never
  // "… iscussions"), the words that answer the query marked.
  function snippet(text, words, s) {
    var out = document.createDocumentFragment();
    var marks = [], bounds = [];
    var re = /[\p{L}\p{N}\p{M}\u0640]+/gu, m;
    while ((m = re.exec(text))) {
      bounds.push([m.index, m.index + m[0].length]);
      var level = E.marks(m[0], words, s.protectedSet);
      if (level) marks.push([m.index, m.index + m[0].length, level]);
    }
    var start = 0, end = text.length;
    if (text.length > SNIPPET) {  // around the first exact match, else the first one edit away
      var exact = marks.filter(function (r) { return r[2] === 2; });
      var first = (exact[0] || marks[0] || [0])[0];
      start = Math.max(0, first - 90);
      end = Math.min(text.length, start + SNIPPET);
      var within = bounds.filter(function (b) { return b[0] >= start && b[1] <= end; });
      if (within.length) {
        if (start > 0) start = within[0][0];
        if (end < text.length) end = within[within.length - 1][1];
      }
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

  // A link that opens its page with the query's words highlighted (?hl=…).
  function linkTo(url, typed) {
    var target = new URL(url, window.location.href);
    target.searchParams.set("hl", typed);
    return target.pathname + target.search + target.hash;
  }

  // The documents grouped by the page they stand on (a report's paragraphs share one), the
  // groups in the order of their best hit, each group's hits in reading order.
  function groups(docs) {
    var byPage = new Map();
    docs.forEach(function (doc) {
      var key = doc.k === "report" ? doc.u.split("#")[0] : doc.u;
      if (!byPage.has(key)) byPage.set(key, { url: key, title: doc.t, kind: doc.k, docs: [] });
      byPage.get(key).docs.push(doc);
    });
    var out = Array.from(byPage.values());
    out.forEach(function (group) { group.docs.sort(function (a, b) { return a.ref - b.ref; }); });
    return out;
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderGroup(group, s, lang, words, typed) {
    var li = element("li", "group");
    var h = element("h2");
    // a report whose title has the words: its title, marked, is that hit
    var title = group.docs.filter(function (doc) { return doc.n === "title"; })[0];
    var a = element("a", "page-link", title ? undefined : group.title);
    if (title) a.appendChild(snippet(title.x, words, s));
    a.href = linkTo(group.url, typed);
    h.appendChild(a);
    li.appendChild(h);
    var meta = element("p", "hit-meta", [labels[group.kind] || labels.report, labels["lang_" + lang],
      counted(labels.count, group.docs.length)].join(" · "));
    meta.lang = pageLang;  // the interface's words, in a list in the query's language
    meta.dir = pageLang === "ar" ? "rtl" : "ltr";
    li.appendChild(meta);
    var hits = element("ul", "hits");
    group.docs.forEach(function (doc) {
      if (doc === title) return;
      var item = element("li");
      if (doc.k === "report") {
        // where the words stand: a paragraph's number, or the kind of a block that has none
        var where = element("a", "hit", typeof doc.n === "number" ? labels.paragraph.replace("{n}", doc.n) : labels.blocks[doc.n]);
        where.lang = pageLang;  // "paragraph 12" is the interface's, as the meta line is
        where.dir = pageLang === "ar" ? "rtl" : "ltr";
        where.href = linkTo(doc.u, typed);
        item.appendChild(where);
        item.appendChild(document.createTextNode(" "));
      }
      var p = element("span", "snippet");
      p.appendChild(snippet(doc.x, words, s));
      item.appendChild(p);
      hits.appendChild(item);
    });
    if (hits.childNodes.length) li.appendChild(hits);
    return li;
  }

  // The results; `partial`: the first of them, the documents of the others still coming (the
  // list is marked busy and the status, which announces the results, waits for them all). A link
  // that has the focus keeps it when the list is drawn again.
  function render(s, lang, found, typed, partial) {
    var focused = list.contains(document.activeElement) ? document.activeElement : null;
    list.textContent = "";
    list.setAttribute("lang", lang);
    list.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    list.setAttribute("aria-busy", partial ? "true" : "false");
    var pages = groups(found.docs);
    var ol = element("ol");
    pages.forEach(function (group) { ol.appendChild(renderGroup(group, s, lang, found.words, typed)); });
    list.appendChild(ol);
    if (focused) {
      var same = links().filter(function (a) {
        return a.getAttribute("href") === focused.getAttribute("href") && a.className === focused.className;
      })[0];
      if (same) same.focus();
    }
    if (partial) {
      announce("");
      return;
    }
    var sentence = counted(labels.count, found.count);
    if (found.count && found.count === found.docs.length) sentence += " " + counted(labels.pages, pages.length);
    announce(sentence);
  }

  function clear(sentence) {
    list.textContent = "";
    list.setAttribute("aria-busy", "false");
    announce(sentence);
  }

  // The status is a live region: a screen reader says each text it is given. While the reader
  // types, the results are drawn again after each pause of 120 ms, and a count for every prefix
  // ("80 results", "0 results", "80 results") would be said one after the other; the count is
  // given once the query has stayed the same for QUIET ms (and the status is empty meanwhile):
  // a keystroke cancels the count still to be said, even before its own search has answered.
  var QUIET = 500, announceTimer = null;
  function announce(sentence) {
    clearTimeout(announceTimer);
    if (status.textContent !== sentence) status.textContent = "";
    if (sentence && status.textContent !== sentence) {
      announceTimer = setTimeout(function () { status.textContent = sentence; }, QUIET);
    }
  }

  var serial = 0;
  function search() {
    var text = input.value;
    var mine = ++serial;
    if (!E.words(text).length) return clear("");
    var lang = queryLang(text);
    load(lang).then(function (s) {
      if (mine !== serial) return;
      var planned = E.plan(text, s.stop, s.protectedSet);
      if (!planned.length) return clear(counted(labels.count, 0));
      var typed = E.words(text).filter(function (w) { return !s.stop.has(w); }).join(" ");
      return run(s, planned).then(function (found) {
        if (mine !== serial) return;
        // the first FIRST hits' documents are asked for first and shown as soon as they come
        var first = documents(s, found.refs.slice(0, FIRST)), all = documents(s, found.refs);
        var whole = false;
        var show = function (docs, partial) {
          if (mine !== serial || whole) return;
          whole = !partial;
          render(s, lang, { count: found.count, words: found.words, docs: docs }, typed, partial);
        };
        if (found.refs.length > FIRST) first.then(function (docs) { show(docs, true); }, function () { /* said below */ });
        return all.then(function (docs) { show(docs, false); });
      });
    }).catch(function () {
      if (mine !== serial) return;
      list.setAttribute("aria-busy", "false");
      clearTimeout(announceTimer);
      status.textContent = labels.failed;
    });
  }

  // The address says what is shown: ?q=&meeting=&kind= (empty ones left out).
  function remember() {
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    Object.keys(filters).forEach(function (name) {
      if (filters[name].value) url.searchParams.set(name, filters[name].value);
      else url.searchParams.delete(name);
    });
    history.replaceState(null, "", url);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    clearTimeout(announceTimer);
    timer = setTimeout(function () { remember(); search(); }, 120);
  });
  input.addEventListener("focus", function () {
    load(queryLang(input.value)).catch(function () { /* said when a search fails */ });
  });
  Object.keys(filters).forEach(function (name) {
    filters[name].addEventListener("change", function () { remember(); search(); });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember();
    search();
  });

  // ↓ and ↑ move through the results' links (from the box into them, and back to it from the
  // first); Enter opens the focused one, as any link.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  function step(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (event.target === input) next = event.key === "ArrowDown" ? 0 : -1;
    if (next < -1 || next >= all.length || (event.target === input && next < 0)) return;
    event.preventDefault();
    (next === -1 ? input : all[next]).focus();
  }
  input.addEventListener("keydown", step);
  list.addEventListener("keydown", step);

  var params = new URL(window.location.href).searchParams;
  Object.keys(filters).forEach(function (name) {
    var value = params.get(name);
    if (value && filters[name].querySelector('option[value="' + CSS.escape(value) + '"]')) filters[name].value = value;
  });
  var initial = params.get("q");
  if (initial) {
    input.value = initial;
    search();
  }
})();
