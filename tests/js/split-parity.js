// Runs a large query set against a whole lunr index and against the index assembled from its
// parts (templates/static/search-parts.js), and reports every difference in results or scores.
// Used by split-index.test.js (the real edition) and tests/test_search_parts.py (a synthetic
// edition): node tests/js/split-parity.js <folder>  (a folder written by tests/searchindexes.py).
const fs = require("node:fs");
const path = require("node:path");
const lunr = require("lunr");
const E = require("../../templates/static/search-pipeline.js");
const { SplitIndex } = require("../../templates/static/search-parts.js");

const FIXED = {
  ar: ["موصل", "الموصل", "والموصل", "بالموصل", "للموصل", "فالموصل", "الرقة", "الرقّة", "الرقه", "والرقة", "اجانب",
    "الأجانب", "أشار", "وأشار", "تحرير", "لتحرير", "مقاتل", "المقاتلين", "٢٢٥٤", "2254", "كير", "كيري ",
    "التحالف الدولي", "والتحالف", "فالحكومة", "ووزير", "وزير الخارجية ", "في من على ", "و", "إلى", "زززز", "ت", "تح",
    "واشنطن 2016 ", "داعش", "التحالف", "اجتماع", "بيان", "تقرير", "ا", "ال"],
  en: ["Kerry", "kerry", "fighters", "fighter", "Turkey", "days", "Mosul Raqqa", "Tillers", "coalition", "the of and ",
    "a", "qqqzzz", "Resolution 2254", "min", "m", "foreign terrorist fighters", "Daesh ", "Mosul ", "statement",
    "report", "meeting", "Iraq", "2016", "s", "al"]
};

// The files of an index folder, as SplitIndex fetches them (each read once, parsed afresh).
function files(dir) {
  const read = new Map();
  return function (name) {
    if (!read.has(name)) read.set(name, fs.readFileSync(path.join(dir, name), "utf8"));
    return Promise.resolve(JSON.parse(read.get(name)));
  };
}

// Every nth document's text, for queries made of real words.
function texts(dir, every) {
  const out = [];
  for (let n = 0; fs.existsSync(path.join(dir, "d" + n + ".json")); n++) {
    JSON.parse(fs.readFileSync(path.join(dir, "d" + n + ".json"), "utf8")).forEach((doc, i) => {
      if ((n + i) % every === 0) out.push(doc.x);
    });
  }
  return out;
}

// Queries as readers type them: single words, phrases, unfinished words (prefixes), words with
// a proclitic or an ending added, words with a typo; plus the fixed ones above.
function querySet(lang, dir, every) {
  const queries = FIXED[lang].slice();
  texts(dir, every).forEach((text, i) => {
    const ws = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    if (!ws.length) return;
    const w = ws[(i * 13) % ws.length], w2 = ws[(i * 7 + 3) % ws.length], w3 = ws[(i * 5 + 1) % ws.length];
    const typo = w.length > 3 ? w.slice(0, 1) + w.slice(2) : w + w.slice(-1);
    const clitic = lang === "ar" ? ["و", "ب", "ل", "وال", "فال"][i % 5] + w : w + ["s", "ing", "ed"][i % 3];
    // typos at the very start, which the split index finds by the second letter or by the rest
    // of the word: the first letter dropped, changed or doubled by one before it, the first two swapped
    const letter = lang === "ar" ? "ث" : "z";
    const atStart = w.length > 4 ? [w.slice(1), letter + w.slice(1), letter + w, w[1] + w[0] + w.slice(2)] : [];
    queries.push(w, w + " ", w + " " + w2, w.slice(0, Math.ceil(w.length / 2)), clitic, typo, [w, w2, w3].join(" ") + " ",
      ...atStart);
  });
  return Array.from(new Set(queries));
}

// The ways a query is put to lunr: the page's own (E.plan, E.addClauses, with its words one edit
// away found in the whole index: `typed`), the same with lunr's own typo tolerance (edit distance 1
// on each term), and lunr's other clause kinds.
function builders(text, s, typed) {
  const planned = E.plan(text, s.stop, s.protectedSet);
  const terms = [].concat(...planned.map((w) => Array.from(w.terms)));
  const out = {
    page: (q) => E.addClauses(q, typed),
    typo: (q) => terms.forEach((t) => q.term(t, { usePipeline: false, editDistance: 1 })),
    pipeline: (q) => E.words(text).forEach((w) => q.term(w)),
    none: () => {}
  };
  if (terms.length) {
    const t = terms[0];
    Object.assign(out, {
      typo2: (q) => q.term(t, { usePipeline: false, editDistance: 2 }),
      leading: (q) => q.term(t.slice(1), { usePipeline: false, wildcard: lunr.Query.wildcard.LEADING }),
      inner: (q) => q.term(t.slice(0, 1) + "*" + t.slice(-1), { usePipeline: false }),
      required: (q) => terms.forEach((x, i) => q.term(x, { usePipeline: false, presence: i ? lunr.Query.presence.OPTIONAL : lunr.Query.presence.REQUIRED })),
      prohibited: (q) => q.term(t, { usePipeline: false, presence: lunr.Query.presence.PROHIBITED })
    });
  }
  return out;
}

// The page's plan of a query, with the terms one edit away as `near` finds them, as text to compare.
function typoTerms(planned) {
  return JSON.stringify(planned.map((w) => Array.from(w.typos || []).sort()));
}

function comparable(results) {
  return JSON.stringify(results.map((r) => [r.ref, r.score, r.matchData.metadata]));
}

async function compare(folder, every) {
  const mismatches = [];
  let count = 0;
  for (const lang of ["ar", "en"]) {
    const dir = path.join(folder, lang, "parts");
    const whole = lunr.Index.load(JSON.parse(fs.readFileSync(path.join(folder, lang, "whole.json"), "utf8")));
    const fetch = files(dir);
    const warm = await SplitIndex.load(fetch); // one index that gathers parts query after query
    const s = { stop: new Set(warm.manifest.stopWords), protectedSet: new Set(warm.manifest.protected) };
    E.state.protectedSet = s.protectedSet;
    for (const text of querySet(lang, dir, every)) {
      const cold = await SplitIndex.load(fetch); // one for each query text, with only what it needs
      cold.termSet = warm.termSet; // the term list's automaton, made once (split-index.test.js tests its fetching)
      const planned = E.plan(text, s.stop, s.protectedSet);
      const typed = await E.withTypos(planned, (t) => whole.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(t, 1)).toArray());
      const fromParts = await E.withTypos(planned, (t) => cold.expand({ editDistance: 1 }, t));
      if (typoTerms(fromParts) !== typoTerms(typed)) {
        mismatches.push({ lang, text, kind: "typo terms", expected: typoTerms(typed), actual: typoTerms(fromParts) });
      }
      for (const [kind, build] of Object.entries(builders(text, s, typed))) {
        const expected = comparable(whole.query(build));
        for (const split of [cold, warm]) {
          const actual = comparable(await split.query(build));
          if (actual !== expected) mismatches.push({ lang, text, kind, expected: expected.slice(0, 300), actual: actual.slice(0, 300) });
        }
        count++;
      }
    }
  }
  return { count, mismatches };
}

module.exports = { compare, querySet, builders, files };

if (require.main === module) {
  compare(process.argv[2], Number(process.argv[3] || 3)).then((result) => console.log(JSON.stringify(result)));
}
