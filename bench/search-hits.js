// For bench/search_compare.py: each query as the search page plans and runs it (a fresh SplitIndex
// over a built site's index folder): how many words of it are searched (0: stop words only), how
// many hits, and with --pages the pages the hits are on (URLs without the fragment).
//   node bench/search-hits.js <site>/assets/search/<lang> [--pages] < queries.json
const fs = require("node:fs");
const path = require("node:path");
const E = require("../templates/static/search-pipeline.js");
const { SplitIndex } = require("../templates/static/search-parts.js");

async function run(folder, text, withPages) {
  const split = await SplitIndex.load((name) => fs.promises.readFile(path.join(folder, name), "utf8").then(JSON.parse));
  const stop = new Set(split.manifest.stopWords), protectedSet = new Set(split.manifest.protected);
  E.state.protectedSet = protectedSet;
  const planned = E.plan(text, stop, protectedSet);
  let hits = [];
  if (planned.length) hits = E.matchingEvery(await split.query((q) => E.addClauses(q, planned)), planned);
  if (!withPages) return { text, words: planned.length, hits: hits.length };
  const docs = await split.documents(hits.map((hit) => hit.ref));
  const pages = [...new Set(docs.map((doc) => doc.u.split("#")[0]))].sort();
  return { text, words: planned.length, hits: hits.length, pages };
}

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const out = [];
  for (const text of JSON.parse(input)) out.push(await run(process.argv[2], text, process.argv[3] === "--pages"));
  console.log(JSON.stringify(out));
});
