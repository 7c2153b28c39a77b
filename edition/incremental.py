"""Incremental rebuilds for the live preview: what one build keeps for the next.

A save in ``--serve`` changes one report or one gloss. The next build then re-reads only the
files that changed, re-links only the reports that changed (all of them if an alias changed),
re-renders only the pages whose inputs changed, and rebuilds a language's search index only if
its documents changed, from the terms it kept of every unchanged text (after the pages are shown:
see ``pipeline.preview_languages``). Each cached thing is stored with a key made of everything
it was made from, so a stale entry is never used: tests/test_incremental.py checks that an
incremental build gives byte for byte the site a full build gives.
"""
from __future__ import annotations

import hashlib
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


@dataclass
class BuildCache:
    entities: dict[Path, tuple[str, Any]] = field(default_factory=dict)  # file -> (digest, EntityFile)
    reports: dict[Path, tuple[str, Any, Any]] = field(default_factory=dict)  # folder -> (key, report, its ReportPart)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # output path -> (key, its bytes)
    files: dict[Path, tuple] = field(default_factory=dict)  # source file -> ((mtime, size, inode), digest)
    analysis: dict[str, Any] = field(default_factory=dict)  # search: lang -> field text -> (terms, counts, length)
    search: dict[str, tuple] = field(default_factory=dict)  # lang -> (what its index holds, its files)
    rendered: int = 0  # pages rendered by the last build (the rest were reused)

    # ---------------------------------------------------------------- sources

    def entity(self, path: Path, problems) -> Any:
        """The parsed entity file, read again only if it changed (kept only if it had no problem)."""
        from .annotations import load_entity
        key = self.file_digest(path)
        hit = self.entities.get(path)
        if hit and hit[0] == key:
            return hit[1]
        before = len(problems.items)
        loaded = load_entity(path, problems)
        if loaded is not None and len(problems.items) == before:
            self.entities[path] = (key, loaded)
        return loaded

    def report_key(self, folder: Path, alias_key: str) -> str:
        return digest(alias_key, *[self.file_digest(folder / name) for name in ("ar.md", "en.md")])

    def file_digest(self, path: Path) -> str:
        """The digest of a file's bytes, read again only if its size or modification time moved
        (an editor's save always moves the time)."""
        try:
            stat = path.stat()
        except OSError:
            return ""
        seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        hit = self.files.get(path)
        if hit and hit[0] == seen:
            return hit[1]
        value = digest(path.read_bytes())
        self.files[path] = (seen, value)
        return value

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


def report_fingerprints(summary, mentions: list) -> tuple[str, dict[str, int]]:
    """What the other pages show of a report, as keys: its summary, and per entity the mentions
    of it there (computed once, when the report is read)."""
    by_entity: dict[str, list] = {}
    for mention in mentions:
        by_entity.setdefault(mention.entity_id, []).append(mention)
    return digest(summary), {e: hash(tuple(found)) for e, found in by_entity.items()}


def page_keys(edition, entity_keys: dict[str, str], global_key: str, fingerprints: dict[str, tuple]) -> dict:
    """For each kind of page but the reports, a function giving the key of everything its HTML
    is made from (``fingerprints``: report slug -> ``report_fingerprints``).

    Page keys live only as long as the process (the live preview), so Python's own hash of the
    inputs serves: it is fast, and the inputs (names, keys of files) are all hashable.
    """
    names = {e: hash((f.entity.kind, f.entity.name)) for e, f in edition.entities.items()}
    all_names = hash(tuple(sorted(names.items())))
    summaries = tuple((slug, found[0]) for slug, found in fingerprints.items())
    meeting_of = {r.slug: r.meeting for r in edition.summaries}
    related: dict[str, set[str]] = {e: set(f.entity.related) for e, f in edition.entities.items()}
    for entity_id, loaded in edition.entities.items():
        for other in loaded.entity.related:
            related.setdefault(other, set()).add(entity_id)
    meetings = sorted(e for e, f in edition.entities.items() if f.entity.kind == "meeting")
    reports_of = {m: tuple(r.slug for r in edition.summaries if r.meeting == m) for m in meetings}
    mentioned_in: dict[str, list[str]] = {}
    for slug, (_summary, by_entity) in fingerprints.items():
        for entity_id in by_entity:
            mentioned_in.setdefault(entity_id, []).append(slug)

    def related_names(entity_id: str) -> tuple:
        return tuple((e, names[e]) for e in sorted(related.get(entity_id, ())))

    def entity_page(entity_id: str) -> int:
        if entity_id in reports_of:  # a meeting: its reports, and who and what they name
            slugs = reports_of[entity_id]
            return hash((global_key, "meeting", entity_keys[entity_id], all_names, related_names(entity_id),
                         tuple((r, fingerprints[r][0], tuple(fingerprints[r][1].items())) for r in slugs)))
        slugs = mentioned_in.get(entity_id, [])
        return hash((global_key, "entity", entity_keys[entity_id], related_names(entity_id),
                     tuple((r, fingerprints[r][0], fingerprints[r][1][entity_id]) for r in slugs),
                     tuple(sorted((meeting_of[r], names[meeting_of[r]]) for r in slugs))))

    overview_keys = {
        "home": hash((global_key, "home", summaries, tuple((m, names[m]) for m in meetings))),
        "index": hash((global_key, "index", all_names, tuple(sorted(edition.mention_counts.items())))),
    }

    def overview(kind: str) -> int:  # home and index; the search and prose pages depend on nothing else
        return overview_keys.get(kind) or hash((global_key, kind))

    return {"entity": entity_page, "overview": overview}


@dataclass
class SourceKeys:
    """The live preview's keys of what pages are made from (see incremental.py)."""

    entities: dict[str, str]  # entity id -> key of its file
    global_key: str  # of what every page shows: config, strings, templates, prose pages

    @classmethod
    def of(cls, project, sources, serve: bool, cache: BuildCache) -> "SourceKeys":
        entities = {e: cache.file_digest(f.located.file) for e, f in sources.entities.items()}
        templates = sorted(p for p in project.templates.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        global_key = digest(sources.config, sources.strings, serve, [(p.name, p.title, p.body) for p in sources.pages],
                            *[(p.relative_to(project.templates).as_posix(), cache.file_digest(p)) for p in templates])
        return cls(entities, global_key)

    def report(self, report_key: str, report, glossed: list[str]) -> int:
        return report_page_key(self.global_key, report_key, self.entities, report.meta.meeting, glossed)
