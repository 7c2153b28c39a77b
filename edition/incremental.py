"""Incremental rebuilds for the live preview: what one build keeps for the next.

A save in ``--serve`` changes one report or one gloss. The next build then re-reads only the
files that changed, re-links only the reports that changed (all of them if an alias changed),
re-renders only the pages whose inputs changed, and rebuilds the search index from the analysis
it kept of every unchanged document. Each cached thing is stored with a key made of everything
it was made from, so a stale entry is never used: tests/test_incremental.py checks that an
incremental build gives byte for byte the site a full build gives.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import LANGS


def digest(*parts: Any) -> str:
    hasher = hashlib.sha1()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def tree_digest(folder: Path) -> str:
    """Every file below ``folder``, names and contents (templates, static assets)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(*[(p.relative_to(folder).as_posix(), p.read_bytes()) for p in files])


@dataclass
class BuildCache:
    entities: dict[Path, tuple[bytes, Any]] = field(default_factory=dict)  # file -> (text, EntityFile)
    reports: dict[Path, tuple[str, Any, Any]] = field(default_factory=dict)  # folder -> (key, report, its ReportPart)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # output path -> (key, html)
    analysis: dict[str, tuple[Counter, int]] = field(default_factory=dict)  # search: text -> (term counts, length)
    search: dict[str, tuple] = field(default_factory=dict)  # lang -> (what its index holds, the index file)
    rendered: int = 0  # pages rendered by the last build (the rest were reused)

    # ---------------------------------------------------------------- sources

    def entity(self, path: Path, problems) -> Any:
        """The parsed entity file, read again only if it changed (kept only if it had no problem)."""
        from .annotations import load_entity
        text = path.read_bytes()
        hit = self.entities.get(path)
        if hit and hit[0] == text:
            return hit[1]
        before = len(problems.items)
        loaded = load_entity(path, problems)
        if loaded is not None and len(problems.items) == before:
            self.entities[path] = (text, loaded)
        return loaded

    @staticmethod
    def report_key(folder: Path, alias_key: str) -> str:
        return digest(alias_key, *[(folder / name).read_bytes() if (folder / name).is_file() else b""
                                   for name in ("ar.md", "en.md")])

    def report(self, folder: Path, key: str):
        """The report read and linked last time, and what the build kept of it, if still valid."""
        hit = self.reports.get(folder)
        return hit[1:] if hit and hit[0] == key else None

    def keep_report(self, folder: Path, key: str, report, part) -> None:
        self.reports[folder] = (key, report, part)

    def forget_missing(self, entity_paths: list[Path], report_folders: list[Path]) -> None:
        for table, present in ((self.entities, set(entity_paths)), (self.reports, set(report_folders))):
            for path in [p for p in table if p not in present]:
                del table[path]


def alias_key(aliases: dict[str, list], entity_ids) -> str:
    """Everything linking depends on besides the text: the aliases and the ids that exist."""
    return digest(sorted(entity_ids), *[sorted((a.entity_id, a.words, sorted(a.exclusions)) for a in aliases[lang])
                                        for lang in LANGS])


def report_page_key(global_key: str, report_key: str, entity_keys: dict[str, str], meeting: str,
                    glossed: list[str]) -> int:
    """The key of a report's pages: its files and the aliases (``report_key``, which settle its
    mentions too), its meeting, and the glosses it shows."""
    return hash((global_key, "report", report_key, entity_keys.get(meeting), tuple((e, entity_keys[e]) for e in glossed)))


def page_keys(edition, entity_keys: dict[str, str], global_key: str) -> dict:
    """For each kind of page but the reports, a function giving the key of everything its HTML
    is made from.

    Page keys live only as long as the process (the live preview), so Python's own hash of the
    inputs serves: it is fast, and the inputs (mentions, names, keys of files) are all hashable.
    """
    # what lists of reports and lists of mentions show of a report: its summary
    summaries = {r.slug: digest(r) for r in edition.summaries}
    meeting_of = {r.slug: r.meeting for r in edition.summaries}
    names = {e: hash((f.entity.kind, f.entity.name)) for e, f in edition.entities.items()}
    related: dict[str, set[str]] = {e: set(f.entity.related) for e, f in edition.entities.items()}
    for entity_id, loaded in edition.entities.items():
        for other in loaded.entity.related:
            related.setdefault(other, set()).add(entity_id)
    meetings = sorted(e for e, f in edition.entities.items() if f.entity.kind == "meeting")
    reports_of = {m: tuple(r.slug for r in edition.summaries if r.meeting == m) for m in meetings}
    mentions = {e: tuple(m for lang in LANGS for m in edition.mentions_of(e, lang)) for e in edition.entities}

    def counts(slugs=None) -> int:
        return hash(tuple((e, names[e], tuple((m.report, m.lang) for m in ms if slugs is None or m.report in slugs))
                          for e, ms in sorted(mentions.items())))

    def related_names(entity_id: str) -> tuple:
        return tuple((e, names[e]) for e in sorted(related.get(entity_id, ())))

    def entity_page(entity_id: str) -> int:
        if entity_id in reports_of:  # a meeting: its reports, and who and what they name
            slugs = reports_of[entity_id]
            return hash((global_key, "meeting", entity_keys[entity_id], tuple((r, summaries[r]) for r in slugs),
                         counts(set(slugs)), related_names(entity_id)))
        slugs = sorted({m.report for m in mentions[entity_id]})
        return hash((global_key, "entity", entity_keys[entity_id], mentions[entity_id],
                     tuple((r, summaries[r]) for r in slugs), related_names(entity_id),
                     tuple(sorted((meeting_of[r], names[meeting_of[r]]) for r in slugs))))

    overview_keys = {
        "home": hash((global_key, "home", tuple(sorted(summaries.items())), tuple((m, names[m]) for m in meetings),
                      tuple(sorted(reports_of.items())))),
        "index": hash((global_key, "index", counts(), tuple(sorted(names.items())))),
    }

    def overview(kind: str) -> int:  # home and index; the search and prose pages depend on nothing else
        return overview_keys.get(kind) or hash((global_key, kind))

    return {"entity": entity_page, "overview": overview}
