// The browser side of the shared vectors: lunr.js with the project's search pipeline.
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const E = require("../../templates/static/search-pipeline.js");

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "vectors", "search.json"), "utf8"));
const protectedSet = new Set(vectors.protected);
// The stop words are the ones the Python side writes into each index file.
const stop = new Set(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "edition", "stopwords.json"), "utf8")));

for (const c of vectors.cases) {
  test("vector " + JSON.stringify(c.input), () => {
    assert.deepStrictEqual(E.words(c.input), c.words);
    assert.deepStrictEqual(E.terms(c.input, stop, protectedSet), c.terms);
  });
}

test("the pipeline function is registered under the project's label", () => {
  const lunr = require("lunr");
  assert.strictEqual(lunr.Pipeline.registeredFunctions["edition-stem"], E.editionStem);
});

// Typo tolerance: the typed word's term and the text's term are the shared ones, and the query
// plan takes the text's term as one edit away exactly when the vector says the query finds it.
const lunr = require("lunr");
for (const c of vectors.typos) {
  test("typo " + JSON.stringify(c.query) + " → " + JSON.stringify(c.text), async () => {
    assert.deepStrictEqual(E.terms(c.query, stop, protectedSet), c.query_terms);
    assert.deepStrictEqual(E.terms(c.text, stop, protectedSet), c.text_terms);
    const index = lunr.TokenSet.fromArray(c.text_terms.slice().sort());
    const near = (term) => index.intersect(lunr.TokenSet.fromFuzzyString(term, 1)).toArray();
    const [word] = await E.withTypos(E.plan(c.query + " ", stop, protectedSet), near);
    const finds = c.text_terms.some((t) => E.answers(word, t) > 0);
    assert.strictEqual(finds, c.finds);
  });
}

test("a word one edit away ranks below the exact word", async () => {
  const stopSet = new Set();
  const idx = lunr(function () {
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.field("body");
    this.add({ id: "typo", body: "kerri kerri kerri" });
    this.add({ id: "exact", body: "keri and many other words here too" });
  });
  const near = (term) => idx.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(term, 1)).toArray();
  const planned = await E.withTypos(E.plan("keri ", stopSet, protectedSet), near);
  const hits = E.matchingEvery(idx.query((q) => E.addClauses(q, planned)), planned);
  assert.deepStrictEqual(hits.map((h) => h.ref), ["exact", "typo"]);
});
