"""The build, as a pipeline: load config, discover content, parse and validate everything
(collecting every problem), link, render, write. Nothing is written while there are errors."""
from __future__ import annotations

import gc
import gzip
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import models
from .annotations import load_annotations
from .incremental import BuildCache, alias_key, digest, page_keys, tree_digest
from .content import Report, load_page, load_report
from .mentions import Linker, build_aliases, report_unused
from .problems import BuildFailed, Problems
from .render import Edition, Renderer
from .models import LANGS
from .search import analyse, index_documents, protected_names, search_documents, search_file
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
    files: dict[str, bytes]
    problems: Problems
    edition: Edition
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def load_edition(project: Project, problems: Problems, base_url: str | None = None,
                 cache: BuildCache | None = None) -> tuple[Edition, models.Config]:
    """Read and validate every source, then link the texts; raises BuildFailed on any error."""
    config = load_config(project.config, problems)
    strings = load_strings(project.templates / "strings.yaml", problems)
    entity_paths = visible((project.content / "annotations").glob("*.yaml"))
    entities = load_annotations(entity_paths, problems, cache and (lambda path: cache.entity(path, problems)))
    aliases = build_aliases(entities, problems)
    sources = read_reports(project, problems, cache, alias_key(aliases, entities))
    reports = [source.report for source in sources if source.report]
    pages = [p for p in (load_page(name, paths, problems) for name, paths in discover_pages(project, problems).items()) if p]
    check_reports(reports, entities, problems)
    if problems.errors:
        raise BuildFailed(problems)
    linker = Linker(entities, aliases)
    mentions = link_reports(sources, linker, problems, cache)
    if cache:
        cache.forget_missing(entity_paths, [source.folder for source in sources])
    report_unused(linker, aliases, mentions, {r.meta.meeting for r in reports}, problems)
    if problems.errors:
        raise BuildFailed(problems)
    if base_url is not None:
        config = config.model_copy(update={"base_url": base_url})
    return Edition(config, strings, reports, entities, mentions, pages), config


@dataclass
class ReportSource:
    folder: Path
    key: str | None  # of its files and the aliases (live preview)
    report: Report | None
    linked: tuple | None  # (mentions, aliases used) kept from the previous build, if still valid


def read_reports(project: Project, problems: Problems, cache: BuildCache | None, link_key: str) -> list[ReportSource]:
    """Each report folder, parsed; in the live preview, taken as linked last time if unchanged."""
    sources = []
    for folder in discover_reports(project):
        key = cache.report_key(folder, link_key) if cache else None
        kept = cache.linked_report(folder, key) if cache else None
        if kept:
            sources.append(ReportSource(folder, key, kept[0], kept[1:]))
        else:
            sources.append(ReportSource(folder, key, load_report(folder, problems), None))
    return sources


def link_reports(sources: list[ReportSource], linker: Linker, problems: Problems,
                 cache: BuildCache | None) -> dict[str, list]:
    """Every mention of every entity, in report order and text order."""
    mentions: dict[str, list] = {}
    for source in sources:
        before = len(problems.items)
        found, used = source.linked or linker.link_report(source.report, problems)
        linker.used_aliases |= used
        for mention in found:
            mentions.setdefault(mention.entity_id, []).append(mention)
        if cache and not source.linked and len(problems.items) == before:
            cache.keep_report(source.folder, source.key, source.report, found, used)
    return mentions


def build(root: Path, *, base_url: str | None = None, serve: bool = False,
          cache: BuildCache | None = None) -> BuildResult:
    """Validate and render the whole site in memory. Raises BuildFailed with every problem.

    With a ``cache`` (the live preview), what did not change since the last build is reused."""
    # The edition is a large graph of objects without reference cycles worth collecting: the
    # cyclic garbage collector would only scan it again and again (about a sixth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(root, base_url, serve, cache)
    finally:
        if collecting:
            gc.enable()


def _build(root: Path, base_url: str | None, serve: bool, cache: BuildCache | None) -> BuildResult:
    started = time.perf_counter()
    project = Project(root)
    problems = Problems(root=root)
    edition, config = load_edition(project, problems, base_url, cache)
    lunr = lunr_js(project, problems)
    keys = incremental_keys(project, edition, config, serve) if cache else None
    renderer = Renderer(edition, project.templates, Urls(config.base_url), serve=serve,
                        keys=keys, previous=cache.pages if cache else None)
    if cache:  # one process: what it renders is few pages, and its cache must outlive the build
        files = render_incremental(renderer, cache)
    else:
        files = render_languages(renderer, parallel=len(edition.reports) >= PARALLEL_FROM)
    files.update({path: html.encode("utf-8") for path, html in renderer.render_shared().items()})
    files.update(renderer.render_discovery(list(files)))
    files.update(static_files(project))
    files["assets/lunr.min.js"] = lunr
    return BuildResult(files, problems, edition, time.perf_counter() - started,
                       {"reports": len(edition.reports), "entities": len(edition.entities)})


PARALLEL_FROM = 40  # reports; below this, starting a second process costs more than it saves
_JOB: dict = {}  # what a forked worker renders from (inherited, never pickled)


def render_languages(renderer: Renderer, parallel: bool) -> dict[str, bytes]:
    """The pages and the search index of each language; the two languages on two cores."""
    _JOB.update(renderer=renderer, protected=protected_names(renderer.edition))
    try:
        if parallel and "fork" in multiprocessing.get_all_start_methods():
            with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
                parts = list(pool.map(render_language, LANGS))
        else:
            parts = [render_language(lang) for lang in LANGS]
    finally:
        _JOB.clear()
    return {path: data for part in parts for path, data in part.items()}


def search_language(lang: str) -> dict[str, bytes]:
    renderer: Renderer = _JOB["renderer"]
    return search_file(renderer.edition, renderer.urls, lang, _JOB["protected"], _JOB["analysis"][lang])


def render_language(lang: str) -> dict[str, bytes]:
    renderer: Renderer = _JOB["renderer"]
    files = {path: html.encode("utf-8") for path, html in renderer.render_language(lang).items()}
    files.update(search_file(renderer.edition, renderer.urls, lang, _JOB["protected"]))
    return files


def incremental_keys(project: Project, edition: Edition, config: models.Config, serve: bool) -> dict:
    """What each page's HTML is made from, as keys (see incremental.py)."""
    report_keys = {r.slug: digest(r.docs["ar"].path.read_bytes(), r.docs["en"].path.read_bytes())
                   for r in edition.reports}
    entity_keys = {e: digest(f.located.file.read_bytes()) for e, f in edition.entities.items()}
    global_key = digest(config, edition.strings, tree_digest(project.templates), serve,
                        [(p.name, p.title, p.body) for p in edition.pages])
    return page_keys(edition, report_keys, entity_keys, global_key)


def render_incremental(renderer: Renderer, cache: BuildCache) -> dict[str, bytes]:
    """Pages from the cache where nothing they show changed; the search indexes from the kept
    analysis of every unchanged text (computed here, so the cache keeps it), one core each."""
    edition, urls = renderer.edition, renderer.urls
    protected = protected_names(edition)
    if cache.analysis.get("protected") != protected:
        cache.analysis = {"protected": protected}
    for lang in LANGS:
        analyse(index_documents(search_documents(edition, urls, lang)), protected, cache.analysis.setdefault(lang, {}))
    _JOB.update(renderer=renderer, protected=protected, analysis=cache.analysis)
    try:
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
            indexes = pool.map(search_language, LANGS)
            html = {}
            for lang in LANGS:
                html.update(renderer.render_language(lang))
            files = {path: data for part in indexes for path, data in part.items()}
    finally:
        _JOB.clear()
    cache.pages = {path: (renderer.page_keys[path], text) for path, text in html.items()}
    cache.rendered = renderer.rendered
    files.update({path: text.encode("utf-8") for path, text in html.items()})
    return files


def page_weights(files: dict[str, bytes], largest: int = 10) -> dict[str, int]:
    """Gzipped bytes a reader downloads for a report page with its CSS and JS (no search index),
    for the largest report pages (the heaviest compressed page is among them)."""
    def gz(name: str) -> int:
        return len(gzip.compress(files[name], compresslevel=6, mtime=0)) if name in files else 0
    assets = gz("assets/style.css") + gz("assets/edition.js")
    reports = [path for path in files if "/reports/" in path and path.endswith(".html")]
    biggest = sorted(reports, key=lambda path: (-len(files[path]), path))[:largest]
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


def check_reports(reports: list[Report], entities, problems: Problems) -> None:
    seeds: dict[str, str] = {}
    for report in reports:
        doc = report.docs["ar"]
        meeting = entities.get(report.meta.meeting)
        if meeting is None or meeting.entity.kind != "meeting":
            problems.error(doc.path, *doc.where("meeting"), f"meeting: no meeting entity with id '{report.meta.meeting}'")
        witness = doc.path.parents[2] / "witnesses" / report.meta.seed
        if not witness.is_file():
            problems.error(doc.path, *doc.where("seed"), f"seed: no witness file content/witnesses/{report.meta.seed}")
        if report.meta.seed in seeds:
            problems.error(doc.path, *doc.where("seed"),
                           f"seed: '{report.meta.seed}' is already the witness of report '{seeds[report.meta.seed]}'")
        seeds[report.meta.seed] = report.slug


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
        os.chmod(staging, 0o755)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
