// The split search index in lunr.js: the index assembled from the parts a query needs answers
// every query of a large set exactly as the whole index does (the real edition's indexes,
// written by tests/searchindexes.py), and fetches no more than it needs.
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { SplitIndex } = require("../../templates/static/search-parts.js");
const { compare } = require("./split-parity.js");

const ROOT = path.join(__dirname, "..", "..");
const PYTHON = fs.existsSync(path.join(ROOT, ".venv", "bin", "python")) ? path.join(ROOT, ".venv", "bin", "python") : "python3";

test("the assembled index gives the whole index's results and scores for every query", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "split-index-"));
  try {
    execFileSync(PYTHON, [path.join(ROOT, "tests", "searchindexes.py"), ROOT, out]);
    const found = await compare(out, 3);
    assert.deepStrictEqual(found.mismatches, []);
    assert.ok(found.count > 1000, found.count + " queries");
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

// A hand-made index of three buckets: apple, apricot | banana, bandana | cherry.
const FILES = {
  "index.json": { count: 3, docsPerFile: 2, fields: ["title", "body"], parts: ["apple", "banana", "cherry"],
    pipeline: ["edition-stem"], version: "2.3.9", stopWords: [], protected: [] },
  "t0.json": [["apple", 0, [[], []], [[0, 2], [500, 1250]]], ["apricot", 1, [[1], [3000]], [[], []]]],
  "t1.json": [["banana", 2, [[], []], [[1], [700]]], ["bandana", 3, [[], []], [[2], [900]]]],
  "t2.json": [["cherry", 4, [[0], [2000]], [[], []]]],
  "terms.json": ["apple", "apricot", "banana", "bandana", "cherry"],
  "d0.json": [{ t: "zero" }, { t: "one" }],
  "d1.json": [{ t: "two" }]
};

function fixture() {
  const fetched = [];
  return { fetched, load: () => SplitIndex.load((name) => { fetched.push(name); return Promise.resolve(JSON.parse(JSON.stringify(FILES[name]))); }) };
}

test("a term's bucket and a prefix's buckets", async () => {
  const split = await fixture().load();
  assert.deepStrictEqual(["aardvark", "apple", "azure", "banana", "bz", "cherry", "zebra"].map((t) => split.bucketOf(t)),
    [-1, 0, 0, 1, 1, 2, 2]);
  assert.deepStrictEqual(split.bucketsWithPrefix("ap"), [0]);
  assert.deepStrictEqual(split.bucketsWithPrefix("a"), [0]);
  assert.deepStrictEqual(split.bucketsWithPrefix("b"), [0, 1]); // bucket 0 may hold "bad" (< "banana")
  assert.deepStrictEqual(split.bucketsWithPrefix(""), [0, 1, 2]);
  assert.deepStrictEqual(split.bucketsWithPrefix("c"), [1, 2]);
  assert.deepStrictEqual(split.bucketsWithPrefix("band"), [1]);
  assert.deepStrictEqual(split.bucketsWithPrefix("az"), [0]);
});

test("a query fetches the manifest and only the buckets and documents it needs", async () => {
  const f = fixture();
  const split = await f.load();
  const hits = await split.query((q) => q.term("banana", { usePipeline: false }));
  assert.deepStrictEqual(hits.map((h) => [h.ref, h.score]), [["1", 0.7]]);
  assert.deepStrictEqual(await split.documents(["2", "1"]), [{ t: "two" }, { t: "one" }]);
  assert.deepStrictEqual(f.fetched, ["index.json", "t1.json", "d1.json", "d0.json"]);
});

test("typo tolerance expands over the whole term list, then fetches the buckets of what it found", async () => {
  const f = fixture();
  const split = await f.load();
  const hits = await split.query((q) => q.term("bandna", { usePipeline: false, editDistance: 1 }));
  assert.deepStrictEqual(hits.map((h) => h.ref), ["2", "1"]); // bandana, banana
  assert.deepStrictEqual(f.fetched, ["index.json", "terms.json", "t1.json"]);
});
