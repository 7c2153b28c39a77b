"""The registry of the edition's data files: what each kind of file under ``data/`` is.

Every export writes its files under ``data/`` (``Urls.data``) and registers its kind here, once,
when its module is imported: a pattern of paths, a media type, a label in both languages and,
for a file made per report, its path (the report page links it). The Data page of each language
and the release archive then take every file the build wrote under ``data/``, whatever wrote
it: a new export joins both by writing there, and is described by registering its kind (a file
of no registered kind is listed as "other data").
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .urls import Urls

PREFIX = Urls.data("")


@dataclass(frozen=True)
class DataKind:
    key: str
    pattern: str  # fnmatch pattern of its site paths (``*`` also crosses '/'), e.g. data/reports/*.json
    media_type: str
    label: Mapping[str, str]  # lang -> what the file holds
    of_report: Callable[[str], str] | None = None  # slug -> the site path of that report's file


KINDS: list[DataKind] = []  # in the order the Data page lists them; the first whose pattern matches a path wins
OTHER = DataKind("other", "data/*", "application/octet-stream", {"ar": "بيانات أخرى", "en": "Other data"})


def register(kind: DataKind) -> None:
    """Add a kind of data file (at import of the module that writes it); registering a key again replaces it."""
    for index, known in enumerate(KINDS):
        if known.key == kind.key:
            KINDS[index] = kind
            return
    KINDS.append(kind)


def kind_of(path: str) -> DataKind:
    return next((kind for kind in KINDS if fnmatchcase(path, kind.pattern)), OTHER)


def data_paths(paths: Iterable[str]) -> list[str]:
    """The data files among a build's files, sorted."""
    return sorted(path for path in paths if path.startswith(PREFIX))


def listing(files: Mapping[str, bytes]) -> list[dict]:
    """The data files a build wrote, grouped by kind in the registry's order: [{kind, files: [{path, size}]}]."""
    size = getattr(files, "size", lambda path: len(files[path]))
    groups: dict[str, dict] = {}
    for path in data_paths(files):
        kind = kind_of(path)
        groups.setdefault(kind.key, {"kind": kind, "files": []})["files"].append({"path": path, "size": size(path)})
    order = [kind.key for kind in KINDS] + [OTHER.key]
    return [groups[key] for key in order if key in groups]


def report_files(slug: str) -> list[tuple[DataKind, str]]:
    """A report's own data files, each with its kind (its report page offers them)."""
    return [(kind, kind.of_report(slug)) for kind in KINDS if kind.of_report]


# The TEI files are written by their own module; they are described here so that the Data page
# names them as soon as a build writes them.
register(DataKind("tei-edition", Urls.data("tei/edition.xml"), "application/tei+xml",
                  {"ar": "النشرة كاملة بترميز TEI P5", "en": "The whole edition in TEI P5"}))
register(DataKind("tei-report", Urls.data("tei/*.xml"), "application/tei+xml",
                  {"ar": "تقرير بترميز TEI P5", "en": "A report in TEI P5"}, Urls.tei))
