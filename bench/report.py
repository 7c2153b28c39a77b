"""bench/results.md from the figures bench/run.py collects (bench/results.json): the machine and
versions, each target of issue 18 met or missed with its margin, then each size's tables."""
from __future__ import annotations

ISSUE_BUILD = {"hugo": 1.5, "pelican": 0.4}  # ours at most this × the peer at N = 1,000
MEMORY_N, MEMORY_LIMIT_MIB, BUILD_N = 10000, 600, 1000
SEARCH_LIMITS = {1000: 300_000, 10000: 800_000}  # bytes, median first query
SERVE_N, SERVE_LIMIT_MS = 1000, 250
LABELS = {"ours": "ours (build.py, both search indexes)", "hugo": "Hugo (no search)", "pelican": "Pelican (no search)",
          "mkdocs": "MkDocs (search JSON only)", "mkdocs-search": "MkDocs + lunr.py prebuilt index"}


def verdict(measured: float, limit: float, unit: str, digits: int = 0) -> str:
    """'**met**, 12 ms (5 %) under' or '**missed** by 30 ms (12 % over)'."""
    gap = abs(limit - measured)
    share = 100 * gap / limit if limit else 0
    if measured <= limit:
        return f"**met**, {gap:,.{digits}f} {unit} ({share:.0f} %) under the limit"
    return f"**missed** by {gap:,.{digits}f} {unit} ({share:.0f} % over the limit)"


def ratio(theirs: float | None, ours: float | None) -> str:
    return f"{theirs / ours:.2f}×" if theirs is not None and ours else "–"


def kb(n: float | None) -> str:
    return "–" if n is None else f"{n / 1000:,.1f} KB"


def ms(n: float | None) -> str:
    return "–" if n is None else f"{n:,.0f} ms"


# ------------------------------------------------------------------ targets

def build_targets(results: dict) -> list[list[str]]:
    rows = []
    b = (results.get(str(BUILD_N)) or {}).get("build", {}).get("builders", {})
    ours = b.get("ours", {})
    for peer, factor in ISSUE_BUILD.items():
        what = f"full build at N = {BUILD_N:,} ≤ {factor:g}× {LABELS[peer]}"
        p = b.get(peer)
        if not (p and p.get("ok") and ours.get("ok")):
            rows.append([what, "–", "–", "**not measured**" + (f": {p['note']}" if p and p.get("note") else "")])
            continue
        limit = factor * p["median"]
        rows.append([what, f"{limit:.2f} s ({factor:g} × {p['median']:.2f} s)", f"{ours['median']:.2f} s "
                     f"({ours['median'] / p['median']:.2f}×)", verdict(ours["median"], limit, "s", 2)])
    e = (results.get(str(MEMORY_N)) or {}).get("build", {}).get("builders", {}).get("ours")
    what = f"peak memory of the process tree at N = {MEMORY_N:,}"
    if e and e.get("peak_mib"):
        rows.append([what, f"{MEMORY_LIMIT_MIB} MiB", f"{e['peak_mib']:,.0f} MiB" + ("" if e["ok"] else " (build failed)"),
                     verdict(e["peak_mib"], MEMORY_LIMIT_MIB, "MiB")])
    else:
        rows.append([what, f"{MEMORY_LIMIT_MIB} MiB", "–", "**not measured**"])
    return rows


def search_targets(results: dict) -> list[list[str]]:
    rows = []
    for n, limit in SEARCH_LIMITS.items():
        what = f"first query at N = {n:,}, median bytes gzipped (cold cache, Chromium)"
        s = (results.get(str(n)) or {}).get("search") or {}
        median = (s.get("summary") or {}).get("ours", {}).get("median_bytes")
        if median is None:
            rows.append([what, kb(limit), "–", "**not measured**" + (f": {s['status']}" if s.get("status") else "")])
        else:
            rows.append([what, kb(limit), kb(median), verdict(median / 1000, limit / 1000, "KB", 1)])
    return rows


def serve_target(results: dict) -> list[list[str]]:
    what = f"save-to-reload at N = {SERVE_N:,}, median"
    s = (results.get(str(SERVE_N)) or {}).get("serve") or {}
    if s.get("status") != "measured":
        return [[what, ms(SERVE_LIMIT_MS), "–", "**not measured**" + (f": {s['status']}" if s.get("status") else "")]]
    first = f"; its pages shown after {ms(s['median_first_ms'])}" if s.get("median_first_ms") is not None else ""
    return [[what, ms(SERVE_LIMIT_MS), f"{ms(s['median_ms'])} (rebuild {ms(s.get('median_rebuild_ms'))}{first})",
             verdict(s["median_ms"], SERVE_LIMIT_MS, "ms")]]


def where_the_time_goes(results: dict) -> list[str]:
    stages = (results.get(str(BUILD_N)) or {}).get("build", {}).get("profile", {}).get("stages") or []
    if not stages or not stages[0]["seconds"]:
        return []
    total = stages[0]["seconds"]
    parts = [f"{st['stage'].split(' (')[0].strip()} {100 * st['seconds'] / total:.0f} %" for st in stages[1:]
             if st["seconds"] / total >= 0.02]
    return [f"Where our build's time goes at N = {BUILD_N:,} (serial cProfile run, shares of the whole command): "
            + "; ".join(parts) + ". Hugo builds on all cores, Pelican on one.", ""]


def in_memory(part: dict) -> list[str]:
    """What the disk costs each build: the same cold build with its output in memory (tmpfs)."""
    m = part.get("in_memory") or {}
    builders = part.get("builders", {})
    if m.get("status") != "measured":
        return [f"With the output in memory: {m['status']}.", ""] if m.get("status") else []
    ours, hugo = builders.get("ours", {}), builders.get("hugo", {})
    if not (ours.get("ok") and hugo.get("ok")):
        return []
    o, h = m["ours"], m["hugo"]
    return [f"**The disk's share.** The same cold build with its output folder in memory (tmpfs, `{m['folder']}`), "
            f"one run each: ours {o['seconds']:.2f} s (CPU {o['user_s']:.1f} s user + {o['system_s']:.1f} s kernel), "
            f"Hugo {h['seconds']:.2f} s ({h['user_s']:.1f} + {h['system_s']:.1f}): ours is {o['seconds'] / h['seconds']:.2f}× "
            f"Hugo there, against {ours['median'] / hugo['median']:.2f}× with both writing to the disk. On the disk, "
            f"the kernel's CPU time for our build is {ours.get('system_s', 0):.1f} s (median) against "
            f"{o['system_s']:.1f} s in memory: it creates and writes {files(ours)}, Hugo {files(hugo)}.", ""]


def files(builder: dict) -> str:
    """'341 MiB in 15,612 files'."""
    size = f"{builder['output_bytes'] / 2**20:,.0f} MiB" if builder.get("output_bytes") else "its output"
    return size + (f" in {builder['output_files']:,} files" if builder.get("output_files") else "")


def targets(results: dict) -> list[str]:
    rows = build_targets(results) + search_targets(results) + serve_target(results)
    lines = ["## Targets (issue 18)", "", "| target | limit | measured | verdict |", "|---|---:|---:|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    build = (results.get(str(BUILD_N)) or {}).get("build", {})
    return lines + [""] + where_the_time_goes(results) + in_memory(build)


# ------------------------------------------------------------------ one size

def build_table(part: dict) -> list[str]:
    builders = part["builders"]
    ours = builders.get("ours", {})
    lines = ["| generator | median wall (s) | runs (s) | CPU, user + kernel (s) | HTML pages | peak memory, tree (MiB) "
             "| largest process (MiB) | output (MiB) | ours ÷ peer |", "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for name, b in builders.items():
        label = LABELS.get(name, name)
        if not b.get("seconds"):
            lines.append(f"| {label} | – | {b.get('note') or 'not run'} | | | | | | |")
            continue
        cpu = f"{b['user_s']:.1f} + {b['system_s']:.1f}" if "user_s" in b else "–"
        ok = b["ok"]
        median = b["median"] if ok else None
        runs = ", ".join(f"{s:.2f}" for s in b["seconds"]) + ("" if ok else f" ({b['note']})")
        out = f"{b['output_bytes'] / 2**20:,.1f}" if b.get("output_bytes") else "–"
        mine = "1.00" if name == "ours" else (ratio(ours.get("median"), median) if ok and ours.get("ok") else "–")
        lines.append(f"| {label} | {'–' if median is None else f'{median:.2f}'} | {runs} | {cpu} | {b['pages']:,} | "
                     f"{b['peak_mib']:,.0f} | {b['maxrss_mib']:,.0f} | {out} | {mine} |")
    return lines


def profile_tables(p: dict) -> list[str]:
    lines = [f"One build under cProfile, run {p.get('mode', '')}: {p['seconds']:.1f} s with the profiler's overhead.", ""]
    if p.get("stages"):
        total = p["stages"][0]["seconds"]
        lines += ["| stage | function | seconds | share |", "|---|---|---:|---:|"]
        lines += [f"| {st['stage']} | `{st['function']}` | {st['seconds']:.2f} | {100 * st['seconds'] / total:.0f} % |"
                  for st in p["stages"]]
        lines.append("")
    lines += ["| function (by cumulative time) | calls | cumulative (s) | own (s) |", "|---|---:|---:|---:|"]
    lines += [f"| `{r['function']}` | {r['calls']:,} | {r['cumtime']:.2f} | {r['tottime']:.2f} |"
              for r in p["top_cumulative"][:20]]
    return lines + [""]


def search_section(s: dict, build: dict | None) -> list[str]:
    if s.get("status") != "measured":
        return [f"Search: **not measured**: {s.get('status')}", ""]
    summary, pf = s["summary"], s.get("pagefind", {})
    ours, theirs = summary["ours"], summary.get("pagefind", {})
    lines = ["| figure | ours | Pagefind | Pagefind ÷ ours |", "|---|---:|---:|---:|",
             f"| first query, median bytes gzipped | {kb(ours['median_bytes'])} | {kb(theirs.get('median_bytes'))} | "
             f"{ratio(theirs.get('median_bytes'), ours['median_bytes'])} |",
             f"| time to first result, median | {ms(ours['median_first_result_ms'])} | "
             f"{ms(theirs.get('median_first_result_ms'))} | "
             f"{ratio(theirs.get('median_first_result_ms'), ours['median_first_result_ms'])} |",
             f"| search page itself (HTML, scripts, styles), gzipped | {kb(ours['page_bytes'])} | "
             f"{kb(theirs.get('page_bytes'))} | {ratio(theirs.get('page_bytes'), ours['page_bytes'])} |"]
    our_build = ((build or {}).get("builders") or {}).get("ours") or {}
    if pf.get("seconds") is not None:
        our_s, our_mib = our_build.get("median"), our_build.get("peak_mib")
        lines.append(f"| index: time (ours: the whole build) | {'–' if not our_s else f'{our_s:.2f} s'} | "
                     f"{pf['seconds']:.2f} s | {ratio(pf['seconds'], our_s)} |")
        lines.append(f"| index: peak memory, process tree (ours: the whole build) | "
                     f"{'–' if not our_mib else f'{our_mib:,.0f} MiB'} | {pf['peak_mib']:,.0f} MiB | "
                     f"{ratio(pf['peak_mib'], our_mib)} |")
    lines.append("")
    if pf.get("what_happened"):
        lines += [f"Pagefind's indexing: {pf['what_happened']}.", ""]
    lines += ["| lang | query | our hits | ours: bytes | ours: first result | Pagefind: bytes | Pagefind: first result |",
              "|---|---|---:|---:|---:|---:|---:|"]
    rows = s["rows"]
    pagefind = {(r["lang"], r["text"]): r for r in rows if r["engine"] == "pagefind"}
    for r in (r for r in rows if r["engine"] == "ours"):
        p = pagefind.get((r["lang"], r["text"]), {})
        lines.append(f"| {r['lang']} | {r['text']} | {r.get('hits', '–')} | {kb(r['bytes'])} | {ms(r['first_result_ms'])} | "
                     f"{kb(p.get('bytes'))} | {ms(p.get('first_result_ms'))} |")
    lines.append("")
    if s.get("clitics"):
        lines += ["Arabic forms with a clitic: report pages our search finds and Pagefind's own API does not "
                  "(and the reverse).", "",
                  "| query | reports ours finds | reports Pagefind finds | missed by Pagefind | missed by ours | e.g. |",
                  "|---|---:|---:|---:|---:|---|"]
        lines += [f"| {c['query']} | {c['ours_reports']} | {c['pagefind_reports']} | {c['missed_by_pagefind']} | "
                  f"{c['missed_by_ours']} | {' '.join(c['example'])} |" for c in s["clitics"]]
        lines.append("")
    return lines


def size_section(key: str, e: dict) -> list[str]:
    c = e["corpus"]
    lines = [f"## N = {int(key):,} reports", "",
             f"{c['reports']:,} reports, {c['entities']} entities, {c['words_ar']:,} Arabic and {c['words_en']:,} English "
             f"words; measured {e['date']}; this size took {e['total_seconds'] / 60:.1f} min in all.", ""]
    if "build" in e:
        lines += ["### Full builds", ""] + build_table(e["build"]) + [""]
        ours = e["build"].get("ours", {})
        if "index_ar" in ours:
            lines += ["Our search indexes, all parts: " + "; ".join(
                f"`{lang}` {ours[f'index_{lang}']['raw'] / 1024:,.0f} KiB ({ours[f'index_{lang}']['gzip'] / 1024:,.0f} KiB gzipped)"
                for lang in ("ar", "en")) + ".", ""]
        if "profile" in e["build"]:
            lines += [f"### Where our build spends its time at N = {int(key):,}", ""] + profile_tables(e["build"]["profile"])
    if "search" in e:
        lines += ["### Search: ours and Pagefind on the same HTML", ""] + search_section(e["search"], e.get("build"))
    if "serve" in e:
        s = e["serve"]
        lines += ["### Save-to-reload in `--serve`", ""]
        lines += ([f"Median {ms(s['median_ms'])}, max {ms(s['max_ms'])} over {len(s['runs_ms'])} saves; the rebuild "
                   f"inside it (server log) median {ms(s.get('median_rebuild_ms'))}"
                   + (f", the saved report's own pages shown (and the page told to reload) after "
                      f"{ms(s['median_first_ms'])} of it" if s.get("median_first_ms") is not None else "")
                   + ". Each save: "
                   + ", ".join(f"{v:.0f}" for v in s["runs_ms"]) + " ms."]
                  if s["status"] == "measured" else [f"**Not measured**: {s['status']}."]) + [""]
    return lines


METHOD = """Written by `bench/run.py` (see bench/README.md); raw figures in `bench/results.json`.
Builds are cold (a fresh output folder: the previous run's output deleted and the disk synced
before the clock starts) and full; ours includes both search indexes. Peak memory is the larger of
the largest process's peak (the highest `VmHWM` sampled among the build's processes) and the peak
of the summed PSS of its process tree (sampled).
Search: each query on a cold cache (a new browser context) in headless Chromium, typed into each
engine's own search page; bytes are the response bodies as sent by a local server that gzips text
types at level 6 like a host (Pagefind's own pre-compressed files go as they are), from the moment
the query is typed until the network is quiet; time to first result from the box's input event to
the first result element in the page (both engines' debounce included). Save-to-reload: from the
file save to the `load` event of the reloaded page showing the new text."""


def markdown(results: dict, meta: dict) -> str:
    lines = ["# Benchmark: builds, search against Pagefind, preview (issue 18)", "", METHOD, "",
             "## Machine and versions", "", "| | |", "|---|---|"]
    m = meta["machine"]
    lines += [f"| CPU | {m['cpu']} |", f"| CPUs (nproc) | {m['nproc']} |", f"| memory | {m['memory_gib']} GiB |",
              f"| system | {m['system']} |"]
    lines += [f"| {k} | {v} |" for k, v in {**meta["ours"], **meta["peers"]}.items()]
    lines += [f"| last run | {meta['date']} |", ""]
    if meta.get("note"):
        lines += [meta["note"], ""]
    lines += targets(results)
    for key in sorted(results, key=int):
        lines += size_section(key, results[key])
    return "\n".join(lines) + "\n"
