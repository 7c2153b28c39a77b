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

test("an index without the files of near terms: typo tolerance expands over the whole term list, then fetches the buckets of what it found", async () => {
  const f = fixture();
  const split = await f.load();
  const hits = await split.query((q) => q.term("bandna", { usePipeline: false, editDistance: 1 }));
  assert.deepStrictEqual(hits.map((h) => h.ref), ["2", "1"]); // bandana, banana
  assert.deepStrictEqual(f.fetched, ["index.json", "terms.json", "t1.json"]);
});

test("a typo one edit away fetches only the terms it can reach, by their first letters and by their tails", async () => {
  // terms in w files by their start (| between files), and in v files by their tail (all but the first letter)
  const words = [["apple", "apricot"], ["banana", "bandana"], ["cherry"]];
  const tails = [["banana", "bandana"], ["cherry"], ["apple", "apricot"]]; // tails "anana" "andana" | "herry" | "pple" "pricot"
  const files = Object.assign({}, FILES, {
    "index.json": Object.assign({}, FILES["index.json"], { words: ["apple", "banana", "cherry"], tails: ["anana", "herry", "pple"] }),
    "w0.json": words[0], "w1.json": words[1], "w2.json": words[2],
    "v0.json": tails[0], "v1.json": tails[1], "v2.json": tails[2]
  });
  const fetched = [];
  const split = await SplitIndex.load((name) => { fetched.push(name); return Promise.resolve(JSON.parse(JSON.stringify(files[name]))); });
  // "xherry", the first letter changed: cherry has its tail "herry" (v1). Also fetched: the files
  // that may hold terms beginning with "x" or "h" (w2, from "cherry" on) or with the tail
  // "xherry" (v2, from "pple" on) or "herry" (v0 too: a run of it may begin at its end).
  assert.deepStrictEqual(await split.expand({ editDistance: 1 }, "xherry"), ["cherry"]);
  assert.deepStrictEqual(fetched.slice(1).sort(), ["v0.json", "v1.json", "v2.json", "w2.json"]);
  // "abnana", the first two letters swapped: banana begins with its second letter (w1); not
  // fetched: w2 and v1, v2 (no term there begins with "a" or "b", or has the tail "abnana" or "bnana")
  fetched.length = 0;
  const fresh = await SplitIndex.load((name) => { fetched.push(name); return Promise.resolve(JSON.parse(JSON.stringify(files[name]))); });
  assert.deepStrictEqual(await fresh.expand({ editDistance: 1 }, "abnana"), ["banana"]);
  assert.deepStrictEqual(fetched.slice(1).sort(), ["v0.json", "w0.json", "w1.json"]);
  // more than one edit: the whole list
  fetched.length = 0;
  assert.deepStrictEqual((await split.expand({ editDistance: 2 }, "bnaana")).sort(), ["banana", "bandana"]);
  assert.deepStrictEqual(fetched, ["terms.json"]);
});

test("the parts that can hold a key that comes many times: a run of it may begin in the part before", () => {
  const { partsWithKey } = require("../../templates/static/search-parts.js");
  // parts [ant, bat, cat] [cat, cat, dog] [dog, eel]: their first keys ant, cat, dog
  const firsts = ["ant", "cat", "dog"];
  assert.deepStrictEqual(partsWithKey(firsts, "cat"), [0, 1]); // part 0 may end with cat
  assert.deepStrictEqual(partsWithKey(firsts, "bat"), [0]);
  assert.deepStrictEqual(partsWithKey(firsts, "ant"), [0]);
  assert.deepStrictEqual(partsWithKey(firsts, "aardvark"), []);
  assert.deepStrictEqual(partsWithKey(firsts, "dog"), [1, 2]);
  assert.deepStrictEqual(partsWithKey(firsts, "zebra"), [2]);
  assert.deepStrictEqual(partsWithKey(["cat", "cat", "cat"], "cat"), [0, 1, 2]);
  assert.deepStrictEqual(partsWithKey([], "cat"), []);
});
