// For bench/search_bytes.py: runs each query as the search page does on a cold cache (a fresh
// SplitIndex: manifest, the buckets the query needs, the files of the 50 documents shown) and
// prints the files it fetched.   node bench/search-bytes.js <index folder> < queries.json
const fs = require("node:fs");
const path = require("node:path");
const E = require("../templates/static/search-pipeline.js");
const { SplitIndex } = require("../templates/static/search-parts.js");

async function run(folder, text) {
  const fetched = [];
  const split = await SplitIndex.load((name) => {
    fetched.push(name);
    return fs.promises.readFile(path.join(folder, name), "utf8").then(JSON.parse);
  });
  const stop = new Set(split.manifest.stopWords), protectedSet = new Set(split.manifest.protected);
  E.state.protectedSet = protectedSet;
  const planned = E.plan(text, stop, protectedSet);
  let hits = [];
  if (planned.length) hits = E.matchingEvery(await split.query((q) => E.addClauses(q, planned)), planned);
  await split.documents(hits.slice(0, 50).map((hit) => hit.ref));
  return { text, hits: hits.length, files: fetched };
}

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const out = [];
  for (const text of JSON.parse(input)) out.push(await run(process.argv[2], text));
  console.log(JSON.stringify(out));
});
