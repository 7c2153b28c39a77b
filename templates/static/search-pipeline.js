// The browser twin of edition/normalize.py and edition/search.py: the same normalization,
// words, stop words and stemmer, registered with lunr.js under the label "edition-stem".
// Loaded in the browser after lunr.js, and by the Node tests with require().
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("lunr"));
  else root.EditionSearch = factory(root.lunr);
})(this, function (lunr) {
  "use strict";

  var DROP = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
  var FOLD = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    "\u0649": "\u064a", "\u0629": "\u0647", "\u0624": "\u0648", "\u0626": "\u064a",
    "\u06cc": "\u064a", "\u06a9": "\u0643"
  };
  for (var d = 0; d < 10; d++) {
    FOLD[String.fromCharCode(0x0660 + d)] = String(d);
    FOLD[String.fromCharCode(0x06f0 + d)] = String(d);
  }
  var WORD = /[\p{L}\p{N}]+/gu;
  var ARABIC = /[\u0600-\u06ff]/;
  var DIGITS = /^[0-9]+$/;
  var ARTICLES = ["وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال"];
  var SUFFIXES = ["ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي"];
  var PROCLITICS = ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];

  function normalizeChar(ch) {
    if (DROP.test(ch)) return "";
    var text = ch.normalize("NFKC").normalize("NFD");
    var out = "";
    for (var c of text) {
      if (!DROP.test(c) && !/^\p{M}$/u.test(c)) out += c;
    }
    out = out.normalize("NFC");
    var folded = "";
    for (var f of out) folded += FOLD[f] || f;
    return folded.toLowerCase();
  }

  function normalize(text) {
    var out = "";
    for (var ch of text) out += normalizeChar(ch);
    return out;
  }

  function words(text) {
    return normalize(text).match(WORD) || [];
  }

  function stripArticle(word) {
    for (var i = 0; i < ARTICLES.length; i++) {
      var a = ARTICLES[i];
      if (word.startsWith(a) && word.length - a.length >= 2) return word.slice(a.length);
    }
    return word;
  }

  function stemArabic(word, protectedSet) {
    var core = stripArticle(word);
    if (protectedSet.has(core)) return core;
    for (var i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (core.endsWith(s) && core.length - s.length >= 3) return core.slice(0, core.length - s.length);
    }
    return core;
  }

  function stem(word, protectedSet) {
    if (ARABIC.test(word)) return stemArabic(word, protectedSet || new Set());
    if (DIGITS.test(word)) return word;
    return lunr.stemmer(new lunr.Token(word)).toString();
  }

  function terms(text, stopSet, protectedSet) {
    return words(text).filter(function (w) { return !stopSet.has(w); })
      .map(function (w) { return stem(w, protectedSet); });
  }

  // The query-time pipeline function, the twin of edition.search.EditionStemmer.
  var state = { protectedSet: new Set() };
  function editionStem(token) {
    return token.update(function (s) { return stem(s, state.protectedSet); });
  }
  lunr.Pipeline.registerFunction(editionStem, "edition-stem");

  // What one typed word may stand for: itself, and (for Arabic) the forms with proclitics
  // attached or removed, so that «أشار» finds «وأشار» and «والموصل» finds «الموصل».
  function variants(word) {
    var out = [word];
    if (!ARABIC.test(word)) return out;
    PROCLITICS.forEach(function (p) { out.push(p + word); });
    if (/^[وف]/.test(word) && word.length >= 4) out.push(word.slice(1));
    return out;
  }

  // What a query asks: each typed word (stop words dropped) as the set of index terms it may
  // stand for, and for the unfinished last word (no space after it) a prefix as well.
  function plan(text, stopSet, protectedSet) {
    var typed = words(text).filter(function (w) { return !stopSet.has(w); });
    var open = text.length && !/\s$/.test(text);
    return typed.map(function (word, i) {
      var terms = new Set(variants(word).map(function (v) { return stem(v, protectedSet); }));
      var prefix = (open && i === typed.length - 1) ? stripArticle(word) : null;
      return { terms: terms, prefix: prefix };
    });
  }

  // Typo tolerance: an index term one edit (insertion, deletion, substitution) away from a typed
  // word's own term also matches it, provided the index term has at least TYPO_LENGTH letters
  // (so the typed term has at least TYPO_LENGTH - 1): "Kery" (term "keri") finds Kerry (term
  // "kerri"), «التحلف» (term «تحلف») finds «التحالف» (term «تحالف»). Only the typed word's own term is
  // tried, not its proclitic variants; shorter words are too easily another word.
  var TYPO_LENGTH = 5;
  var TYPO_BOOST = 0.1;

  function typoBase(w) { return w.terms.values().next().value; } // the typed word's own term

  // `near(term)` gives (a promise of) the index's terms within one edit of `term` (the whole
  // index's token set, or the split index's term list); the plan's words get their `typos`.
  function withTypos(planned, near) {
    return Promise.all(planned.map(function (w) {
      var base = typoBase(w);
      if (!base || Array.from(base).length < TYPO_LENGTH - 1) return w;
      return Promise.resolve(near(base)).then(function (found) {
        var typos = new Set(found.filter(function (t) {
          return Array.from(t).length >= TYPO_LENGTH && !w.terms.has(t) && !(w.prefix && t.indexOf(w.prefix) === 0);
        }));
        return Object.assign({}, w, { typos: typos });
      });
    }));
  }

  // The lunr query of a plan: every term of every word, optional; the prefixes as wildcards; the
  // terms one edit away with a lower boost, so that they rank below exact matches.
  function addClauses(query, planned) {
    planned.forEach(function (w) {
      w.terms.forEach(function (t) { query.term(t, { usePipeline: false }); });
      if (w.prefix) query.term(w.prefix, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
      if (w.typos) w.typos.forEach(function (t) { query.term(t, { usePipeline: false, boost: TYPO_BOOST }); });
    });
  }

  // How an index term answers a planned word: 2 exactly (or as its prefix), 1 one edit away, 0 not.
  function answers(w, term) {
    if (w.terms.has(term) || (w.prefix && term.indexOf(w.prefix) === 0)) return 2;
    return w.typos && w.typos.has(term) ? 1 : 0;
  }

  // The hits that match every word of the plan (not lunr's required clauses: lunr.js 2.3.9
  // empties a required clause when one of its terms is missing from the index): those matching
  // every word exactly first, then those with fewer words matched only one edit away, each by score.
  function matchingEvery(hits, planned) {
    var tiered = [];
    hits.forEach(function (hit, order) {
      var matched = Object.keys(hit.matchData.metadata), typos = 0;
      var every = planned.every(function (w) {
        var best = Math.max.apply(null, [0].concat(matched.map(function (m) { return answers(w, m); })));
        if (best === 1) typos++;
        return best > 0;
      });
      if (every) tiered.push({ hit: hit, typos: typos, order: order });
    });
    tiered.sort(function (a, b) { return a.typos - b.typos || a.order - b.order; });
    return tiered.map(function (t) { return t.hit; });
  }

  // How a word as it stands in a text («والموصل،») answers the plan, as `answers` says (2, 1, 0):
  // what a result's snippet and the page a result opens mark.
  function marks(text, planned, protectedSet) {
    var best = 0;
    words(text).forEach(function (p) {
      var t = stem(p, protectedSet), core = stripArticle(p);
      planned.forEach(function (w) {
        best = Math.max(best, w.prefix && core.indexOf(w.prefix) === 0 ? 2 : answers(w, t));
      });
    });
    return best;
  }

  return {
    normalize: normalize, words: words, stem: stem, terms: terms, stripArticle: stripArticle,
    variants: variants, state: state, editionStem: editionStem, plan: plan, addClauses: addClauses,
    matchingEvery: matchingEvery, withTypos: withTypos, answers: answers, marks: marks, TYPO_LENGTH: TYPO_LENGTH
  };
});
