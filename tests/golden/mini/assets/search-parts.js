// A language's search index in parts (written by edition/searchparts.py): the manifest first,
// then only the buckets of terms a query and its expansions need and the documents it shows.
// The lunr.Index assembled from the fetched buckets answers the query exactly as the whole index
// would: it holds every term the query can reach, with all its postings, and the field vectors
// restricted to those terms (lunr scores over the query's terms only). Loaded in the browser
// after lunr.js, and by the Node tests with require().
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("lunr"));
  else root.EditionSearchParts = factory(root.lunr);
})(this, function (lunr) {
  "use strict";

  // `fetchJson(name)` gives a promise of the parsed file `name` of the index's folder.
  function SplitIndex(manifest, fetchJson) {
    this.manifest = manifest;
    this.fetchJson = fetchJson;
    this.pipeline = lunr.Pipeline.load(manifest.pipeline);
    this.buckets = new Map(); // bucket number -> promise of its entries
    this.entries = new Map(); // bucket number -> its entries, once fetched
    this.termSet = null; // promise of a lunr.TokenSet of every term (fetched only if needed)
    this.termFiles = new Map(); // name of a w or v file -> promise of its terms
    this.facetRuns = null; // promise of the facets (fetched only to filter)
    this.docFiles = new Map(); // document file number -> promise of its documents
    this.assembled = {}; // lunr.Index over the fetched buckets, without and with every document
  }

  SplitIndex.load = function (fetchJson) {
    return fetchJson("index.json").then(function (manifest) { return new SplitIndex(manifest, fetchJson); });
  };

  // In a sorted list cut into parts (`firsts`: the first key of each), the part a key belongs
  // in: the last whose first key is not after it (-1: before all); with `before`, the last whose
  // first key is before it.
  function partOf(firsts, key, before) {
    var lo = -1, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] < key || (!before && firsts[mid] === key)) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // The parts that can hold keys starting with `prefix` (a contiguous run of keys).
  function partsWithPrefix(firsts, prefix) {
    var out = [], start = partOf(firsts, prefix);
    if (start >= 0) out.push(start);
    for (var i = start + 1; i < firsts.length && firsts[i].slice(0, prefix.length) === prefix; i++) out.push(i);
    return out;
  }

  // The parts that can hold the key `key` itself, in a list where a key may come many times (a
  // run of it can begin at the end of one part and go on into the next ones).
  function partsWithKey(firsts, key) {
    var out = [], start = partOf(firsts, key, true);
    if (start >= 0) out.push(start);
    for (var i = start + 1; i < firsts.length && firsts[i] === key; i++) out.push(i);
    return out;
  }

  // The bucket a term belongs in (-1: before all).
  SplitIndex.prototype.bucketOf = function (term) {
    return partOf(this.manifest.parts, term);
  };

  // The buckets holding the terms that start with `prefix`.
  SplitIndex.prototype.bucketsWithPrefix = function (prefix) {
    return partsWithPrefix(this.manifest.parts, prefix);
  };

  // The terms of the whole index that a clause's term expands to, by lunr's own automaton. For a
  // term one edit away (the page's typo tolerance), over the terms such an edit can reach only
  // (edition/searchparts.py says which); otherwise (more edits, wildcards other than trailing),
  // over the list of every term.
  SplitIndex.prototype.expand = function (clause, term) {
    var automaton = lunr.TokenSet.fromClause(Object.assign({}, clause, { term: term }));
    var near = clause.editDistance === 1 && term.length >= 2 && !/[*\ud800-\udfff]/.test(term) && this.manifest.words;
    return (near ? this.nearTerms(term) : this.allTerms()).then(function (set) {
      return set.intersect(automaton).toArray();
    });
  };

  SplitIndex.prototype.allTerms = function () {
    if (!this.termSet) {
      this.termSet = this.fetchJson("terms.json").then(function (terms) { return lunr.TokenSet.fromArray(terms); });
    }
    return this.termSet;
  };

  // A lunr.TokenSet of the terms that can be one edit from `term`: those beginning with its first
  // or second unit (w files), and those whose tail is the term or its tail (v files).
  SplitIndex.prototype.nearTerms = function (term) {
    var m = this.manifest;
    var words = partsWithPrefix(m.words, term.charAt(0)).concat(partsWithPrefix(m.words, term.charAt(1)));
    var tails = partsWithKey(m.tails, term).concat(partsWithKey(m.tails, term.slice(1)));
    var files = Array.from(new Set(words.map(function (n) { return "w" + n + ".json"; })
      .concat(tails.map(function (n) { return "v" + n + ".json"; }))));
    return Promise.all(files.map(this.termFile, this)).then(function (lists) {
      var terms = Array.from(new Set([].concat.apply([], lists))).sort();
      return lunr.TokenSet.fromArray(terms);
    });
  };

  // A file of terms (w or v), fetched once.
  SplitIndex.prototype.termFile = function (name) {
    var self = this;
    if (!this.termFiles.has(name)) {
      this.termFiles.set(name, this.fetchJson(name).catch(function (error) {
        self.termFiles.delete(name); // a failed fetch may be tried again
        throw error;
      }));
    }
    return this.termFiles.get(name);
  };

  // The facets a reader filters by (facets.json: for each kind and meeting, the runs of
  // documents that have it), fetched the first time a search is filtered.
  SplitIndex.prototype.facets = function () {
    var self = this;
    if (!this.facetRuns) {
      this.facetRuns = this.fetchJson("facets.json").catch(function (error) {
        self.facetRuns = null; // a failed fetch may be tried again
        throw error;
      });
    }
    return this.facetRuns;
  };

  // The buckets a query clause needs, expanded as lunr.Index#query expands it.
  SplitIndex.prototype.bucketsFor = function (clause) {
    var self = this;
    var terms = clause.usePipeline ? this.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
    return Promise.all(terms.map(function (term) {
      var star = term.indexOf("*"), fuzzy = "editDistance" in clause;
      if (!fuzzy && star === -1) return [self.bucketOf(term)].filter(function (b) { return b >= 0; });
      if (!fuzzy && star === term.length - 1) return self.bucketsWithPrefix(term.slice(0, -1));
      return self.expand(clause, term).then(function (found) { return found.map(self.bucketOf, self); });
    })).then(function (lists) { return [].concat.apply([], lists); });
  };

  SplitIndex.prototype.fetchBuckets = function (numbers) {
    var self = this;
    return Promise.all(numbers.map(function (n) {
      if (!self.buckets.has(n)) {
        self.buckets.set(n, self.fetchJson("t" + n + ".json").then(function (entries) {
          self.entries.set(n, entries);
          self.assembled = {};
        }, function (error) {
          self.buckets.delete(n); // a failed fetch may be tried again
          throw error;
        }));
      }
      return self.buckets.get(n);
    }));
  };

  // A lunr.Index over the fetched buckets. With `everyDocument`, every document has a (possibly
  // empty) field vector in the whole index's order, as a query of prohibited terms only needs.
  SplitIndex.prototype.assemble = function (everyDocument) {
    var kind = everyDocument ? "every" : "hit";
    if (this.assembled[kind]) return this.assembled[kind];
    var fields = this.manifest.fields, vectors = new Map(), invertedIndex = [];
    if (everyDocument) {
      for (var d = 0; d < this.manifest.count; d++) {
        fields.forEach(function (field) { vectors.set(field + "/" + d, []); });
      }
    }
    var numbers = Array.from(this.entries.keys()).sort(function (a, b) { return a - b; });
    numbers.forEach(function (n) {
      this.entries.get(n).forEach(function (entry) {
        var posting = { _index: entry[1] };
        fields.forEach(function (field, f) {
          var gaps = entry[2 + f][0], weights = entry[2 + f][1], refs = {}, ref = 0;
          for (var k = 0; k < gaps.length; k++) {
            ref += gaps[k];
            refs[ref] = {};
            var key = field + "/" + ref;
            if (!vectors.has(key)) vectors.set(key, []);
            vectors.get(key).push([entry[1], weights[k] / 1000]);
          }
          posting[field] = refs;
        });
        invertedIndex.push([entry[0], posting]);
      });
    }, this);
    var fieldVectors = [];
    vectors.forEach(function (pairs, key) {
      pairs.sort(function (a, b) { return a[0] - b[0]; });
      fieldVectors.push([key, [].concat.apply([], pairs)]);
    });
    var index = lunr.Index.load({
      version: this.manifest.version, fields: fields, fieldVectors: fieldVectors,
      invertedIndex: invertedIndex, pipeline: this.manifest.pipeline
    });
    this.assembled[kind] = index;
    return index;
  };

  // lunr.Index#query, answered from the buckets it needs: a promise of the same results.
  SplitIndex.prototype.query = function (build) {
    var self = this, plan = new lunr.Query(this.manifest.fields);
    build.call(plan, plan);
    return Promise.all(plan.clauses.map(function (clause) { return self.bucketsFor(clause); }))
      .then(function (lists) { return self.fetchBuckets(Array.from(new Set([].concat.apply([], lists)))); })
      .then(function () { return self.assemble(plan.isNegated()).query(build); });
  };

  // The documents (as the results show them) of the given refs, in that order.
  SplitIndex.prototype.documents = function (refs) {
    var self = this, size = this.manifest.docsPerFile;
    return Promise.all(refs.map(function (ref) {
      var n = Math.floor(Number(ref) / size);
      if (!self.docFiles.has(n)) {
        self.docFiles.set(n, self.fetchJson("d" + n + ".json").catch(function (error) {
          self.docFiles.delete(n);
          throw error;
        }));
      }
      return self.docFiles.get(n).then(function (docs) { return docs[Number(ref) % size]; });
    }));
  };

  return { SplitIndex: SplitIndex, partsWithKey: partsWithKey };
});
