"""The reports, one at a time: each is read, checked, linked and its two pages rendered and
handed to the output; what the rest of the build needs of it (a summary, its mentions, its
search documents) is kept in a ``ReportPart``. With many reports, two forked workers take them
in groups, and each group's per-language half waits in a file until that language's pages are made."""
from __future__ import annotations

import multiprocessing
import pickle
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .content import Report, ReportSummary, load_report
from .incremental import BuildCache, SourceKeys, alias_key, report_fingerprints
from .mentions import Linker, report_unused
from .models import LANGS
from .problems import Problems
from .render import Edition, Renderer
from .search import report_documents
from .sources import Project, Sources
from .urls import Urls


class ReportJob:
    """What reading, linking and rendering a report needs. A report is linked and rendered only
    when everything else is valid (``ready``); otherwise it is only read, for its own problems."""

    def __init__(self, project: Project, sources: Sources, cache: BuildCache | None, serve: bool, ready: bool):
        self.sources, self.cache, self.ready = sources, cache, ready
        self.renderer = self.linker = None
        self.link_key = alias_key(sources.aliases, sources.entities)
        self.keys = None
        if ready:
            edition = Edition(sources.config, sources.strings, sources.entities, sources.pages)
            urls = Urls(sources.config.base_url)
            if cache:
                self.keys = SourceKeys.of(project, sources, serve, cache)
            self.renderer = Renderer(edition, project.templates, urls, serve=serve,
                                     keys={} if cache else None, previous=cache.pages if cache else None)
            self.linker = Linker(sources.entities, sources.aliases)

    def run(self, folder: Path, problems: Problems, output) -> "ReportPart | None":
        cache = self.cache
        key = cache.report_key(folder, self.link_key) if cache else None
        kept = cache.report(folder, key) if cache else None
        if kept:  # unchanged since the last build, which read, linked and rendered it without a problem
            report, part = kept
            check_report(report, self.sources.entities, problems)
            self.render(report, key, part, output)
            return part
        before = len(problems.items)
        report = load_report(folder, problems)
        if report is None:
            return None
        check_report(report, self.sources.entities, problems)
        seed = report_seed(report, problems)
        if not self.ready or errors_since(problems, before):
            return ReportPart(seed=seed)
        mentions, used = self.linker.link_report(report, problems)
        if errors_since(problems, before):
            return ReportPart(seed=seed)
        urls = self.renderer.urls
        part = ReportPart(seed=seed, summary=report.summary(), used=used,
                          mentions={lang: [m for m in mentions if m.lang == lang] for lang in LANGS},
                          docs={lang: report_documents(report, urls, lang) for lang in LANGS})
        if cache:
            part.fingerprints = report_fingerprints(part.summary, mentions)
            cache.keep_report(folder, key, report, part)
        self.render(report, key, part, output)
        return part

    def render(self, report: Report, key: str | None, part: "ReportPart", output) -> None:
        page_key = self.keys.report(key, report, part.glossed()) if self.keys else None
        self.renderer.report_pages(report, page_key, output)


@dataclass
class ReportPart:
    """What the rest of the build keeps of a report once its pages are written."""

    seed: tuple | None = None  # (seed file, slug, where it is named: file, line, col)
    fingerprints: tuple | None = None  # what other pages show of it, as keys (the live preview)
    summary: ReportSummary | None = None
    used: set = field(default_factory=set)  # aliases its text matched
    mentions: dict[str, list] = field(default_factory=dict)  # lang -> its mentions, in text order
    docs: dict[str, list[dict]] = field(default_factory=dict)  # lang -> its search documents

    def glossed(self) -> list[str]:
        return sorted({m.entity_id for found in self.mentions.values() for m in found})


@dataclass
class PartGroup:
    """The parts of a run of consecutive reports. From a worker process, the large per-language
    half (mentions, search documents) waits in a file, so that each language's worker later
    loads only its own language and the parent never holds either."""

    problems: list = field(default_factory=list)
    written: dict = field(default_factory=dict)
    seeds: list = field(default_factory=list)
    summaries: list = field(default_factory=list)
    used: set = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)  # (entity id, lang) -> mentions
    fingerprints: dict = field(default_factory=dict)  # slug -> the report's fingerprints (the live preview)
    languages: dict = field(default_factory=dict)  # (lang, "mentions" | "docs") -> the list, or the file holding it

    def add(self, part: "ReportPart | None") -> None:
        if part is None:
            return
        if part.seed:
            self.seeds.append(part.seed)
        if part.summary is None:
            return
        self.summaries.append(part.summary)
        self.fingerprints[part.summary.slug] = part.fingerprints
        self.used |= part.used
        for lang in LANGS:
            self.languages.setdefault((lang, "mentions"), []).extend(part.mentions[lang])
            self.languages.setdefault((lang, "docs"), []).extend(part.docs[lang])
            self.counts.update((m.entity_id, lang) for m in part.mentions[lang])

    def language(self, lang: str, what: str) -> list:
        held = self.languages.get((lang, what), [])
        if isinstance(held, str):
            with open(held, "rb") as file:
                return pickle.load(file)
        return held


GROUP = 50  # reports a worker reads and renders before it hands over their parts


_JOB: dict = {}  # what a forked worker works from (inherited, never pickled)


def read_and_render_reports(job: ReportJob, folders: list[Path], problems: Problems, output,
                            parts_folder: Path | None) -> list[PartGroup]:
    """Every report read, checked, linked and its pages written, in edition order; with a
    ``parts_folder``, on two cores, the reports split into groups."""
    if parts_folder is None:
        group = PartGroup()
        for folder in folders:
            group.add(job.run(folder, problems, output))
        return [group]
    _JOB.update(job=job, output=output, problems=problems, parts=parts_folder)
    try:
        groups = [(index, folders[start:start + GROUP]) for index, start in enumerate(range(0, len(folders), GROUP))]
        with worker_pool() as pool:
            results = list(pool.map(report_group, groups))
    finally:
        _JOB.clear()
    for group in results:
        problems.items += group.problems
        output.merge(group.written)
    return results


def report_group(numbered: tuple[int, list[Path]]) -> PartGroup:
    """In a worker: one group of reports."""
    index, folders = numbered
    job, problems, output = _JOB["job"], _JOB["problems"].twin(), _JOB["output"].twin()
    group = PartGroup()
    for folder in folders:
        group.add(job.run(folder, problems, output))
    for (lang, what), held in list(group.languages.items()):
        path = _JOB["parts"] / f"{index:06d}-{lang}-{what}.pickle"
        with open(path, "wb") as file:
            pickle.dump(held, file, protocol=pickle.HIGHEST_PROTOCOL)
        group.languages[(lang, what)] = str(path)
    group.problems, group.written = problems.items, output.written()
    return group


def worker_pool() -> ProcessPoolExecutor:
    """Two forked workers: they inherit what they work from instead of receiving it pickled."""
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()  # not on Windows: there, one process


def errors_since(problems: Problems, before: int) -> bool:
    return any(p.severity == "error" for p in problems.items[before:])


def check_report(report: Report, entities, problems: Problems) -> None:
    doc = report.docs["ar"]
    meeting = entities.get(report.meta.meeting)
    if meeting is None or meeting.entity.kind != "meeting":
        problems.error(doc.path, *doc.where("meeting"), f"meeting: no meeting entity with id '{report.meta.meeting}'")
    witness = doc.path.parents[2] / "witnesses" / report.meta.seed
    if not witness.is_file():
        problems.error(doc.path, *doc.where("seed"), f"seed: no witness file content/witnesses/{report.meta.seed}")


def report_seed(report: Report, problems: Problems) -> tuple:
    doc = report.docs["ar"]
    return (report.meta.seed, report.slug, problems.relative(doc.path), *doc.where("seed"))


def check_edition(sources: Sources, groups: list[PartGroup], problems: Problems) -> None:
    """What no single report shows: a witness claimed twice, aliases and entities never used."""
    seeds: dict[str, str] = {}
    for seed, slug, file, line, col in (seed for group in groups for seed in group.seeds):
        if seed in seeds:
            problems.error(file, line, col, f"seed: '{seed}' is already the witness of report '{seeds[seed]}'")
        seeds.setdefault(seed, slug)
    if problems.errors:
        return
    used = set().union(*(group.used for group in groups))
    mentioned = {entity_id for group in groups for entity_id, _lang in group.counts}
    meetings = {summary.meeting for group in groups for summary in group.summaries}
    report_unused(sources.entities, sources.aliases, used, mentioned, meetings, problems)
