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
