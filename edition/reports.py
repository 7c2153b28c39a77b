"""One report at a time: read, checked and linked; what the rest of the build keeps of it once its
pages are written is a ``ReportPart`` (its summary, its mentions, its search documents)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .collation import tokens
from .content import Report, ReportSummary, load_report
from .mentions import Linker, report_unused
from .models import LANGS
from .problems import Problems
from .safety import control_characters, read_text, regular_file
from .consistency import passages
from .search import report_documents
from .urls import Urls


@dataclass
class ReportPart:
    """What the rest of the build keeps of a report once its pages are written."""

    seed: tuple | None = None  # (seed file, slug, where it is named: file, line, col)
    summary: ReportSummary | None = None  # None if the report was not linked
    used: set = field(default_factory=set)  # (entity id, lang, words) of each alias its text matched
    mentions: dict[str, list] = field(default_factory=dict)  # lang -> its mentions, in text order
    docs: dict[str, list[dict]] = field(default_factory=dict)  # lang -> its search documents
    fingerprints: dict | None = None  # lang -> entity id -> hash of its mentions; "summary" -> digest;
    # "mentions" -> lang -> hash of them all (the live preview: cache.BuildCache.keep_report)
    blocks: frozenset = frozenset()  # the ids of its blocks (editorial notes are anchored to them)
    passages: object = None  # its Arabic text as tokens for the consistency check (consistency.passages)
    tokens: tuple = ()  # a witness of a collation group: its Arabic text as the collation's tokens
    # (collation.tokens); other reports keep none (``collated``)
    mentioned: tuple | None = None  # (entity id, lang) of each of its mentions, once listed (PartGroup.add)


def read_report(folder: Path, entities: dict, linker: Linker | None, urls: Urls,
                problems: Problems, read=None) -> tuple[Report | None, ReportPart | None]:
    """The report read, checked and linked, and its part; only read and checked (no report given
    back) when it has an error or when there is no ``linker`` (the other sources are not valid).
    ``read`` reads its witness file (check_report)."""
    before = len(problems.items)
    report = load_report(folder, problems)
    if report is None:
        return None, None
    check_report(report, entities, problems, read)
    seed = report_seed(report, problems)
    if linker is None or errors_since(problems, before):
        return None, ReportPart(seed=seed)
    mentions, used = linker.link_report(report, problems)
    if errors_since(problems, before):
        return None, ReportPart(seed=seed)
    return report, ReportPart(seed=seed, summary=report.summary(),
                              used={(alias.entity_id, alias.lang, alias.words) for alias in used},
                              mentions={lang: [m for m in mentions if m.lang == lang] for lang in LANGS},
                              docs={lang: report_documents(report, urls, lang) for lang in LANGS},
                              blocks=frozenset(block.id for block in report.blocks("ar")),
                              passages=passages(report))


def collated(report: Report, part: ReportPart, witnesses: frozenset[str]) -> None:
    """Give the part its collation tokens if the report is a witness of a collation group, and
    none otherwise: at 10,000 reports every report's tokens held about 0.9 GiB, for groups that
    name a handful of witnesses. (In the live preview a kept part follows the groups as they are now.)"""
    if report.slug not in witnesses:
        part.tokens = ()
    elif not part.tokens:
        part.tokens = tokens(report)


def errors_since(problems: Problems, before: int) -> bool:
    return any(p.severity == "error" for p in problems.items[before:])


def check_report(report: Report, entities, problems: Problems, read=None) -> None:
    """The report's meeting exists and its witness file is read (``read``: the live preview's
    reads it again only if it changed, BuildCache.text)."""
    doc = report.docs["ar"]
    meeting = entities.get(report.meta.meeting)
    if meeting is None or meeting.entity.kind != "meeting":
        problems.error(doc.path, *doc.where("meeting"), f"meeting: no meeting entity with id '{report.meta.meeting}'")
    witness = witness_file(doc.path, report.meta.seed)
    if regular_file(witness) is False:  # (one that cannot be looked at is read: that says why)
        problems.error(doc.path, *doc.where("seed"), f"seed: no witness file content/witnesses/{report.meta.seed}")
        return
    report.witness = (read or read_text)(witness, problems, flag=False)  # kept as it is, format characters and all
    if report.witness is not None:  # but for what no page can carry
        control_characters(report.witness, witness, problems)


def witness_file(text: Path, seed: str) -> Path:
    """content/witnesses/<seed>, from one of a report's files (content/reports/<slug>/ar.md)."""
    return text.parents[2] / "witnesses" / seed


def report_seed(report: Report, problems: Problems) -> tuple:
    doc = report.docs["ar"]
    return (report.meta.seed, report.slug, problems.relative(doc.path), *doc.where("seed"))


def check_reports(entities: dict, aliases: dict, groups: list, problems: Problems) -> None:
    """What no single report shows: a witness claimed twice, aliases and entities never used."""
    seeds: dict[str, str] = {}
    for seed, slug, file, line, col in (seed for group in groups for seed in group.seeds):
        if seed in seeds:
            problems.error(file, line, col, f"seed: '{seed}' is already the witness of report '{seeds[seed]}'")
        seeds.setdefault(seed, slug)
    if problems.errors:
        return
    used = set().union(*(group.used for group in groups))
    mentioned = set().union(*(group.entities_mentioned() for group in groups))
    meetings = {summary.meeting for group in groups for summary in group.summaries}
    report_unused(entities, aliases, used, mentioned, meetings, problems)
