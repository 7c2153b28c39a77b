"""The build, in order: read the sources (config, strings, annotations, prose pages) into a
catalogue; read, check and link each report and render its pages and data files as it comes
(reports.py); check what spans reports; align the word-by-word collations; for each language its
overview and entity pages and its search index; then the pages shared by both languages, the
sitemap and feeds, the assets and the data made from the whole edition (``edition_data``: the
entries, the annotation collections, the TEI corpus); the prose pages' links into the site
followed in it (check.check_prose_links); last the Data pages, which list them all.
The live preview leaves the edition's data and the Data pages (``whole_edition``) until its
pages are shown (``BuildResult.pending``).

Where a page's content comes from is its view (views.py); which pages there are, render.py. How
the two loops run (in this process, or on two cores) is workers.py's decision alone; what the
live preview reuses from its previous build is cache.py's. Pages go to the output as they are
rendered, so that a large edition never has to fit in memory: on the command line that is a
staging folder beside ``site/``, swapped in only when the whole build succeeded."""
from __future__ import annotations

import contextlib
import functools
import gc
import gzip
import itertools
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import collation, dataexport, render
from .cache import BuildCache, alias_key
from .catalog import Catalog
from .check import check_prose_links
from .mentions import Linker
from .models import LANGS
from .notes import check_anchors
from .collation_groups import check_groups
from .consistency import check_consistency
from .output import FolderFiles, FolderOutput, MemoryOutput, staged
from .problems import BuildFailed, Problems
from .reports import (Exported, ReportPart, check_fidelity, check_grounds, check_report, check_reports, collated,
                      errors_since, read_report)
from .search import gloss_documents, note_documents, protected_names, title_documents
from .searchparts import search_parts
from .sources import Project, Sources, discover_reports, load_sources, lunr_js
from .urls import Urls
from .views import Views
from .workers import Schedule, corpus_members, documents, exported_parts, mentions_by_entity

__all__ = ["BuildCache", "BuildResult", "build", "build_into", "page_weights", "reports_alone"]


@dataclass
class BuildResult:
    files: Mapping[str, bytes]  # output path -> contents (in memory, or read from the folder written)
    problems: Problems
    catalog: Catalog  # the edition as the pages read it (its mentions aside)
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    mention_counts: Counter = field(default_factory=Counter)  # (entity id, lang) -> mentions
    # the live preview: what is still to make once the pages are shown (the search indexes that
    # changed, the TEI corpus, the Data pages); calling it returns the whole site, as a full build
    # gives it. Until then ``files`` holds the previous versions of those files, or none.
    pending: Callable[[], dict[str, bytes]] | None = None
    deferred: tuple[str, ...] = ()  # the paths (or folders, ending in /) that ``pending`` makes


def build(root: Path, *, base_url: str | None = None, cache: BuildCache | None = None, output=None,
          defer: bool = False, keep_compiled: bool = False) -> BuildResult:
    """Validate and render the whole site into ``output`` (memory unless given a folder).
    Raises BuildFailed with every problem.

    With a ``cache`` (the live preview), what did not change since the last build is reused;
    with ``defer`` as well, the files made from the whole edition (a search index that changed,
    the TEI corpus, the Data pages) are left to ``BuildResult.pending``, so that the pages can be
    shown first. With ``keep_compiled`` (the command line's build and the live preview), a build
    that succeeds keeps its compiled templates in the project for the next one (render.CompiledTemplates)."""
    paused = collector_paused()
    paused.__enter__()
    try:
        result = _build(root, base_url, cache, MemoryOutput() if output is None else output, defer, keep_compiled)
    except BaseException:
        paused.__exit__(None, None, None)
        raise
    if not result.pending:
        paused.__exit__(None, None, None)
        return result
    pending = result.pending

    def finish() -> dict[str, bytes]:
        """The collector stays paused until then: the garbage of the build is collected after
        the pages are shown, not between the build and showing them."""
        try:
            return pending()
        finally:
            paused.__exit__(None, None, None)
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
    with staged(target) as staging:
        result = build(root, base_url=base_url, output=FolderOutput(staging), keep_compiled=True)
    result.files = FolderFiles(target.resolve(), list(result.files))
    return result


def _build(root: Path, base_url: str | None, cache: BuildCache | None, output, defer: bool,
           keep_compiled: bool) -> BuildResult:
    started = time.perf_counter()
    project, problems = Project(root), Problems(root=root)
    if cache:
        cache.begin()
        cache.made_with = None
    sources = load_sources(project, problems, base_url, cache)
    folders = discover_reports(project, sources.config.report_order if sources.config else (), problems)
    if cache:
        cache.forget_missing(sources.entity_paths, folders)
    edition = Edition.of(project, sources, cache, [folder.name for folder in folders]) if not problems.errors else None
    pending: list[tuple[str, Callable]] = []  # (lang, its index update) in the live preview
    if edition and not cache:  # before any worker is forked: each starts with the templates compiled
        edition.renderer.compile_templates()  # (the live preview loads only those of the pages it renders)
    with Schedule(len(folders), preview=cache is not None) as schedule:
        groups = schedule.reports(report_step(sources, edition, cache), folders, problems, output,
                                  meanwhile=collation.load_engine if edition and not cache else lambda: None)
        check_reports(sources.entities, sources.aliases, groups, problems)
        if not problems.errors:
            check_anchors(sources.notes, {slug: ids for group in groups for slug, ids in group.blocks.items()}, problems)
            check_grounds(groups, sources.witness_files, problems)
            check_consistency({slug: found for group in groups for slug, found in group.passages.items()}, problems,
                              cache.positions if cache else None)
            check_groups(sources.collations, {s.slug: s.meeting for group in groups for s in group.summaries}, problems)
        for group in groups:  # nothing after the check reads them (the live preview keeps them with its reports)
            group.passages = {}
        if problems.errors:
            raise BuildFailed(problems)
        lunr = lunr_js(project, problems)
        summaries = [summary for group in groups for summary in group.summaries]
        fingerprints = {slug: found for group in groups for slug, found in group.fingerprints.items()}
        tokens = {slug: found for group in groups for slug, found in group.tokens.items()}
        protected = protected_names(sources.entities)
        meeting_of = {summary.slug: summary.meeting for summary in summaries}
        catalog = edition.catalog.with_reports(summaries, {}, fingerprints, tokens)
        views = Views(catalog, edition.urls)
        collate(views)
        counts = sum((group.counts for group in groups), Counter())

        def language(lang: str, out) -> None:
            catalog = edition.catalog.with_reports(summaries, {lang: mentions_by_entity(groups, lang)}, fingerprints,
                                                   tokens, cache.mention_versions(fingerprints, lang) if cache else None)
            render.language_pages(edition.renderer, Views(catalog, edition.urls), lang, out)
            titles = title_documents(((s.slug, s.title, s.meeting) for s in summaries), edition.urls, lang)
            glosses = [*gloss_documents(sources.entities, edition.urls, lang),
                       *note_documents(sources.notes, meeting_of, edition.urls, lang)]
            if cache is None:
                docs = lambda: itertools.chain(titles, documents(groups, lang), glosses)  # noqa: E731
                files = search_parts(docs, lang, protected)
            else:
                files, update = cache.search_index(lang, [*titles, *documents(groups, lang), *glosses], protected, defer)
                files = files.items()
                pending.extend([(lang, update)] if update else [])
            for path, data in files:
                out.write(path, data)

        def edition_data() -> None:
            """The data files made from the whole edition: its entries, the annotation collections
            (from the reports' annotation files) and the TEI corpus (from the reports' TEI files);
            in a full build, from what each report's step took from them (reports.Exported)."""
            if cache is None:
                totals, bibls = Counter(), []
                for bibl, annotations in exported_parts(groups):
                    bibls.append(bibl)
                    totals.update(annotations)
                parts = (bibls, corpus_members(groups))
            else:
                totals, parts = dataexport.annotation_totals(views, output.files()), None
            for path, data in dataexport.edition_files(views, counts, totals).items():
                output.write(path, data)
            render.data_files(edition.renderer, views, output, parts)

        def beside_languages() -> None:
            """What needs no language's pages, made while a worker makes the translation's: the pages
            shown in both languages at once, the sitemap, feeds and collation exports, the assets,
            and (unless the live preview leaves them for later) the edition's data files."""
            render.shared_pages(edition.renderer, views, output)
            render.discovery_files(edition.renderer, views, output)
            for name, data in sources.static.items():
                output.write(Urls.asset(name), data)
            output.write(Urls.lunr(), lunr)
            if not defer:
                edition_data()

        schedule.languages(language, output, meanwhile=beside_languages)
    made_last = (*dataexport.edition_paths(), Urls.tei_corpus(), *(Urls.file_for(Urls.data_page(lang)) for lang in LANGS),
                 *(Urls.search_parts(lang) for lang, _update in pending))  # by whole_edition, or left for later
    check_prose_links(sources.pages, lambda name, lang: Urls.file_for(Urls.page(lang, name)), output.files, made_last,
                      edition.urls.base_path, problems)
    if problems.errors:
        raise BuildFailed(problems)
    if cache:
        cache.keep_pages(edition.renderer.reuse)

    def whole_edition() -> None:
        """The files made from every other (in the live preview, after the pages are shown): the
        edition's data files, then the Data pages, which list them all."""
        if defer:
            edition_data()
        render.data_pages(edition.renderer, views, output)
        if cache:
            cache.keep_pages(edition.renderer.reuse)

    if keep_compiled:
        edition.renderer.keep_compiled()
    if cache:
        cache.made_with = (sources, edition, witnesses_of(sources))
    counted = {"reports": len(summaries), "entities": len(sources.entities)}
    if not defer:
        whole_edition()
        return BuildResult(output.files(), problems, catalog, time.perf_counter() - started, counted, counts)
    return BuildResult(output.files(), problems, catalog, time.perf_counter() - started, counted, counts,
                       functools.partial(finish_deferred, output, whole_edition, pending), made_last)


@dataclass
class Edition:
    """What rendering needs once the sources are valid: the catalogue of the sources, the paths,
    the linker and the renderer (with the previous build's pages in the live preview)."""

    catalog: Catalog
    urls: Urls
    linker: Linker
    renderer: render.Renderer
    views: Views

    @classmethod
    def of(cls, project: Project, sources: Sources, cache: BuildCache | None, report_slugs: list[str]) -> "Edition":
        known = cache.known_versions(project.templates, sources.entities) if cache else None
        catalog = Catalog(sources.config, sources.strings, sources.entities, sources.pages, known, sources.notes,
                          tuple(report_slugs), sources.collations, sources.witness_files)
        urls = Urls(sources.config.base_url)
        renderer = render.Renderer(project.templates, urls, cache.page_reuse() if cache else None, project.compiled)
        return cls(catalog, urls, Linker(sources.entities, sources.aliases), renderer, Views(catalog, urls))


def report_step(sources: Sources, edition: Edition | None, cache: BuildCache | None):
    """What is done with each report: read (or, in the live preview, taken as it was if its files
    and the aliases did not change), checked, linked, and its pages rendered (only when the other
    sources are valid: ``edition``)."""
    link_key = alias_key(sources.aliases, sources.entities) if cache else None
    base_url = sources.config.base_url if sources.config else None
    witnesses = witnesses_of(sources)

    def step(folder: Path, problems: Problems, output) -> ReportPart | None:
        key = cache.report_key(folder, link_key, problems.format_allowed, base_url) if cache else None
        kept = cache.report(folder, key) if cache else None
        before = len(problems.items)
        if kept:  # read and linked by an earlier build without an error: it warns as it did then
            report, part, warnings = kept
            problems.items += warnings
            checked = report.witness  # the witness it agreed with when kept, or last checked
            check_report(report, sources.entities, problems, cache.text, checked)
            if report.witness not in (None, checked) and not errors_since(problems, before):  # its witness changed
                check_fidelity(report, problems)
            if errors_since(problems, before):
                report.witness = None  # checked in full again by the next build
                return ReportPart(seed=part.seed)
        else:
            linker = edition.linker if edition else None
            report, part = read_report(folder, sources.entities, linker, edition and edition.urls, problems,
                                       cache and cache.text)
            if report is not None and cache:
                cache.keep_report(folder, key, report, part, problems.items[before:])
        if report is not None and part.summary is not None:
            collated(report, part, witnesses)
        if report is not None and edition is not None:
            renderer, group = edition.renderer, f"report {report.slug}"
            own = {("report", report.slug): key, ("witness", report.meta.seed): report.witness}
            if not renderer.replayed(output, edition.views, group, own):  # the live preview: nothing it read changed
                # a full build's: what the edition's data files take from the report's files (reports.Exported),
                # made with them on the worker, not read back at the end (at 10,000 reports, 14 s of a build)
                exported = {} if cache is None else None
                with renderer.grouped(group):
                    render.report_pages(renderer, edition.views, report, output, key, exported)
                    renderer.data_set(output, edition.views, f"data of report {report.slug}",
                                      lambda: dataexport.report_files(edition.views, report, exported),
                                      {("report", report.slug): key})
                if exported is not None:
                    part.exported = Exported(**exported)
        return part

    return step


def witnesses_of(sources: Sources) -> frozenset[str]:
    """The reports that are witnesses of a collation group."""
    return frozenset(slug for loaded in sources.collations.values() for slug in loaded.group.witnesses)


def reports_alone(root: Path, cache: BuildCache, changed: list[str]) -> dict[str, bytes] | None:
    """The live preview's first answer to a save that changed only the texts of reports it knows:
    their pages and data files, exactly as the build that follows makes them (a report's own files
    read nothing but the sources, which did not change, and the report), so that the open page
    shows the change while that build checks and makes the rest. None when the save changed
    anything else, when the last build did not succeed, or when a report has a problem of its own
    (the build reports it)."""
    if cache.made_with is None or not changed:
        return None
    sources, edition, witnesses = cache.made_with
    paths = [Path(path) for path in changed]
    if any(path.parent.parent != Path("content", "reports") or path.name not in ("ar.md", "en.md") for path in paths):
        return None
    folders = sorted({Project(root).root / path.parent for path in paths})
    if any(folder not in cache.reports for folder in folders):
        return None
    renderer, out, problems = edition.renderer.alone(), MemoryOutput(), Problems(root=root)
    for folder in folders:
        report, part = read_report(folder, sources.entities, edition.linker, edition.urls, problems)
        if report is None or problems.errors:
            return None
        collated(report, part, witnesses)
        render.report_pages(renderer, edition.views, report, out)
        renderer.data_set(out, edition.views, "", lambda: dataexport.report_files(edition.views, report))
    return out.written()


def collate(views: Views) -> None:
    """Align each word-by-word collation group now, once: the languages' pages (on two cores, each
    in its own process) and the collation's exports all take it from here (collation.collate)."""
    for group in views.catalog.collation_groups():
        if group.kind == "word":
            views.collated(group)


def finish_deferred(output, whole_edition: Callable[[], None], indexes: list) -> dict[str, bytes]:
    """The site with what the live preview left for after showing the pages: the files made from the
    whole edition, and each language's search index that changed, made anew (its previous files gone)."""
    whole_edition()
    site = dict(output.files())
    for lang, update in indexes:
        folder = Urls.search_parts(lang)
        site = {path: data for path, data in site.items() if not path.startswith(folder)}
        site.update(update())
    return site


def page_weights(files: Mapping[str, bytes], largest: int = 10) -> dict[str, int]:
    """Gzipped bytes a reader downloads for a report page with its CSS and JS (no search index),
    for the largest report pages (the heaviest compressed page is among them)."""
    def gz(name: str) -> int:
        return len(gzip.compress(files[name], compresslevel=6, mtime=0)) if name in files else 0
    size = getattr(files, "size", lambda path: len(files[path]))
    assets = gz(Urls.asset("style.css")) + gz(Urls.asset("edition.js"))
    reports = [path for path in files if "/reports/" in path and path.endswith(".html")]
    biggest = sorted(reports, key=lambda path: (-size(path), path))[:largest]
    return {path: gz(path) + assets for path in biggest}
