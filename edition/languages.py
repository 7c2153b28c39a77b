"""Each language's pages but the reports (overviews, entity pages) and its search index, made
once every report has been read: on two cores, one worker per language, which loads only that
language's mentions and search documents. The live preview's variant keeps what did not change."""
from __future__ import annotations

import functools

from .incremental import BuildCache, page_keys
from .models import LANGS
from .reports import PartGroup, ReportJob, worker_pool
from .search import gloss_documents, protected_names
from .searchparts import search_parts

_JOB: dict = {}  # what a forked worker works from (inherited, never pickled)


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
    for path, data in search_parts(lambda: documents(groups, lang, glosses), lang, _JOB["protected"]):
        output.write(path, data)
    return output.written()


def documents(groups: list[PartGroup], lang: str, glosses: list[dict]):
    """One language's search documents in edition order: the reports' (group by group), then the glosses."""
    for group in groups:
        yield from group.language(lang, "docs")
    yield from glosses


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
        docs = list(documents(groups, lang, gloss_documents(renderer.edition, renderer.urls, lang)))
        previous = cache.search.get(lang)
        if not (previous and previous[0] == (protected, docs)):
            update = functools.partial(preview_index, cache, lang, protected, docs)
            if defer_index and previous:
                stale.append(update)
            else:
                update()
        for path, data in cache.search[lang][1].items():
            output.write(path, data)
    return (lambda: {path: data for update in stale for path, data in update().items()}) if stale else None


def preview_index(cache: BuildCache, lang: str, protected: frozenset[str], docs: list[dict]) -> dict[str, bytes]:
    files = dict(search_parts(lambda: docs, lang, protected, cache.analysis.setdefault(lang, {})))
    cache.search[lang] = ((protected, docs), files)
    return files
