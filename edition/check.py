"""Checks of a built site: internal links and anchors resolve, assets exist, every page has
its counterpart in the other language (``check_site``, for --check); and in every build, the links
the prose pages' sources make into the site (``check_prose_links``), told where they are written.
Works on the files built; writes nothing."""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import Problems

class _PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int, int]] = []  # (url, line, col)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            value = attributes.get(name)
            if value and not (tag == "link" and attributes.get("rel") in ("canonical", "alternate") and "://" in value):
                line, col = self.getpos()
                self.links.append((value, line, col + 1))


def scan(html: str) -> _PageScan:
    parser = _PageScan()
    parser.feed(html)
    return parser


@dataclass
class Checked:
    """What a check went through."""
    pages: int = 0
    links: int = 0  # links and asset references inside the site, each followed
    anchors: int = 0  # of those, the ones to an id in a page (#…), each looked up


def check_site(files: dict[str, bytes], base_path: str, problems: Problems, label: str = "site") -> Checked:
    pages = {path: scan(data.decode("utf-8")) for path, data in files.items() if path.endswith(".html")}
    checked = Checked(pages=len(pages))
    for path, page in sorted(pages.items()):
        for url, line, col in page.links:
            if is_external(url):
                continue  # not checked offline
            checked.links += 1
            checked.anchors += bool(urlsplit(url).fragment)
            message = broken(url, path, base_path, files, pages)
            if message:
                problems.error(f"{label}/{path}", line, col, message)
        counterpart = other_language(path)
        if counterpart and counterpart not in files:
            problems.error(f"{label}/{path}", 1, 1, f"page has no counterpart in the other language ({counterpart})")
    return checked


def is_external(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https", "mailto") or url.startswith("data:")


def other_language(path: str) -> str | None:
    for here, there in (("ar/", "en/"), ("en/", "ar/")):
        if path.startswith(here):
            return there + path[len(here):]
    return None


def broken(url: str, page: str, base_path: str, files: dict[str, bytes], pages: dict[str, _PageScan]) -> str | None:
    parts = urlsplit(url)
    if is_external(url):
        return None  # not checked offline
    if parts.scheme:
        return f"link with unsupported scheme: '{url}'"
    if not parts.path:
        target = page
    elif parts.path.startswith("/"):
        if not parts.path.startswith(base_path):
            return f"link outside the site's base path {base_path}: '{url}'"
        target = unquote(parts.path[len(base_path):])
    else:
        folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
        target = relative_target(unquote(folder + parts.path))
        if target is None:
            return f"link outside the site: '{url}'"
    if target == "" or target.endswith("/"):
        target += "index.html"
    if target not in files:
        return f"broken link: '{url}' (no {target} in the site)"
    if parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
        return f"broken anchor: '{url}' (no id '{parts.fragment}' in {target})"
    return None


def relative_target(joined: str) -> str | None:
    """A relative link's path in the site with its ``.`` and ``..`` resolved (a folder keeps its
    final /), or None if it climbs above the site's root."""
    resolved = posixpath.normpath(joined)
    if resolved == ".." or resolved.startswith("../"):
        return None
    if resolved == ".":
        return ""
    folder = joined.endswith("/") or posixpath.basename(joined) in (".", "..")
    return resolved + "/" if folder else resolved


class _Present:
    """The files of the built site and those made after the check (``later``: files, or folders
    ending in /), as ``broken`` asks whether a link's target is there."""

    def __init__(self, files, later: tuple[str, ...]) -> None:
        self.files, self.later = files, later

    def __contains__(self, path) -> bool:
        return path in self.files or any(path == f or (f.endswith("/") and path.startswith(f)) for f in self.later)


class _ScannedOnDemand(dict):
    """Pages of the built site scanned for their ids only when a link's anchor is looked up in one."""

    def __init__(self, files) -> None:
        super().__init__()
        self.files = files

    def __contains__(self, path) -> bool:
        return path.endswith(".html") and path in self.files

    def __missing__(self, path: str) -> _PageScan:
        self[path] = scan(self.files[path].decode("utf-8"))
        return self[path]


def check_prose_links(pages: Iterable, page_file, site: Callable[[], Mapping], later: tuple[str, ...],
                      base_path: str, problems: Problems) -> None:
    """Every link and image of the prose pages that leads into the site (content.Page.links) leads
    to a file the build wrote, and an anchor to an id in it: an error where the link is written, so
    that a plain build refuses it as --check would (at a line of the built page). ``page_file(name,
    lang)``: the file of a prose page in the site; ``site()``: the files built (asked for only if
    there is a link to follow); ``later``: the files (or folders, ending in /) made after this
    check, taken as present."""
    links = [(page_file(page.name, lang), *link) for page in pages for lang, found in sorted(page.links.items())
             for link in found]
    if not links:
        return
    files = site()
    present, scanned = _Present(files, later), _ScannedOnDemand(files)
    for page, path, line, column, url in links:
        message = broken(url, page, base_path, present, scanned)
        if message:
            problems.error(Path(path), line, column, message)
