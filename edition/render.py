"""Pages to HTML: which pages there are, the template and view (views.py) of each, rendered with
Jinja and handed to an output. In the live preview a page whose reads did not change since the
previous build is taken from it instead (cache.PageReuse)."""
from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2 import (BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, pass_context,
                    select_autoescape)

from . import collation_export, datafiles, discovery, html, tei
from .catalog import digest
from .content import Report
from .models import DIRS, LANGS, OTHER
from .output import replace_file
from .problems import BuildFailed, Problems
from .safety import template_failure, template_line
from .sources import counted
from .urls import Urls
from .views import Views

CHUNK = 1 << 16  # characters of a page written at a time (Renderer.page_parts)


class CompiledTemplates(BytecodeCache):
    """Compiled templates, kept in this process (the live preview makes a Renderer for every build)
    and, once a build has succeeded, in the project's ``.cache/templates/`` for the next process,
    as Python keeps compiled modules in ``__pycache__``. An entry is named by the template and a
    checksum of its source, and Jinja checks both and the Python version when it loads one: an
    edited template is compiled again, never taken stale. A failed build writes nothing."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}  # entry name -> bytecode
        self.folder: Path | None = None  # where entries are also read from (None: memory only)
        self.unsaved = False  # a template was compiled since the last save

    @staticmethod
    def entry(key: str, checksum: str) -> str:
        return f"{key}-{checksum}"

    def load_bytecode(self, bucket) -> None:
        name = self.entry(bucket.key, bucket.checksum)
        data = self.compiled.get(name)
        if data is None and self.folder is not None:
            try:
                data = (self.folder / name).read_bytes()
            except OSError:
                return
            self.compiled[name] = data
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.compiled[self.entry(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()
        self.unsaved = True

    def save(self, env: Environment, names: list[str]) -> None:
        """Make ``folder`` hold the current entries of ``names`` (those compiled here, and those
        already there) and nothing else: an edited template's older entry goes, as do those of a
        project that has moved (an entry is also keyed by the template's path, which its error
        messages name). Best effort: a project that cannot be written to is built all the same."""
        if not self.unsaved:  # every template came from the folder or was saved before
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            current = set()
            for template in names:
                source, filename, _uptodate = env.loader.get_source(env, template)
                name = self.entry(self.get_cache_key(template, filename), self.get_source_checksum(source))
                current.add(name)
                if name in self.compiled and not (self.folder / name).exists():
                    replace_file(self.folder / name, self.compiled[name])
            for old in self.folder.iterdir():
                if old.name not in current:
                    old.unlink()
        except OSError:
            return
        self.unsaved = False


COMPILED = CompiledTemplates()


class TemplateFiles(FileSystemLoader):
    """The templates, a leading byte order mark dropped (as every source's): it would open each
    page's head with a character, which ends the head there."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return source.removeprefix("\ufeff"), filename, uptodate


class ViewEnvironment(Environment):
    """The views handed to templates are dicts: ``{{ item.url }}`` looks the key up first
    (Jinja would try the attribute, fail with an exception, and then look the key up)."""

    def getattr(self, obj, attribute):
        if isinstance(obj, dict) and attribute in obj:  # a dict, or the strings (sources.Strings)
            return obj[attribute]
        return super().getattr(obj, attribute)


class Renderer:
    """The Jinja environment, and one page at a time rendered from its view into an output."""

    def __init__(self, templates: Path, urls: Urls, reuse=None, compiled: Path | None = None):
        """``compiled``: the folder of compiled templates kept between builds (None: none)."""
        COMPILED.folder = compiled
        self.urls = urls
        self.templates = templates
        self.reuse = reuse  # cache.PageReuse in the live preview, else None
        self.env = ViewEnvironment(loader=TemplateFiles(templates), autoescape=select_autoescape(default=True),
                                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                   keep_trailing_newline=True, auto_reload=False, bytecode_cache=COMPILED)
        self.env.globals.update(url=urls.href, urls=urls)
        self.env.filters["display_url"] = html.display_url
        self.env.filters["counted"] = pass_context(lambda context, forms, n: counted(forms, n, context["lang"]))
        self.env.filters["iso"] = pass_context(lambda context, text, lang=None: html.isolate(text, lang or context["lang"]))
        self.env.filters["marked"] = html.marked
        self.env.filters["citation"] = pass_context(lambda context, text, original: html.citation(text, original, context["lang"]))
        self.env.filters["record"] = html.record

    def alone(self) -> "Renderer":
        """The same renderer, reusing and keeping nothing (pipeline.reports_alone)."""
        alone = copy.copy(self)
        alone.reuse = None
        return alone

    def compile_templates(self) -> None:
        """Every page template compiled (or taken from the compiled ones kept)."""
        for name in self.page_templates():
            try:
                self.env.get_template(name)
            except TemplateError:
                pass  # reported where the template is used, at its line

    def page_templates(self) -> list[str]:
        return self.env.list_templates(filter_func=lambda name: name.endswith(".html"))

    def keep_compiled(self) -> None:
        """After a successful build: the compiled templates kept for the next build's process."""
        if COMPILED.folder is not None:
            COMPILED.save(self.env, self.page_templates())

    def write(self, out, views: Views, template: str, path_of: Callable[[str], str], lang: str,
              view: Callable[[], dict], own: dict | None = None) -> None:
        """One page in one language (``path_of(lang)`` is its path); ``own``: the versions of what
        it shows besides the catalogue (a report page: its report)."""
        path = path_of(lang)
        make = lambda: self.page(views, template, path, lang, {l: path_of(l) for l in LANGS}, view())  # noqa: E731
        file = self.urls.file_for(path)
        out.write(file, self.reuse.page(file, views.catalog, make, own) if self.reuse else make())

    def grouped(self, key: str):
        """In the live preview, the pages and files made inside the block are one group (cache.PageReuse)."""
        return self.reuse.group(key) if self.reuse else contextlib.nullcontext()

    def replayed(self, out, views: Views, key: str, own: dict) -> bool:
        """In the live preview, whether a group was written again as the last build made it."""
        return bool(self.reuse) and self.reuse.replay(key, views.catalog, own, out)

    def data(self, out, views: Views, file: str, make: Callable[[], bytes], own: dict | None = None) -> dict[str, bytes]:
        """A data file (not a page): in the live preview, taken from the previous build if nothing it
        read changed, like a page, but not counted among the pages rendered. Gives {file: bytes}."""
        return self.data_set(out, views, file, lambda: {file: make()}, own)

    def data_set(self, out, views: Views, key: str, make: Callable[[], dict[str, bytes]],
                 own: dict | None = None) -> dict[str, bytes]:
        """Several data files made together (``make``: site path -> bytes), e.g. a report's exports:
        in the live preview, all taken from the previous build under ``key`` if nothing they read
        changed, so that an unchanged report costs nothing. Gives the files written."""
        if self.reuse is None:
            files = make()
        else:
            rendered = self.reuse.rendered
            files = self.reuse.page(key, views.catalog, make, own)
            self.reuse.rendered = rendered
        for path, data in files.items():
            out.write(path, data)
        return files

    def page(self, views: Views, template: str, path: str, lang: str, alternates: dict, context: dict) -> bytes:
        with self.template_errors():
            return self.env.get_template(template).render(self.context(views, path, lang, alternates, context)).encode("utf-8")

    def page_parts(self, views: Views, template: str, path: str, lang: str, alternates: dict,
                   context: dict) -> Iterator[bytes]:
        """A page in pieces of about CHUNK characters, for a page too large to hold whole (the Data
        page of 10,000 reports is 25 MB, and as one string 0.1 GB)."""
        with self.template_errors():
            pieces, size = [], 0
            for piece in self.env.get_template(template).generate(self.context(views, path, lang, alternates, context)):
                pieces.append(piece)
                size += len(piece)
                if size >= CHUNK:
                    yield "".join(pieces).encode("utf-8")
                    pieces, size = [], 0
            yield "".join(pieces).encode("utf-8")

    def context(self, views: Views, path: str, lang: str, alternates: dict, context: dict) -> dict:
        views.catalog.read("templates")
        strings = {l: views.catalog.strings(l) for l in LANGS}
        site = views.site()
        return dict(lang=lang, dir=DIRS[lang], other=OTHER[lang], other_dir=DIRS[OTHER[lang]], t=strings[lang], ts=strings,
                    path=path, alternates=alternates, canonical=self.urls.canonical(path), site=site,
                    site_title=site["title"][lang], feed=self.urls.feed(lang) if has_feeds(self.urls, site) else None,
                    **context)

    @contextlib.contextmanager
    def template_errors(self):
        """A template's error raised as a problem at its line (TemplateFailed)."""
        try:
            yield
        except TemplateError as exc:
            raise template_failure(exc, self.templates) from None
        except RecursionError as exc:  # {% include %} of a template by itself, directly or through others
            at = template_line(exc, self.templates)
            if not at:
                raise
            problems = Problems(root=self.templates.parent)
            problems.error(Path(at[0]), at[1], 1, "the templates include one another without end "
                                                   "(a template includes itself, directly or through others)")
            raise BuildFailed(problems) from None
        except (TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as exc:
            # an expression of a template that fails when run ({{ 1 + 'a' }}, a filter given the
            # wrong value) is the template's error, at its line; one raised elsewhere is the engine's
            if not template_line(exc, self.templates):
                raise
            raise template_failure(exc, self.templates) from None


def report_pages(renderer: Renderer, views: Views, report: Report, out, version=None,
                 exported: dict | None = None) -> dict[str, bytes]:
    """A report's page and its witness's page in each language, and its TEI file (``version``: of the
    report's files and aliases; ``exported``: a full build's, given what the TEI corpus takes from
    the file, ``tei.report_file``). Gives the TEI file: {path: bytes}."""
    for lang in LANGS:
        renderer.write(out, views, "report.html", lambda l: Urls.report(l, report.slug), lang,
                       lambda: {"report": views.report(report, lang)}, {("report", report.slug): version})
        renderer.write(out, views, "witness.html", lambda l: Urls.witness(l, report.meta.seed), lang,
                       lambda: {"witness": views.witness(report, lang)},
                       {("report", report.slug): version, ("witness", report.meta.seed): report.witness})
    return renderer.data(out, views, Urls.tei(report.slug), lambda: tei.report_file(views.catalog, views.urls, report, exported),
                         {("report", report.slug): version})


def language_pages(renderer: Renderer, views: Views, lang: str, out) -> None:
    """Every page of one language but the reports: overviews, prose pages, entities."""
    write = renderer.write
    write(out, views, "home.html", Urls.home, lang, lambda: views.home(lang))
    write(out, views, "entities.html", Urls.entity_index, lang, lambda: views.entity_index(lang))
    write(out, views, "search.html", Urls.search, lang, lambda: views.search(lang))
    write(out, views, "notes.html", Urls.notes, lang, lambda: views.notes_page(lang))
    write(out, views, "chronology.html", Urls.chronology, lang, lambda: views.chronology(lang))
    for group in views.catalog.collation_groups():
        write(out, views, "collation.html", lambda l, g=group.id: Urls.collation(l, g), lang,
              lambda g=group.id: views.collation(g, lang))
    for name in views.catalog.page_names():
        write(out, views, "page.html", lambda l, n=name: Urls.page(l, n), lang, lambda n=name: views.prose(n, lang))
    for entity_id in views.catalog.entity_ids():
        kind = views.catalog.entity(entity_id).kind
        write(out, views, "entity.html", lambda l, e=entity_id, k=kind: Urls.entity(l, e, k), lang,
              lambda e=entity_id: views.entity(e, lang))


def shared_pages(renderer: Renderer, views: Views, out) -> None:
    """The pages in both languages at once: the landing page and the 404 page."""
    for path, template in ((Urls.landing(), "landing.html"), (Urls.not_found(), "404.html")):
        out.write(Urls.file_for(path), renderer.page(views, template, path, "en", {}, {}))
        if renderer.reuse:
            renderer.reuse.rendered += 1  # never taken from the previous build


def data_pages(renderer: Renderer, views: Views, out) -> None:
    """The Data page of each language: every file under data/ the build has written, with its size
    (rendered last, and never taken from a previous build)."""
    listing = datafiles.listing(out.files())
    for lang in LANGS:
        path = Urls.data_page(lang)
        out.write_parts(Urls.file_for(path), renderer.page_parts(views, "data.html", path, lang,
                                                                 {l: Urls.data_page(l) for l in LANGS},
                                                                 views.data_page(listing, lang)))
        if renderer.reuse:
            renderer.reuse.rendered += 1


def page_groups(views: Views) -> list[dict[str, str]]:
    """Every page of the two languages, as {lang: path} (the sitemap), in the order of their files."""
    catalog = views.catalog
    paths = [Urls.home, Urls.entity_index, Urls.search, Urls.notes, Urls.chronology, Urls.data_page]
    paths += [lambda l, n=name: Urls.page(l, n) for name in catalog.page_names()]
    paths += [lambda l, g=group.id: Urls.collation(l, g) for group in catalog.collation_groups()]
    paths += [lambda l, e=e: Urls.entity(l, e, catalog.entity(e).kind) for e in catalog.entity_ids()]
    paths += [lambda l, s=slug: Urls.report(l, s) for slug, _seed in catalog.report_seeds()]
    paths += [lambda l, s=seed: Urls.witness(l, s) for _slug, seed in catalog.report_seeds()]
    groups = [{lang: path(lang) for lang in LANGS} for path in paths]
    return sorted(groups, key=lambda group: Urls.file_for(group["ar"]))


def discovery_files(renderer: Renderer, views: Views, out) -> None:
    """robots.txt, the collations' exports and, when the base URL is the site's address, sitemap.xml
    and one Atom feed per language (discovery.py); in the live preview, each taken from the previous
    build if nothing it read changed."""
    urls = views.urls
    out.write(Urls.robots(), discovery.robots(urls))
    renderer.data_set(out, views, "exports of the collations", lambda: dict(collation_export.files(views)))
    if not urls.absolute:
        return

    def sitemap() -> bytes:
        views.catalog.config()  # its addresses are the base URL's
        return discovery.sitemap(urls, page_groups(views))
    renderer.data(out, views, Urls.sitemap(), sitemap)
    if not has_feeds(urls, views.site()):
        return
    for lang in LANGS:
        renderer.data(out, views, Urls.feed(lang),
                      lambda lang=lang: discovery.atom(urls, lang, views.catalog.config().title[lang],
                                                       views.feed_entries(lang)))


def has_feeds(urls: Urls, site: dict) -> bool:
    """An Atom feed's ids are absolute addresses, and its entries say when they were last updated:
    the edition has feeds only with an absolute base_url and a date (config.yaml's ``date``)."""
    return urls.absolute and site["date"] is not None


def data_files(renderer: Renderer, views: Views, out, parts=None) -> None:
    """The edition's TEI corpus, made of the reports' TEI files as written. A full build gives their
    ``parts`` (bibls, members: tei.corpus_parts), made as each report was written, and the corpus is
    streamed, never whole in memory; the live preview makes it from the files, remembering each
    report's part until its TEI file changes."""
    if parts is not None:
        out.write_parts(Urls.tei_corpus(), tei.corpus_parts(views.catalog, views.urls, *parts))
        return
    written = out.files()
    reports = [written[Urls.tei(slug)] for slug in views.catalog.report_slugs()]
    renderer.data(out, views, Urls.tei_corpus(), lambda: tei.corpus_file(views.catalog, views.urls, reports),
                  {("tei", "reports"): digest(*reports)})
