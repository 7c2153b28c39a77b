"""How the build's two loops run: in this process, or on two cores with forked workers.

The pipeline hands each loop a task; what comes back is the same either way (a test holds the
two to the same site). Reports go to the workers in groups; each group's large per-language
half (mentions, search documents) waits in a file, so that each language, made in this process
or in a worker, loads only its own and nothing holds both at once. Workers are forked, so they inherit
what they work from instead of receiving it pickled; where processes cannot be forked (Windows)
everything runs in this process.
"""
from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .models import LANGS
from .output import running
from .problems import Problems

PARALLEL_FROM = 2  # reports; a fork costs a few milliseconds, a report tens of them
# Reports up to which a worker makes the translation's pages while this process makes the
# original's. The worker copies what it touches of this process and holds a language's mentions
# and search index of its own: at 10,000 reports the two processes held 858 MiB together, against
# 520-545 MiB for one process making both languages in turn (which, measured once, was also the
# quicker: 85 s against 138 s, the worker finishing last).
LANGUAGE_WORKER_UP_TO = 4000
GROUP = 50  # reports a worker reads and renders before it hands over their parts (at most)


@dataclass
class PartGroup:
    """The parts (reports.ReportPart) of a run of consecutive reports."""

    problems: list = field(default_factory=list)
    written: dict = field(default_factory=dict)
    seeds: list = field(default_factory=list)
    summaries: list = field(default_factory=list)
    used: set = field(default_factory=set)
    mentioned: list = field(default_factory=list)  # per report, (entity id, lang) of each mention (``counts``)
    fingerprints: dict = field(default_factory=dict)  # slug -> the report's fingerprints (the live preview)
    blocks: dict = field(default_factory=dict)  # slug -> the ids of its blocks (editorial notes' anchors)
    cited: list = field(default_factory=list)  # the witnesses' paragraphs the corrections' grounds cite
    passages: dict = field(default_factory=dict)  # slug -> its Arabic text as tokens, and its corrections (consistency.passages)
    tokens: dict = field(default_factory=dict)  # slug -> its text as the collation's tokens (witnesses only)
    held: dict = field(default_factory=dict)  # (lang, "mentions" | "docs"), or ("edition", "members" |
    # "exported") (a full build's: ``exported_parts``, ``corpus_members``) -> the list
    spilled: dict = field(default_factory=dict)  # the same keys -> the file holding the list

    def add(self, part) -> None:
        if part is None:
            return
        if part.seed:
            self.seeds.append(part.seed)
        if part.summary is None:
            return
        self.summaries.append(part.summary)
        self.fingerprints[part.summary.slug] = part.fingerprints
        self.blocks[part.summary.slug] = part.blocks
        self.cited.extend(part.cited)
        self.passages[part.summary.slug] = part.passages
        if part.tokens:  # only a collation group's witnesses have them (reports.collated)
            self.tokens[part.summary.slug] = part.tokens
        self.used |= part.used
        for lang in LANGS:
            self.held.setdefault((lang, "mentions"), []).extend(part.mentions[lang])
            self.held.setdefault((lang, "docs"), []).extend(part.docs[lang])
        if part.exported:
            self.held.setdefault(("edition", "members"), []).append(part.exported.member)
            self.held.setdefault(("edition", "exported"), []).append((part.exported.bibl, part.exported.annotations))
        if part.mentioned is None:  # listed once (the live preview adds a kept part again at each build)
            part.mentioned = tuple((m.entity_id, lang) for lang in LANGS for m in part.mentions[lang])
        self.mentioned.append(part.mentioned)

    @property
    def counts(self) -> Counter:
        """(entity id, lang) -> its mentions in these reports, counted when asked, in one pass
        (adding each report's count to a running total cost the live preview 70 ms a save)."""
        return Counter(itertools.chain.from_iterable(self.mentioned))

    def entities_mentioned(self) -> set[str]:
        """The ids of the entities these reports mention, in either language."""
        return {entity_id for found in self.mentioned for entity_id, _lang in found}

    def language(self, lang: str, what: str) -> list:
        if (lang, what) in self.spilled:
            with open(self.spilled[(lang, what)], "rb") as file:
                return pickle.load(file)
        return self.held.get((lang, what), [])

    def spill(self, folder: Path, index: int) -> None:
        for (lang, what), held in self.held.items():
            path = folder / f"{index:06d}-{lang}-{what}.pickle"
            with open(path, "wb") as file:
                pickle.dump(held, file, protocol=pickle.HIGHEST_PROTOCOL)
            self.spilled[(lang, what)] = str(path)
        self.held = {}


class Schedule:
    """Serial, or two forked workers; a context for the files the workers leave.

    A full build of two reports or more reads them on two workers, in groups of at most GROUP,
    while this process does what the caller gives it to do meanwhile; then this process makes the
    original language while a worker makes the translation (up to LANGUAGE_WORKER_UP_TO reports;
    beyond, this process makes both in turn). The live preview (``preview``) keeps its large
    memory in this process, which a worker would have to copy."""

    def __init__(self, reports: int, preview: bool = False):
        self.parallel = not preview and reports >= PARALLEL_FROM and can_fork()
        self.parallel_languages = not preview and reports <= LANGUAGE_WORKER_UP_TO and can_fork()
        self.spill: Path | None = None

    def __enter__(self) -> "Schedule":
        if self.parallel:
            remove_left_parts()
            self._folder = tempfile.TemporaryDirectory(prefix=f"{PARTS_PREFIX}{os.getpid()}-")
            self.spill = Path(self._folder.name)
        return self

    def __exit__(self, *exc) -> None:
        if self.parallel:
            self._folder.cleanup()

    def reports(self, task: Callable, folders: list[Path], problems: Problems, output,
                meanwhile: Callable[[], None] = lambda: None) -> list[PartGroup]:
        """``task(folder, problems, output)`` for every report, in edition order; its parts in groups.
        ``meanwhile()`` is done in this process while the workers read (or after, when serial)."""
        if not self.parallel:
            group = PartGroup()
            for folder in folders:
                group.add(task(folder, problems, output))
            meanwhile()
            return [group]
        size = min(GROUP, -(-len(folders) // 2))  # both workers busy, even with a few reports
        numbered = [(index, folders[start:start + size]) for index, start in enumerate(range(0, len(folders), size))]
        with inherited(task=task, output=output, problems=problems, spill=self.spill), worker_pool() as pool:
            running = pool.map(report_group, numbered)
            meanwhile()
            groups = list(running)
        for group in groups:
            problems.items += group.problems
            output.merge(group.written)
        return groups

    def languages(self, task: Callable, output, meanwhile: Callable[[], None] = lambda: None) -> None:
        """``task(lang, output)`` for each language, then ``meanwhile()``. On two cores, the original
        is made in this process while a worker makes the translation, and ``meanwhile()`` after
        it, while the worker still runs (a forked worker is the slower: every object it touches is
        copied for it first)."""
        if not self.parallel_languages:
            for lang in LANGS:
                task(lang, output)
            meanwhile()
            return
        first, *others = LANGS
        with inherited(task=task, output=output), worker_pool(len(others)) as pool:
            running = [pool.submit(language_worker, lang) for lang in others]
            task(first, output)
            meanwhile()
            for worker in running:
                output.merge(worker.result())


_INHERITED: dict = {}  # what a forked worker works from (inherited, never pickled)


class inherited:
    def __init__(self, **values):
        self.values = values

    def __enter__(self) -> None:
        _INHERITED.update(self.values)

    def __exit__(self, *exc) -> None:
        _INHERITED.clear()


def report_group(numbered: tuple[int, list[Path]]) -> PartGroup:
    """In a worker: one group of reports."""
    index, folders = numbered
    task, problems, output = _INHERITED["task"], _INHERITED["problems"].twin(), _INHERITED["output"].twin()
    group = PartGroup()
    for folder in folders:
        group.add(task(folder, problems, output))
    group.spill(_INHERITED["spill"], index)
    group.problems, group.written = problems.items, output.written()
    return group


def language_worker(lang: str) -> dict:
    """In a worker: one language."""
    output = _INHERITED["output"].twin()
    _INHERITED["task"](lang, output)
    return output.written()


@contextlib.contextmanager
def worker_pool(workers: int = 2) -> Iterator[ProcessPoolExecutor]:
    """Forked workers that end with this process. When the block raises (Ctrl-C, SIGTERM, an
    error), the workers are stopped at once: leaving the block normally would wait for every
    task still queued, which is the rest of the build."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=in_worker, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):  # no public way before 3.14
            with contextlib.suppress(OSError):
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def in_worker(build: int) -> None:
    """A worker leaves interruptions to the build (a Ctrl-C reaches every process of the
    terminal's group: the build stops its workers itself) and dies with it, however the build
    ends (Linux; elsewhere the pipe to a dead build ends the worker at its next task)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
            if os.getppid() != build:  # the build died before the line above: end now
                os._exit(1)


PARTS_PREFIX = "edition-parts-"


def remove_left_parts() -> None:
    """The parts folders of builds killed outright (SIGKILL, a power cut), whose process is gone."""
    folder = Path(tempfile.gettempdir())
    pattern = re.compile(rf"{re.escape(PARTS_PREFIX)}(\d+)-.*")
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            found = pattern.fullmatch(path.name)
            if found and not running(int(found.group(1))) and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def documents(groups: list[PartGroup], lang: str) -> Iterator[dict]:
    """One language's report search documents in edition order, group by group."""
    for group in groups:
        yield from group.language(lang, "docs")


def exported_parts(groups: list[PartGroup]) -> Iterator[tuple[bytes, dict[str, int]]]:
    """Each report's witness's ``bibl`` in the TEI corpus and its annotations per language
    (reports.Exported), in edition order; a full build's."""
    for group in groups:
        yield from group.language("edition", "exported")


def corpus_members(groups: list[PartGroup]) -> Iterator[bytes]:
    """Each report as the TEI corpus holds it, in edition order, a group at a time; a full build's."""
    for group in groups:
        yield from group.language("edition", "members")


def mentions_by_entity(groups: list[PartGroup], lang: str) -> dict[str, list]:
    """One language's mentions by entity, in edition order."""
    mentions: dict[str, list] = {}
    for group in groups:
        for mention in group.language(lang, "mentions"):
            mentions.setdefault(mention.entity_id, []).append(mention)
    return mentions
