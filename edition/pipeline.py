"""The build, as a pipeline: load the sources (config, strings, annotations, pages), then read,
validate, link and render each report in turn (collecting every problem; reports.py), check what
spans reports, render each language's entity and overview pages and its search index
(languages.py), then the pages shared by both languages, the sitemap and feeds, and the assets.

Pages go to the output as they are rendered, so that a large edition never has to fit in
memory: on the command line that is a staging folder beside ``site/``, swapped in only when the
whole build succeeded. On any error the staging folder is deleted and ``site/`` is untouched.
With many reports the work runs on two cores: the reports in groups, then one language each."""
from __future__ import annotations

import contextlib
import gc
import gzip
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .incremental import BuildCache
from .languages import render_languages
from .output import FolderFiles, FolderOutput, MemoryOutput, staged
from .problems import BuildFailed, Problems
from .render import Edition
from .reports import ReportJob, can_fork, check_edition, read_and_render_reports
from .sources import Project, discover_reports, load_sources, lunr_js, static_files


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
    with staged(target) as staging:
        result = build(root, base_url=base_url, output=FolderOutput(staging))
    result.files = FolderFiles(target.resolve(), list(result.files))
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
    parallel = cache is None and len(folders) >= PARALLEL_FROM and can_fork()
    parts = tempfile.TemporaryDirectory(prefix="edition-parts-") if parallel else contextlib.nullcontext()
    with parts as parts_folder:
        groups = read_and_render_reports(job, folders, problems, output, parts_folder and Path(parts_folder))
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


PARALLEL_FROM = 40  # reports; below this, starting worker processes costs more than it saves


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
