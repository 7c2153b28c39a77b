"""What the live preview keeps from one build for the next, so that a save costs little.

- Source files: the digest of each, read again only when its size, times or inode moved (or it changed
  too recently for its time to tell: ``settled``); the text of each witness file, likewise.
- Entities: each file's parsed entity, kept by the digest of the file.
- Reports: each report read and linked, with its part and the warnings reading it gave, kept by
  the digests of its two files and of the aliases (which settle its mentions), by the
  invisible characters config.yaml allows (which settle its warnings) and by the site's address
  (which its search documents link to).
- Sources besides: the interface strings and the aliases, made again only when their files changed
  (``remembered``); for the consistency check, where its words stand in each unchanged report.
- Pages: each page's bytes with everything it read from the catalogue when it was rendered
  (catalog.py records it), each with its version then. A page is reused only if every one of
  those reads has the same version now; nothing is listed by hand. A report's pages and files
  are also kept as a group: when nothing any of them read changed, the group is written again
  after one check (``PageReuse.replay``), so that an unchanged report costs almost nothing.
- Search: a language's index is rebuilt only if its documents changed, from the terms kept of
  every unchanged text, and (``defer``) after the pages are shown.

Whatever is not found again in a build (a deleted file or report, a file no longer consulted) is dropped.
"""
from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import digest, mention_versions
from .models import LANGS
from .searchparts import search_parts
from .urls import Urls


RACY_NS = 3_000_000_000  # a file changed this recently may be saved again unseen (``settled``)


@dataclass
class BuildCache:
    entities: dict[Path, tuple[str, Any]] = field(default_factory=dict)  # file -> (digest, EntityFile)
    reports: dict[Path, tuple[tuple, Any, Any, tuple]] = field(default_factory=dict)  # folder -> (key, report,
    # its ReportPart, the warnings reading it gave)
    pages: dict[str, tuple[frozenset, bytes, frozenset]] = field(default_factory=dict)  # output file -> (its
    # reads of the catalogue, its bytes, its own versions): PageReuse
    files: dict[Path, tuple] = field(default_factory=dict)  # source file -> (_stat: mtime, size, inode, ctime; digest)
    texts: dict[Path, tuple] = field(default_factory=dict)  # witness file -> ((_stat, flag), text)
    analysed_with: frozenset | None = None  # the protected names the kept analysis was made with
    analysis: dict[str, dict] = field(default_factory=dict)  # lang -> field text -> (terms, counts, length)
    search: dict[str, tuple] = field(default_factory=dict)  # lang -> (what its index holds, the index file)
    groups: dict[str, tuple] = field(default_factory=dict)  # group of pages -> its files and reads: PageReuse
    consulted: set[Path] = field(default_factory=set)  # the files whose digest or text was asked for
    read_as: dict[Path, str] = field(default_factory=dict)  # entity file -> its digest when this build read it
    memo: dict[str, tuple] = field(default_factory=dict)  # name -> (its key, what was made): remembered
    report_files: dict[Path, tuple[Path, Path]] = field(default_factory=dict)  # folder -> its two text files
    positions: dict = field(default_factory=dict)  # slug -> where the consistency check's words stand in it
    mentions: dict = field(default_factory=dict)  # lang -> (the fingerprints, their mention_versions)
    rendered: int = 0  # pages rendered by the last build (the rest were reused)
    made_with: tuple | None = None  # (sources, edition, witnesses) of the last build that succeeded:
    # pipeline.reports_alone

    # ---------------------------------------------------------------- sources

    def remembered(self, name: str, key: Any, make: Callable[[], Any], problems) -> Any:
        """What ``make()`` gave the last time with the same ``key``, if it raised no problem then
        (the interface strings, by their file; the aliases, by every entity file)."""
        hit = self.memo.get(name)
        if hit and hit[0] == key:
            return hit[1]
        before = len(problems.items)
        value = make()
        if len(problems.items) == before:
            self.memo[name] = (key, value)
        else:
            self.memo.pop(name, None)
        return value

    def entity(self, path: Path, problems) -> Any:
        """The parsed entity file, read again only if it changed (kept only if it had no problem;
        which invisible characters the config allows decides whether it has one)."""
        from .annotations import load_entity
        key = (self.file_digest(path), problems.format_allowed)
        self.read_as[path] = key[0]
        hit = self.entities.get(path)
        if hit and hit[0] == key:
            return hit[1]
        before = len(problems.items)
        loaded = load_entity(path, problems)
        if loaded is not None and len(problems.items) == before:
            self.entities[path] = (key, loaded)
        return loaded

    def entity_digest(self, path: Path) -> str:
        """The digest of an entity file as this build read it (``entity``), even if it was saved
        again since: what is made of the entity is kept under it, and the next build reads the save."""
        return self.read_as[path] if path in self.read_as else self.file_digest(path)

    def file_digest(self, path: Path) -> str:
        """The digest of a file's bytes, read again only if its size, times or inode moved
        (an editor's save always moves the time)."""
        self.consulted.add(path)
        seen = _stat(path)
        if seen is None:
            return ""
        hit = self.files.get(path)
        if hit and hit[0] == seen:
            return hit[1]
        try:
            value = digest(path.read_bytes())
        except OSError:  # unreadable: reading it as a source reports it
            return ""
        if settled(seen):
            self.files[path] = (seen, value)
        return value

    def text(self, path: Path, problems, flag: bool = True) -> str | None:
        """A source file's text (safety.read_text), read again only if its size, times or inode
        moved; a text is kept only if reading it raised no problem. (A link that leads out of
        the project on the way to it is refused by the walk of the sources, sources.load_sources.)"""
        from .safety import read_text
        self.consulted.add(path)
        seen = _stat(path)
        hit = self.texts.get(path)
        if seen and hit and hit[0] == (seen, flag):
            return hit[1]
        before = len(problems.items)
        text = read_text(path, problems, flag=flag)
        if seen and settled(seen) and text is not None and len(problems.items) == before:
            self.texts[path] = ((seen, flag), text)
        return text

    def templates_version(self, folder: Path) -> str:
        """Of every template file (a page reads its template, and what that includes or extends)."""
        files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        return digest([(p.relative_to(folder).as_posix(), self.file_digest(p)) for p in files])

    def known_versions(self, templates: Path, entities: dict) -> dict:
        """Versions the catalogue takes from here: the templates', and each entity file's."""
        known = {("templates",): self.templates_version(templates)}
        known.update({("file", e): self.entity_digest(f.located.file) for e, f in entities.items()})
        return known

    # ---------------------------------------------------------------- reports

    def mention_versions(self, fingerprints: dict[str, dict], lang: str) -> dict[tuple[str, str], tuple]:
        """catalog.mention_versions of one language, made again only for the entities that the
        reports whose fingerprints changed mention (or mentioned), when the reports are the same."""
        previous = self.mentions.get(lang)
        if previous is None or previous[0].keys() != fingerprints.keys():
            versions = mention_versions(fingerprints, (lang,))
        else:
            before, versions = previous[0], dict(previous[1])
            order = {slug: position for position, slug in enumerate(fingerprints)}
            for slug, found in fingerprints.items():
                if found is before[slug]:
                    continue
                old, new = (before[slug] or {}).get(lang, {}), (found or {}).get(lang, {})
                for entity_id in old.keys() | new.keys():
                    entries = [entry for entry in versions.get((entity_id, lang), ()) if entry[0] != slug]
                    if entity_id in new:
                        entries.append((slug, new[entity_id]))
                        entries.sort(key=lambda entry: order[entry[0]])
                    if entries:
                        versions[(entity_id, lang)] = tuple(entries)
                    else:
                        versions.pop((entity_id, lang), None)
        self.mentions[lang] = (dict(fingerprints), versions)
        return versions

    def report_key(self, folder: Path, alias_key: str, allowed: frozenset[str], base_url: str | None) -> tuple:
        """What a report's reading and linking depend on: the aliases, the invisible characters
        allowed (Problems.format_allowed), the site's address (its search documents link to its
        pages: reports.report_documents; a report kept across a change of config.yaml's base_url
        left the search index linking to the old address), and the digest of each of its files."""
        files = self.report_files.get(folder)
        if files is None:
            files = self.report_files[folder] = (folder / "ar.md", folder / "en.md")
        return alias_key, allowed, base_url, self.file_digest(files[0]), self.file_digest(files[1])

    def report(self, folder: Path, key: tuple):
        """The report read and linked last time, its part and the warnings reading it gave, if still valid."""
        hit = self.reports.get(folder)
        return hit[1:] if hit and hit[0] == key else None

    def keep_report(self, folder: Path, key: tuple, report, part, warnings: list) -> None:
        by_lang = fingerprints(part.mentions)
        part.fingerprints = {"summary": digest(part.summary), **by_lang,
                             "mentions": {lang: hash(tuple(sorted(found.items()))) for lang, found in by_lang.items()}}
        self.reports[folder] = (key, report, part, tuple(warnings))

    def forget_missing(self, entity_paths: list[Path], report_folders: list[Path]) -> None:
        for table, present in ((self.entities, set(entity_paths)), (self.reports, set(report_folders))):
            for path in [p for p in table if p not in present]:
                del table[path]
        self.report_files = {folder: files for folder, files in self.report_files.items() if folder in self.reports}

    def begin(self) -> None:
        """At the start of a build: a file the last build did not consult (deleted, or no longer a
        source) is forgotten."""
        self.files = {path: seen for path, seen in self.files.items() if path in self.consulted}
        self.texts = {path: kept for path, kept in self.texts.items() if path in self.consulted}
        self.consulted, self.read_as = set(), {}

    # ---------------------------------------------------------------- pages

    def page_reuse(self) -> "PageReuse":
        return PageReuse(self.pages, self.groups)

    def keep_pages(self, reuse: "PageReuse") -> None:
        self.pages, self.groups, self.rendered = reuse.kept, reuse.groups, reuse.rendered

    def reads(self, file: str) -> dict:
        """What a kept page read, with the version it saw: of the catalogue, and its own."""
        reads, _data, own = self.pages[file]
        return dict(reads | own)

    # ---------------------------------------------------------------- search

    def search_index(self, lang: str, docs: list[dict], protected: frozenset[str],
                     defer: bool) -> tuple[dict[str, bytes], Callable[[], dict[str, bytes]] | None]:
        """A language's index files now, and the update still to make (``defer``: the previous
        index stands in for it until then); the index is made again only if its documents changed."""
        if self.analysed_with != protected:
            self.analysed_with, self.analysis = protected, {}
        previous = self.search.get(lang)
        if previous and previous[0] == (protected, docs):
            return previous[1], None
        update = functools.partial(self._index, lang, protected, docs)
        if defer and previous:
            return previous[1], update
        return update(), None

    def _index(self, lang: str, protected: frozenset[str], docs: list[dict]) -> dict[str, bytes]:
        files = dict(search_parts(lambda: docs, lang, protected, self.analysis.setdefault(lang, {})))
        self.search[lang] = ((protected, docs), files)
        return files


def _stat(path: Path) -> tuple | None:
    """What tells a file changed: (modification time, size, inode, change time); None if it is not
    there. The change time too, because the modification time can be set back: a file written again
    with its size and time as they were (cp -p, rsync -t, touch -r, an archive unpacked over it) was
    taken as unchanged, and the preview kept its old text; no program can set the change time."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns


def settled(seen: tuple) -> bool:
    """Whether a file's times are far enough in the past that a save now would move them: within
    one tick of the file system's clock (up to two seconds on some) a second save of the same size
    leaves times, size and inode as they were, so what was read of a file that recent is not kept.
    (The later of the two times: a modification time set back says nothing of when the file was written.)"""
    return time.time_ns() - max(seen[0], seen[3]) > RACY_NS


def alias_key(aliases: dict[str, list], entity_ids) -> str:
    """Everything linking depends on besides the text: the aliases and the ids that exist."""
    return digest(sorted(entity_ids), *[sorted((a.entity_id, a.words, sorted(a.exclusions)) for a in aliases[lang])
                                        for lang in LANGS])


def fingerprints(mentions: dict[str, list]) -> dict[str, dict[str, int]]:
    """Per language and entity, a hash of a report's mentions of it (what its entry quotes);
    made once, when the report is read, like the digest of its summary and the hash of each
    language's (``"mentions"``) beside them."""
    found: dict[str, dict[str, list]] = {}
    for lang, in_lang in mentions.items():
        for mention in in_lang:
            found.setdefault(lang, {}).setdefault(mention.entity_id, []).append(mention)
    return {lang: {e: hash(tuple(ms)) for e, ms in by_entity.items()} for lang, by_entity in found.items()}


class PageReuse:
    """The pages of one build: each rendered, or taken from the previous build if nothing it read changed.

    Pages share most of what they read (the strings, the templates, an entity): each read, with
    the version a page saw, is checked against the catalogue once per build, not once per page.
    A page's own versions (a report page's report) are kept apart from its reads of the
    catalogue, so that a page whose reads were all seen current already passes with one subset test."""

    def __init__(self, previous: dict[str, tuple[frozenset, bytes, frozenset]], previous_groups: dict | None = None):
        self.previous = previous
        self.kept: dict[str, tuple[frozenset, bytes, frozenset]] = {}  # output file -> (its catalogue reads
        # with their versions, its bytes (or, for a data set, its files), its own versions)
        self.previous_groups = previous_groups or {}
        self.groups: dict[str, tuple] = {}  # group -> (its files, all their reads, all their own versions)
        self._group: list[str] | None = None  # the files of the group being made
        self.rendered = 0
        self.checked: dict = {}  # catalogue -> ((read, version) pairs found current, those found changed)

    @contextlib.contextmanager
    def group(self, key: str):
        """Record the pages and data sets made inside the block as one group (a report's pages and
        files), which the next build can write again at once (``replay``)."""
        self._group = files = []
        try:
            yield
        finally:
            self._group = None
        entries = [self.kept[file] for file in files]
        self.groups[key] = (tuple(files), frozenset().union(*(e[0] for e in entries)),
                            frozenset().union(*(e[2] for e in entries)))

    def replay(self, key: str, catalog, own: dict, out) -> bool:
        """Write every file of a group as the last build made it, if none of them read anything that
        changed since and their own versions are among ``own``: one check for a report's pages and
        files instead of one per page. False (nothing written) otherwise."""
        group = self.previous_groups.get(key)
        if group is None:
            return False
        files, reads, owned = group
        if not owned <= frozenset(own.items()) or not self.unchanged(reads, catalog):
            return False
        for file in files:
            entry = self.kept[file] = self.previous[file]
            written = entry[1]
            for path, data in (written.items() if isinstance(written, dict) else ((file, written),)):
                out.write(path, data)
        self.groups[key] = group
        return True

    def page(self, file: str, catalog, make: Callable[[], bytes], own: dict | None = None) -> bytes:
        if self._group is not None:
            self._group.append(file)
        own_versions = frozenset((own or {}).items())
        entry = self.previous.get(file)
        if entry is None or entry[2] != own_versions or not self.unchanged(entry[0], catalog):
            with catalog.recording() as reads:
                data = make()
            reads -= own.keys() if own else set()
            entry = (frozenset((dependency, catalog.version(dependency)) for dependency in reads), data, own_versions)
            self.rendered += 1
        self.kept[file] = entry
        return entry[1]

    def unchanged(self, seen: frozenset, catalog) -> bool:
        """Whether every read of a page (``seen``: pairs of what it read and the version then) still
        has that version in the catalogue."""
        current, outdated = self.checked.setdefault(catalog, (set(), set()))
        if seen <= current:  # most pages, once the first few have checked what all of them read
            return True
        for pair in seen - current:
            dependency, version = pair
            if pair in outdated:
                return False
            if catalog.version(dependency) != version:
                outdated.add(pair)
                return False
            current.add(pair)
        return True
