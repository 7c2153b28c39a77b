"""The edition as pages read it: a read-only catalogue, built once per build.

Views (views.py) read the edition only through these accessors. While the live preview renders a
page, the catalogue records every (kind, key) the page read; the next build reuses the page only
if each of those has the same version in the new catalogue (cache.py). Nothing is declared by
hand, so a page cannot miss a dependency: what it did not read cannot have changed it.

A build makes two: one of the sources (config, strings, entities, prose pages, the names of the
witness files), for the reports' own pages as they stream through; and, once every report is read,
``with_reports`` adds what the other pages need of them (their summaries and mentions).
"""
from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from typing import Any

from .annotations import EntityFile
from .content import Page, ReportSummary
from .mentions import Mention
from .models import Config
from .notes import anchored
from .witness import by_siglum

KIND_ORDER = ["meeting", "resolution", "document", "working-group", "organization", "person", "place", "event"]


def digest(*parts: Any) -> str:
    hasher = hashlib.sha1()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


class Catalog:
    def __init__(self, config: Config, strings: dict[str, dict[str, str]], entities: dict[str, EntityFile],
                 pages: list[Page], known: dict | None = None, notes: dict | None = None,
                 report_slugs: tuple[str, ...] = (), collations: dict | None = None, witness_files: tuple[str, ...] = ()):
        self._config, self._strings, self._entities = config, strings, entities
        self._witness_files = tuple(witness_files)  # the names of content/witnesses/*.txt, known before any report is read
        self._sigla: dict[str, list[str]] | None = None  # siglum -> the witness files that have it (witness_file)
        self._notes = {note_id: loaded.note for note_id, loaded in (notes or {}).items()}  # id -> models.Note
        self._note_files = notes or {}
        self._anchored = anchored(self._note_files)
        self._groups = {group_id: loaded.group for group_id, loaded in (collations or {}).items()}
        self._group_files = collations or {}
        self._tokens: dict[str, tuple] = {}  # slug -> its Arabic text as the collation's tokens
        self._report_slugs = tuple(report_slugs)  # every report folder, in edition order, known before any is read
        self._pages = {page.name: page for page in pages}
        self._summaries: dict[str, ReportSummary] = {}  # slug -> summary, in edition order
        self._mentions: dict[str, dict[str, list[Mention]]] = {}  # lang -> entity id -> mentions
        self._fingerprints: dict[str, dict] = {}  # slug -> lang -> entity id -> hash of its mentions there,
        # and "summary" -> digest of its summary (the live preview)
        self._known = dict(known or {})  # versions given from outside (templates, entity files)
        self._related_to: dict[str, set[str]] = {}  # related, seen from the other side
        for entity_id, loaded in entities.items():
            for other in loaded.entity.related:
                self._related_to.setdefault(other, set()).add(entity_id)
        self._versions: dict[tuple, Any] = {}
        self.reads: set[tuple] | None = None  # what the page being rendered read (the live preview)

    def with_reports(self, summaries: list[ReportSummary], mentions: dict[str, dict[str, list[Mention]]],
                     fingerprints: dict[str, dict] | None = None, tokens: dict | None = None,
                     made_mention_versions: dict | None = None) -> "Catalog":
        """The same catalogue with the reports' summaries (in edition order) and mentions
        (``made_mention_versions``: what ``mention_versions`` makes of the fingerprints, if made already)."""
        full = Catalog(self._config, self._strings, self._entities, list(self._pages.values()), self._known,
                       self._note_files, self._report_slugs, self._group_files, self._witness_files)
        full._tokens = tokens or {}
        full._summaries = {summary.slug: summary for summary in summaries}
        full._mentions = mentions
        full._fingerprints = fingerprints or {}
        if made_mention_versions is not None:
            full._versions[("mention_versions",)] = made_mention_versions
        return full

    # ---------------------------------------------------------------- recording

    @contextlib.contextmanager
    def recording(self):
        """Collect what is read inside the block (a set of (kind, key) tuples)."""
        self.reads = reads = set()
        try:
            yield reads
        finally:
            self.reads = None

    def _read(self, *dependency) -> None:
        if self.reads is not None:
            self.reads.add(dependency)

    def read(self, *dependency) -> None:
        """Record a read of something the catalogue holds only the version of (``known``)."""
        self._read(*dependency)

    def version(self, dependency: tuple) -> Any:
        """The version of one thing a page read: equal versions, equal content. A version that is a
        list of things (every report's slug, say) is kept as its hash, like a report's mentions
        (cache.fingerprints): pages keep the versions they saw, and a number is compared at once."""
        if dependency not in self._versions:
            found = self._version(dependency)
            self._versions[dependency] = hash(found) if isinstance(found, tuple) else found
        return self._versions[dependency]

    def _version(self, dependency: tuple) -> Any:
        kind, *key = dependency
        if dependency in self._known:
            return self._known[dependency]
        if kind == "entity":  # the digest of its file when known (the live preview), else of the entity
            loaded = self._entities.get(key[0])
            return None if loaded is None else self._known.get(("file", key[0])) or digest(loaded.entity)
        return _VERSIONS[kind](self, *key)

    def _mention_versions(self) -> dict[tuple[str, str], tuple]:
        """(entity id, lang) -> (report, hash of its mentions there) for each report mentioning it, in
        the languages whose mentions this catalogue holds."""
        if ("mention_versions",) not in self._versions:
            self._versions[("mention_versions",)] = mention_versions(self._fingerprints, tuple(self._mentions))
        return self._versions[("mention_versions",)]

    def _summary_version(self, slug: str) -> str | None:
        summary = self._summaries.get(slug)
        kept = (self._fingerprints.get(slug) or {}).get("summary")  # made when the report was read
        return kept or (digest(summary) if summary else None)

    def _report_mentions_version(self, slug: str, lang: str) -> int:
        found = self._fingerprints.get(slug) or {}
        if lang in found.get("mentions", {}):  # made when the report was read
            return found["mentions"][lang]
        return hash(tuple(sorted(found.get(lang, {}).items())))

    # ---------------------------------------------------------------- what the pages read

    def config(self) -> Config:
        self._read("config")
        return self._config

    def strings(self, lang: str) -> dict[str, str]:
        self._read("strings", lang)
        return self._strings[lang]

    def entity_ids(self) -> list[str]:
        self._read("entity_ids")
        return sorted(self._entities)

    def entity(self, entity_id: str):
        self._read("entity", entity_id)
        return self._entities[entity_id].entity

    def meeting_ids(self) -> list[str]:
        self._read("meeting_ids")
        return self._meeting_ids()

    def _meeting_ids(self) -> list[str]:
        return sorted(e for e, loaded in self._entities.items() if loaded.entity.kind == "meeting")

    def related(self, entity_id: str) -> list[str]:
        """The entities related to one, whichever of the two names the other."""
        self._read("entity", entity_id)
        self._read("related_to", entity_id)
        own = self._entities[entity_id].entity.related
        return sorted(set(own) | self._related_to.get(entity_id, set()))

    def page_names(self) -> list[str]:
        self._read("page_names")
        return sorted(self._pages)

    def page(self, name: str) -> Page:
        self._read("page", name)
        return self._pages[name]

    def notes(self) -> list:
        """Every editorial note (models.Note), in the order of their files."""
        self._read("notes")
        return list(self._notes.values())

    def notes_at(self, slug: str, block_id: str) -> list:
        """The notes anchored to one block of one report."""
        self._read("notes")
        return self._anchored.get((slug, block_id), [])

    def collation_groups(self) -> list:
        """Every collation group (models.CollationGroup), in the order of their files."""
        self._read("groups")
        return list(self._groups.values())

    def groups_of(self, slug: str) -> list:
        """The collation groups a report is a witness of."""
        return [group for group in self.collation_groups() if slug in group.witnesses]

    def witness_tokens(self, slug: str) -> tuple:
        """A report's Arabic text as the collation's tokens (collation.tokens): what a collation
        of it reads, so that its pages are made again only when the text changed."""
        self._read("tokens", slug)
        return self._tokens.get(slug, ())

    def report_slugs(self) -> tuple[str, ...]:
        """Every report's slug in edition order (the order of their folders), known before the
        reports are read: a report's own page can link to the one before and after it."""
        self._read("report_slugs")
        return self._report_slugs

    def witness_file(self, siglum: str) -> str | None:
        """The witness file whose siglum this is (witness.siglum: ``004`` for 004_56d1….txt), or None
        when no file or several have it; known before the reports are read, so that a report's page
        can link to another's witness (the build checks that a report has it: reports.check_grounds)."""
        self._read("witness_files")
        if self._sigla is None:  # made once, when a page first asks
            self._sigla = by_siglum(self._witness_files)
        found = self._sigla.get(siglum, [])
        return found[0] if len(found) == 1 else None

    def summaries(self) -> list[ReportSummary]:
        """Every report's summary, in edition order."""
        self._read("summaries")
        return list(self._summaries.values())

    def report_seeds(self) -> list[tuple[str, str]]:
        """Every report's slug and witness file, in edition order (what the sitemap lists)."""
        self._read("report_seeds")
        return [(summary.slug, summary.seed) for summary in self._summaries.values()]

    def summary(self, slug: str) -> ReportSummary:
        self._read("summary", slug)
        return self._summaries[slug]

    def reports_of(self, meeting_id: str) -> list[ReportSummary]:
        self._read("reports_of", meeting_id)
        return self._reports_of(meeting_id)

    def _reports_of(self, meeting_id: str) -> list[ReportSummary]:
        return [summary for summary in self._summaries.values() if summary.meeting == meeting_id]

    def mentions_of(self, entity_id: str, lang: str) -> list[Mention]:
        """Every mention of an entity in one language's texts, in edition order."""
        self._read("mentions", entity_id, lang)
        return self._mentions.get(lang, {}).get(entity_id, [])

    def mention_count(self, entity_id: str, lang: str) -> int:
        self._read("count", entity_id, lang)
        return len(self._mentions.get(lang, {}).get(entity_id, []))

    def entities_mentioned_in(self, slugs: list[str], lang: str) -> Counter:
        """How often each entity is mentioned in the given reports' texts in one language."""
        for slug in slugs:
            self._read("report_mentions", slug, lang)
        wanted = set(slugs)
        return Counter(m.entity_id for found in self._mentions.get(lang, {}).values() for m in found
                       if m.report in wanted)


def mention_versions(fingerprints: dict[str, dict], langs: tuple[str, ...]) -> dict[tuple[str, str], tuple]:
    """(entity id, lang) -> ((report, hash of its mentions of the entity there), ...) in edition order,
    for each report mentioning it (``fingerprints``: slug -> its fingerprints, cache.fingerprints)."""
    versions: dict[tuple[str, str], list] = {}
    for slug, found in fingerprints.items():
        for lang, by_entity in (found or {}).items():
            if lang not in langs:  # "summary", "mentions", or a language not asked for
                continue
            for entity_id, hashed in by_entity.items():
                versions.setdefault((entity_id, lang), []).append((slug, hashed))
    return {key: tuple(value) for key, value in versions.items()}


_VERSIONS = {  # kind of read -> its version in a catalogue, from the read's key
    "config": lambda c: digest(c._config),
    "strings": lambda c, lang: digest(sorted(c._strings[lang].items())),
    "entity_ids": lambda c: tuple(sorted(c._entities)),
    "meeting_ids": lambda c: tuple(c._meeting_ids()),
    "related_to": lambda c, entity_id: tuple(sorted(c._related_to.get(entity_id, ()))),
    "page_names": lambda c: tuple(sorted(c._pages)),
    "notes": lambda c: digest(tuple(c._notes.values())),
    "groups": lambda c: digest(tuple(c._groups.values())),
    "tokens": lambda c, slug: digest(c._tokens.get(slug)),
    "report_slugs": lambda c: c._report_slugs,
    "witness_files": lambda c: c._witness_files,
    "page": lambda c, name: digest(c._pages[name].title, c._pages[name].body) if name in c._pages else None,
    "summary": lambda c, slug: c._summary_version(slug),
    "reports_of": lambda c, meeting: tuple((s.slug, c._summary_version(s.slug)) for s in c._reports_of(meeting)),
    "report_seeds": lambda c: tuple((s.slug, s.seed) for s in c._summaries.values()),
    "summaries": lambda c: tuple((slug, c._summary_version(slug)) for slug in c._summaries),
    "mentions": lambda c, entity_id, lang: c._mention_versions().get((entity_id, lang), ()),
    "count": lambda c, entity_id, lang: len(c._mentions.get(lang, {}).get(entity_id, [])),
    "report_mentions": lambda c, slug, lang: c._report_mentions_version(slug, lang),
}
