"""Where everything the build writes lives: every output path of the site, in one place."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .safety import not_ascii

SEGMENT = r"[A-Za-z0-9._~!$&'()*+,;=:@%-]+"
BASE_PATH = re.compile(rf"/(?:{SEGMENT}/)*")
HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def base_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be a base URL, or None. A base URL is a path that starts with one '/'
    and ends with '/' (``/``, ``/edition/``), or an absolute http(s) address ending with '/'
    without a user name or password (``https://example.org/edition/``)."""
    absolute = re.match(r"https?://", value)
    path = value
    if absolute:
        authority, slash, rest = value[absolute.end():].partition("/")
        if "@" in authority:
            return "must not contain a user name or password"
        if not HOST.fullmatch(authority):
            return host_problem(authority) or f"'{authority}' is not a host name"
        if ":" in authority and int(authority.rpartition(":")[2]) > 65535:
            return f"port {authority.rpartition(':')[2]} is not a port (0 to 65535)"
        path = slash + rest
        if not path:
            return f"must end with '/' ({value}/)"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "must be a path that starts with one '/' (such as /edition/), or an http:// or https:// address"
    if not path.endswith("/"):
        return f"must end with '/' ({value}/)"
    if not BASE_PATH.fullmatch(path) or any(part in (".", "..") for part in path.split("/")):
        return "may hold only letters, digits and - . _ ~ between its slashes (no spaces, '?', '#', '..' or '\\')"
    return None


SPACE_IN_ADDRESS = "an address cannot hold a space, a line break or a control character (write a space as %20)"


def http_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be a web address that a page links to (a source's ``url``, a link in
    a prose page), or None: it is http(s), with a host and no space, and without a user name or
    password."""
    if re.search(r"[\s\x00-\x1f\x7f]", value):
        return SPACE_IN_ADDRESS
    if not re.fullmatch(r"https?://[^\s/]+\.\S+", value):  # fullmatch: no line break after it either
        return "must be an http:// or https:// URL"
    if "@" in value.split("/")[2]:
        return "must not contain a user name or password"
    return host_problem(re.split(r"[/?#]", value)[2])


def host_problem(host: str) -> str | None:
    """Why the host (and port) of a web address cannot stand in a source: a port is a number up to
    65535, and a host is written in ASCII, an internationalized name in its punycode form (xn--…).
    A letter of another script may look exactly like a Latin one (Cyrillic о in www.un.оrg, a
    fullwidth ｏ): the address would read as the right site and lead to another (a homograph)."""
    port = host.rpartition(":")[2] if ":" in host.rpartition("]")[2] else ""
    if port and not (port.isascii() and port.isdecimal() and int(port) <= 65535):
        return f"port '{port}' is not a port (0 to 65535)"
    if host.isascii():
        return None
    return (f"host '{host}'{not_ascii(host)}: a letter of another script may look like a Latin one and lead to "
            "another site; write the host in ASCII, an internationalized name in its punycode form (xn--…)")


SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def page_link_problem(url: str, image: bool = False) -> str | None:
    """Why ``url`` cannot be where a link (or an image) of a prose page leads, or None. A link leads
    to a place in the site (a path, ``#…``: --check follows it), to a web page (as a source's
    ``url``) or to an e-mail address (``mailto:``); an image is a file of the site, as the pages
    load nothing from elsewhere (their Content-Security-Policy)."""
    if re.search(r"[\s\x00-\x1f\x7f]", url):
        return SPACE_IN_ADDRESS
    scheme = SCHEME.match(url)
    if scheme is None:
        if url.startswith("//") or "\\" in url:
            return "leads to another site without saying how (// or \\): write the address whole, https://…"
        return hidden_path_problem(url)
    if image:
        return "an image must be a file of the site: the pages load nothing from elsewhere"
    if scheme.group().lower() == "mailto:":
        return None
    if scheme.group().lower() in ("http:", "https:"):
        return http_url_problem(url)
    return "must be an http:// or https:// URL, a mailto: address or a path of the site"


def hidden_path_problem(url: str) -> str | None:
    """Why a path of the site cannot be linked to, or None: a segment that begins with '.' (``.env``,
    ``.git/``, ``.github/``, ``%2Egit``) is a hidden file or folder, which holds what is never
    published (credentials, git's own files, the build's marker)."""
    segments = unquote(urlsplit(url).path).split("/")
    hidden = next((segment for segment in segments if segment.startswith(".") and segment not in (".", "..")), None)
    if hidden is None:
        return None
    return f"leads to a hidden file or folder ('{hidden}'): the site publishes none; link to a page of the site"


class Urls:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"
        self.absolute = base_url if base_url.startswith(("http://", "https://")) else None

    # site-relative paths (directories end with '/': their file is index.html)
    @staticmethod
    def landing() -> str:
        return ""

    @staticmethod
    def not_found() -> str:
        return "404.html"

    @staticmethod
    def home(lang: str) -> str:
        return f"{lang}/"

    @staticmethod
    def report(lang: str, slug: str) -> str:
        return f"{lang}/reports/{slug}/"

    @staticmethod
    def entity(lang: str, entity_id: str, kind: str = "") -> str:
        folder = "meetings" if kind == "meeting" else "entities"
        return f"{lang}/{folder}/{entity_id}/"

    @staticmethod
    def entity_index(lang: str) -> str:
        return f"{lang}/entities/"

    @staticmethod
    def page(lang: str, name: str) -> str:
        return f"{lang}/{name}/"

    @staticmethod
    def notes(lang: str) -> str:
        return f"{lang}/notes/"

    @staticmethod
    def witness(lang: str, seed: str) -> str:
        """A witness's page: its file name without .txt."""
        return f"{lang}/witnesses/{seed.removesuffix('.txt')}/"

    @staticmethod
    def collation(lang: str, group_id: str) -> str:
        """A collation group's page (content/collations/<id>.yaml)."""
        return f"{lang}/collations/{group_id}/"

    @staticmethod
    def collation_export(group_id: str, ext: str) -> str:
        """A collation as data, the same for both languages: ``tei.xml`` or ``json`` (with the
        edition's other data files, so that the Data pages and releases hold it)."""
        return f"data/collations/{group_id}.{ext}"

    @staticmethod
    def chronology(lang: str) -> str:
        return f"{lang}/chronology/"

    @staticmethod
    def data_page(lang: str) -> str:
        """The page listing every data file the build writes."""
        return f"{lang}/data/"

    @staticmethod
    def data(name: str) -> str:
        """A data file (datafiles.py): ``reports/<slug>.json``, ``entries.csv`` …"""
        return f"data/{name}"

    @staticmethod
    def search(lang: str) -> str:
        return f"{lang}/search/"

    @staticmethod
    def feed(lang: str) -> str:
        return f"{lang}/feed.xml"

    @staticmethod
    def sitemap() -> str:
        return "sitemap.xml"

    @staticmethod
    def robots() -> str:
        return "robots.txt"

    @staticmethod
    def tei(slug: str) -> str:
        """A report as TEI P5 (tei.py)."""
        return f"data/tei/{slug}.xml"

    @staticmethod
    def tei_corpus() -> str:
        """The whole edition as one TEI P5 corpus (tei.py)."""
        return "data/tei/edition.xml"

    @staticmethod
    def asset(name: str) -> str:
        """A file of templates/static/, or lunr.min.js, or a search index."""
        return f"assets/{name}"

    @staticmethod
    def search_parts(lang: str) -> str:
        """The folder of a language's split search index (its manifest is ``index.json``)."""
        return Urls.asset(f"search/{lang}/")

    @staticmethod
    def lunr() -> str:
        return Urls.asset("lunr.min.js")

    def href(self, path: str) -> str:
        """A link as written in the HTML: the base path plus the site-relative path."""
        return self.base_path + path

    def canonical(self, path: str) -> str | None:
        return self.absolute + path if self.absolute else None

    @staticmethod
    def file_for(path: str) -> str:
        return path + "index.html" if path == "" or path.endswith("/") else path
