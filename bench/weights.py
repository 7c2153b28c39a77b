#!/usr/bin/env python3
"""Page weights: what a reader downloads for each page of the real edition, gzipped.

    .venv/bin/python bench/weights.py      # builds in memory, writes bench/results-weights.md

For each report page: the HTML with its stylesheet and script (the search index is loaded only
by the search page, on first use); for the other page types, their largest page; and the two
search indexes. The target (issue 7) is under 60 KB compressed for an article page.
"""
from __future__ import annotations

import datetime as dt
import gzip
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edition.pipeline import build  # noqa: E402

TARGET = 60 * 1000


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def main() -> int:
    files = build(ROOT).files
    assets = gz(files["assets/style.css"]) + gz(files["assets/edition.js"])
    rows = []
    for path in sorted(p for p in files if "/reports/" in p and p.endswith(".html")):
        rows.append((path, gz(files[path]), gz(files[path]) + assets))
    kinds = {"home": "/index.html", "entity": "/entities/", "meeting": "/meetings/", "search": "/search/"}
    others = []
    for kind, marker in kinds.items():
        pages = [p for p in files if p.endswith(".html") and marker in "/" + p and "/reports/" not in p]
        if kind == "home":
            pages = [p for p in pages if p.count("/") == 1]
        biggest = max(pages, key=lambda p: gz(files[p]))
        others.append((kind, biggest, gz(files[biggest]) + assets))
    heaviest = max(total for _, _, total in rows)
    lines = [
        "# Page weights", "",
        f"Measured by `bench/weights.py` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"(Python {platform.python_version()}), gzip level 6. Target: an article page with its CSS and JS, "
        f"without the search index, under 60 KB compressed: **{'met' if heaviest < TARGET else 'missed'}**, "
        f"heaviest {heaviest / 1000:.1f} KB. No request leaves the site (tests/test_quality.py).", "",
        f"Stylesheet and script together: {assets / 1000:.1f} KB.", "",
        "| report page | HTML (KB) | with CSS and JS (KB) |", "|---|---:|---:|",
        *[f"| `{path}` | {html / 1000:.1f} | {total / 1000:.1f} |" for path, html, total in rows],
        "", "| other page type | largest page | with CSS and JS (KB) |", "|---|---|---:|",
        *[f"| {kind} | `{path}` | {total / 1000:.1f} |" for kind, path, total in others],
        "", "| search index (loaded on first search only) | KB gzipped |", "|---|---:|",
        *[f"| `{name}` (the manifest; then only the parts a query needs) | {gz(files[name]) / 1000:.1f} |"
          for name in sorted(files) if name.startswith("assets/search/") and name.endswith("/index.json")],
        f"| `assets/lunr.min.js` | {gz(files['assets/lunr.min.js']) / 1000:.1f} |",
        "",
    ]
    (ROOT / "bench" / "results-weights.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"heaviest report page {heaviest / 1000:.1f} KB gzipped with CSS and JS; wrote bench/results-weights.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
