"""The build, as a pipeline: load config and annotations, discover the reports, then read,
validate, link and render each report in turn (collecting every problem), check what spans
reports, render each language's entity and overview pages and its search index, and write.

Pages go to the output as they are rendered, so that a large edition never has to fit in
memory: on the command line that is a staging folder beside ``site/``, swapped in only when the
whole build succeeded. On any error the staging folder is deleted and ``site/`` is untouched.
With many reports the work runs on two cores: the reports in groups, then one language each."""
from __future__ import annotations

import contextlib
import functools
import gc
import gzip
import multiprocessing
import os
import pickle
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import models
from .annotations import load_annotations
from .content import Page, Report, ReportSummary, load_page, load_report
from .incremental import BuildCache, alias_key, digest, page_keys, report_fingerprints, report_page_key, tree_digest
from .mentions import Linker, build_aliases, report_unused
from .models import LANGS
from .output import FolderFiles, FolderOutput, MemoryOutput
from .problems import BuildFailed, Problems
from .render import Edition, Renderer
from .search import gloss_documents, protected_names, report_documents, search_file, search_path
from .urls import Urls
from .yamlsource import load_yaml


@dataclass
class Project:
    """Where a project's sources live."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "templates" / "static"

    @property
    def site(self) -> Path:
        return self.root / "site"


@dataclass
class BuildResult:
    files: Mapping[str, bytes]  # output path -> contents (in memory, or read from the folder written)
    problems: Problems
    edition: Edition
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    # the live preview: search indexes still to bring up to date (the previous ones stand in
    # meanwhile); calling it returns them, and then ``files`` equals a full build's
    pending: Callable[[], dict[str, bytes]] | None = None


def build(root: Path, *, base_url: str | None = None, serve: bool = False,
          cache: BuildCache | None = None, output=None, defer_index: bool = False) -> BuildResult:
    """Validate and render the whole site into ``output`` (memory unless given a folder).
    Raises BuildFailed with every problem.

    With a ``cache`` (the live preview), what did not change since the last build is reused;
    with ``defer_index`` as well, a search index that changed is left to ``BuildResult.pending``
    so that the pages can be shown first."""
    with collector_paused():
        result = _build(root, base_url, serve, cache, MemoryOutput() if output is None else output, defer_index)
    if result.pending:
        pending = result.pending

        def finish() -> dict[str, bytes]:
            with collector_paused():
                return pending()
        result.pending = finish
    return result


@contextlib.contextmanager
def collector_paused():
    """The edition is a large graph of objects without reference cycles worth collecting: the
    cyclic garbage collector would only scan it again and again (about a sixth of the time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def build_into(root: Path, target: Path, *, base_url: str | None = None) -> BuildResult:
    """Build straight into a new folder beside ``target`` (pages go to disk as they are rendered)
    and swap it in only when the build is complete: on any error ``target`` is left as it was."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        result = build(root, base_url=base_url, output=FolderOutput(staging))
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.files = FolderFiles(target, list(result.files))
    return result


def _build(root: Path, base_url: str | None, serve: bool, cache: BuildCache | None, output,
           defer_index: bool = False) -> BuildResult:
    started = time.perf_counter()
    project = Project(root)
    problems = Problems(root=root)
    sources = load_sources(project, problems, base_url, cache)
    folders = discover_reports(project)
    if cache:
        cache.forget_missing(sources.entity_paths, folders)
    job = ReportJob(project, sources, cache, serve, ready=not problems.errors)
    parallel = cache is None and len(folders) >= PARALLEL_FROM
    with tempfile.TemporaryDirectory(prefix="edition-parts-") as parts_folder:
        groups = read_and_render_reports(job, folders, problems, output, Path(parts_folder) if parallel else None)
        check_edition(sources, groups, problems)
        if problems.errors:
            raise BuildFailed(problems)
        lunr = lunr_js(project, problems)
        edition = job.renderer.edition
        edition.summaries = [summary for group in groups for summary in group.summaries]
        edition.mention_counts = sum((group.counts for group in groups), Counter())
        pending = render_languages(job, groups, output, parallel, defer_index)
    job.renderer.shared_pages(output)
    job.renderer.discovery_files(list(output.written()), output)
    for path, data in static_files(project).items():
        output.write(path, data)
    output.write("assets/lunr.min.js", lunr)
    if cache:
        cache.pages, cache.rendered = job.renderer.kept, job.renderer.rendered
    return BuildResult(output.files(), problems, edition, time.perf_counter() - started,
                       {"reports": len(edition.summaries), "entities": len(edition.entities)}, pending)


# ---------------------------------------------------------------- sources

@dataclass
class Sources:
    """Everything but the reports, read and validated (each part None or partial if invalid)."""

    config: models.Config | None
    strings: dict[str, dict[str, str]]
    entities: dict
    aliases: dict
    pages: list[Page]
    entity_paths: list[Path]


def load_sources(project: Project, problems: Problems, base_url: str | None, cache: BuildCache | None) -> Sources:
    config = load_config(project.config, problems)
    if config is not None and base_url is not None:
        config = config.model_copy(update={"base_url": base_url})
    strings = load_strings(project.templates / "strings.yaml", problems)
    entity_paths = visible((project.content / "annotations").glob("*.yaml"))
    entities = load_annotations(entity_paths, problems, cache and (lambda path: cache.entity(path, problems)))
    aliases = build_aliases(entities, problems)
    pages = [p for p in (load_page(name, paths, problems) for name, paths in discover_pages(project, problems).items()) if p]
    return Sources(config, strings, entities, aliases, pages, entity_paths)


# ---------------------------------------------------------------- reports, one at a time

class ReportJob:
    """What reading, linking and rendering a report needs. A report is linked and rendered only
    when everything else is valid (``ready``); otherwise it is only read, for its own problems."""

    def __init__(self, project: Project, sources: Sources, cache: BuildCache | None, serve: bool, ready: bool):
        self.project, self.sources, self.cache = project, sources, cache
        self.ready = ready
        self.renderer = self.linker = None
        self.link_key = alias_key(sources.aliases, sources.entities)
        self.keys = None
        if ready:
            edition = Edition(sources.config, sources.strings, sources.entities, sources.pages)
            urls = Urls(sources.config.base_url)
            if cache:
                self.keys = SourceKeys.of(project, sources, serve)
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


PARALLEL_FROM = 40  # reports; below this, starting worker processes costs more than it saves
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
    _JOB.update(job=job, output=output, root=problems.root, parts=parts_folder)
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
    job, problems, output = _JOB["job"], Problems(root=_JOB["root"]), _JOB["output"].twin()
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
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))


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


# ---------------------------------------------------------------- the pages of each language

def render_languages(job: ReportJob, groups: list[PartGroup], output, parallel: bool, defer_index: bool = False):
    """Each language's overview and entity pages and its search index; on two cores, each
    language in its own worker, which loads only that language's mentions and documents."""
    renderer = job.renderer
    protected = protected_names(renderer.edition)
    _JOB.update(job=job, groups=groups, output=output, protected=protected)
    try:
        if parallel:
            with worker_pool() as pool:
                for written in pool.map(language_pages, LANGS, [True] * len(LANGS)):
                    output.merge(written)
        elif job.cache is not None:
            return preview_languages(job, groups, output, protected, defer_index)
        else:
            renderer.edition.mentions = {lang: load_mentions(groups, lang) for lang in LANGS}
            for lang in LANGS:
                language_pages(lang)
    finally:
        _JOB.clear()


def load_mentions(groups: list[PartGroup], lang: str) -> dict[str, list]:
    """One language's mentions by entity, in edition order."""
    mentions: dict[str, list] = {}
    for group in groups:
        for mention in group.language(lang, "mentions"):
            mentions.setdefault(mention.entity_id, []).append(mention)
    return mentions


def language_pages(lang: str, worker: bool = False):
    """One language's pages, then its search index. A worker loads that language's mentions
    first and lets go of them before it reads the search documents (group by group, twice,
    rather than holding them)."""
    job, output, groups = _JOB["job"], _JOB["output"], _JOB["groups"]
    renderer = job.renderer
    if worker:
        output = output.twin()
        renderer.edition.mentions = {lang: load_mentions(groups, lang)}
    renderer.language_pages(lang, output)
    if worker:
        renderer.edition.mentions = {}
    glosses = gloss_documents(renderer.edition, renderer.urls, lang)

    def docs():
        for group in groups:
            yield from group.language(lang, "docs")
        yield from glosses
    output.write_parts(search_path(lang), search_file(docs, lang, _JOB["protected"]))
    return output.written()


def preview_languages(job: ReportJob, groups: list[PartGroup], output, protected: frozenset[str],
                      defer_index: bool):
    """The live preview: a language's search index is rebuilt only if what it holds changed,
    and then from the kept analysis of every unchanged text; with ``defer_index``, after the
    pages are shown (returned as a function). A worker process would copy the preview's large
    memory and cost more than it saves."""
    renderer, cache = job.renderer, job.cache
    renderer.edition.mentions = {lang: load_mentions(groups, lang) for lang in LANGS}
    fingerprints = {slug: found for group in groups for slug, found in group.fingerprints.items()}
    renderer.keys.update(page_keys(renderer.edition, job.keys.entities, job.keys.global_key, fingerprints))
    if cache.analysis.get("protected") != protected:
        cache.analysis = {"protected": protected}
    stale = []
    for lang in LANGS:
        renderer.language_pages(lang, output)
        docs = [doc for group in groups for doc in group.language(lang, "docs")]
        docs += gloss_documents(renderer.edition, renderer.urls, lang)
        previous = cache.search.get(lang)
        if not (previous and previous[0] == (protected, docs)):
            update = functools.partial(preview_index, cache, lang, protected, docs)
            if defer_index and previous:
                stale.append(update)
            else:
                update()
        output.write(search_path(lang), cache.search[lang][1])
    return (lambda: dict(update() for update in stale)) if stale else None


def preview_index(cache: BuildCache, lang: str, protected: frozenset[str], docs: list[dict]) -> tuple[str, bytes]:
    index = b"".join(search_file(lambda: docs, lang, protected, cache.analysis.setdefault(lang, {})))
    cache.search[lang] = ((protected, docs), index)
    return search_path(lang), index


@dataclass
class SourceKeys:
    """The live preview's keys of what pages are made from (see incremental.py)."""

    entities: dict[str, str]  # entity id -> key of its file
    global_key: str  # of what every page shows: config, strings, templates, prose pages

    @classmethod
    def of(cls, project: Project, sources: Sources, serve: bool) -> "SourceKeys":
        entities = {e: digest(f.located.file.read_bytes()) for e, f in sources.entities.items()}
        global_key = digest(sources.config, sources.strings, tree_digest(project.templates), serve,
                            [(p.name, p.title, p.body) for p in sources.pages])
        return cls(entities, global_key)

    def report(self, report_key: str, report: Report, glossed: list[str]) -> int:
        return report_page_key(self.global_key, report_key, self.entities, report.meta.meeting, glossed)


def page_weights(files: Mapping[str, bytes], largest: int = 10) -> dict[str, int]:
    """Gzipped bytes a reader downloads for a report page with its CSS and JS (no search index),
    for the largest report pages (the heaviest compressed page is among them)."""
    def gz(name: str) -> int:
        return len(gzip.compress(files[name], compresslevel=6, mtime=0)) if name in files else 0
    size = getattr(files, "size", lambda path: len(files[path]))
    assets = gz("assets/style.css") + gz("assets/edition.js")
    reports = [path for path in files if "/reports/" in path and path.endswith(".html")]
    biggest = sorted(reports, key=lambda path: (-size(path), path))[:largest]
    return {path: gz(path) + assets for path in biggest}


def lunr_js(project: Project, problems: Problems) -> bytes:
    """lunr.js comes from the npm package at install time; it is never committed."""
    path = project.root / "node_modules" / "lunr" / "lunr.min.js"
    if not path.is_file():
        problems.error(project.root / "package.json", 1, 1,
                       "lunr.js is not installed (node_modules/lunr/lunr.min.js missing): run `npm ci`")
        raise BuildFailed(problems)
    return path.read_bytes()


def load_config(path: Path, problems: Problems) -> models.Config | None:
    if not path.is_file():
        problems.error(path, 1, 1, "config.yaml not found")
        return None
    located = load_yaml(path.read_text(encoding="utf-8"), path, problems)
    return models.validate(models.Config, located, problems) if located else None


def load_strings(path: Path, problems: Problems) -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = {lang: {} for lang in models.LANGS}
    located = load_yaml(path.read_text(encoding="utf-8"), path, problems) if path.is_file() else None
    if located is None:
        if not path.is_file():
            problems.error(path, 1, 1, "interface strings file not found")
        return strings
    for key, value in (located.data or {}).items():
        if not (isinstance(value, dict) and all(isinstance(value.get(l), str) for l in models.LANGS)):
            problems.error(path, *located.where((key,), key=True), f"string '{key}' needs text in both ar and en")
            continue
        for lang in models.LANGS:
            strings[lang][key] = value[lang]
    return strings


def visible(paths) -> list[Path]:
    """Sorted, without hidden files (editor lock files such as .#mosul.yaml)."""
    return sorted(p for p in paths if not p.name.startswith("."))


def discover_reports(project: Project) -> list[Path]:
    folder = project.content / "reports"
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []


def discover_pages(project: Project, problems: Problems) -> dict[str, dict[str, Path]]:
    pages: dict[str, dict[str, Path]] = {}
    for path in visible((project.content / "pages").glob("*.md")):
        name, _, lang = path.stem.rpartition(".")
        if lang not in models.LANGS or not name:
            problems.error(path, 1, 1, "a page file is named <name>.ar.md or <name>.en.md")
            continue
        pages.setdefault(name, {})[lang] = path
    for name, paths in pages.items():
        for lang in models.LANGS:
            if lang not in paths:
                other = next(iter(paths.values()))
                problems.error(other, 1, 1, f"page '{name}' has no {lang} version ({name}.{lang}.md)")
    return pages


def static_files(project: Project) -> dict[str, bytes]:
    files = {}
    if project.static.is_dir():
        for path in sorted(project.static.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files["assets/" + path.relative_to(project.static).as_posix()] = path.read_bytes()
    return files


def write_site(files: dict[str, bytes], target: Path) -> None:
    """Write into a temporary folder beside ``target`` and swap it in only when complete."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        for relative, data in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with the complete folder ``staging`` (one rename each)."""
    os.chmod(staging, 0o755)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def update_site(files: dict[str, bytes], target: Path, previous: dict[str, bytes]) -> int:
    """Bring ``target`` (holding ``previous``) to ``files`` by writing only what differs, each file
    replaced whole; returns how many files were written or removed. For the live preview."""
    changed = 0
    for relative, data in sorted(files.items()):
        if previous.get(relative) != data:
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{path.name}.new")
            staging.write_bytes(data)
            os.replace(staging, path)
            changed += 1
    for relative in sorted(set(previous) - set(files)):
        (target / relative).unlink(missing_ok=True)
        changed += 1
    return changed
