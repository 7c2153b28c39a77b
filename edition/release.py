"""A citable release: every data file of the edition in one deterministic zip archive.

``build.py --release`` builds the edition in memory and writes ``dist/<name>-<version>.zip``:
the files the build writes under ``data/`` (datafiles.py), a README for reusers and
``MANIFEST.sha256`` (``sha256sum -c`` checks it). The archive's entries are sorted, dated with the
edition's date (``config.yaml``; 1980-01-01 without one) and carry fixed permissions, so the same
sources give the same bytes. The folder it goes to is refused when it is, holds or lies in a
source of the project (``release_refusal``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

from . import cite, discovery
from .datafiles import data_paths, kind_of
from .output import replace_file, source_folder_of, tracked_files
from .pipeline import build
from .urls import Urls

NAME = "coalition-arabic-press-data"
SOURCES = ("content", "templates", "edition", "schemas", "tests", "tools", "bench", ".git", ".github")
EPOCH = dt.date(1980, 1, 1)  # the earliest date a zip entry can carry


def release_refusal(dist: Path, root: Path) -> str | None:
    """Why ``dist`` cannot receive a release archive, or None."""
    dist, root = Path(os.path.realpath(dist)), Path(os.path.realpath(root))
    if dist == root or dist in root.parents:
        return "is the project folder or holds it; write releases into a folder of their own, such as dist/"
    name = source_folder_of(dist, root, SOURCES)
    if name is not None:
        return f"is or lies in the project's {name}/ folder; write releases into a folder of their own, such as dist/"
    blocker = next((p for p in (dist, *dist.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return "is a file, not a folder" if blocker == dist else f"lies under '{blocker}', which is a file"
    if root in dist.parents and dist.exists() and tracked_files(root, dist):
        return "holds files tracked by git; write releases into a folder of their own, such as dist/"
    return None


def archive_name(version: str | None) -> str:
    return f"{NAME}-{version or 'unversioned'}"


def release(root: Path, dist: Path, base_url: str | None = None) -> tuple[Path, int]:
    """Build the edition and write its release archive into ``dist``; raises BuildFailed.
    Returns the archive's path and how many data files it holds."""
    result = build(root, base_url=base_url)
    config = result.catalog.config()
    name = archive_name(config.version)
    members = {path: result.files[path] for path in data_paths(result.files)}
    strings = result.catalog.strings("en")
    url = discovery.absolute(Urls(config.base_url), Urls.home("en"))
    members["README.txt"] = readme(config, strings, members, url).encode("utf-8")
    members["MANIFEST.sha256"] = manifest(members)
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{name}.zip"
    replace_file(target, archive(name, members, config.date or EPOCH))
    return target, len(members) - 2


def manifest(members: dict[str, bytes]) -> bytes:
    """``sha256sum`` lines for every member, sorted by path."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(members.items())).encode("ascii")


def archive(name: str, members: dict[str, bytes], date: dt.date) -> bytes:
    """The zip archive, each member under ``<name>/``, sorted, with one date and fixed permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(members):
            info = zipfile.ZipInfo(f"{name}/{path}", date_time=(date.year, date.month, date.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so that the permissions below are read
            info.external_attr = (stat.S_IFREG | 0o644) << 16  # a regular file, rw-r--r--
            archive.writestr(info, members[path], compresslevel=9)
    return buffer.getvalue()


def readme(config, t: dict, members: dict[str, bytes], url: str) -> str:
    """What a reuser needs to know: what the edition is, its version and licence, what each file
    holds, how to check the files and how to cite them. Plain text."""
    lines = [config.title.en, config.subtitle.en, "",
             f"Version {config.version or '(unversioned)'}" + (f", {config.date.isoformat()}" if config.date else ""),
             f"Licence of the translation, glosses, notes and apparatus: {t['licence_name']} ({t['licence_url']}).",
             "The Arabic texts are reproduced from their witnesses as printed.", "",
             "Files (UTF-8 throughout):", ""]
    for path in sorted(p for p in members if p.startswith("data/")):
        kind = kind_of(path)
        lines.append(f"  {path}  {kind.label['en']} [{kind.media_type}]")
    lines += ["", "Check the files: sha256sum -c MANIFEST.sha256", "",
              "The Web Annotations (data/annotations/) target paragraphs of the published pages; their",
              "TextPositionSelector counts Unicode code points in the text content of the paragraph's column",
              "in the page's language (for a title, its h1), without leading and trailing white space.",
              *relative_addresses(config.base_url),
              "CSV cells that begin with = + - @ or a tab are prefixed with an apostrophe (') so that no",
              "spreadsheet runs them as formulas.", "",
              "Cite as:", "  " + cite.edition(config, "en", url, t)]
    return "\n".join(lines).rstrip("\n") + "\n"


def relative_addresses(base_url: str) -> list[str]:
    """What a release built without the site's address (``base_url`` a path) must say: its
    addresses are paths, and an annotation's id is then no IRI until resolved (annotations_ld)."""
    if Urls(base_url).absolute:
        return []
    return [f"This release was built without the site's address (base_url {base_url}): the addresses in its",
            f"files, the annotations' ids and targets among them, are paths from the site's root ({base_url}…),",
            "not absolute IRIs; resolve them against the address where the edition is published."]
