"""Where each page lives: one place for every path of the site."""
from __future__ import annotations

from urllib.parse import urlsplit


class Urls:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"
        self.absolute = base_url if base_url.startswith(("http://", "https://")) else None

    # site-relative paths (directories end with '/': their file is index.html)
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
    def search(lang: str) -> str:
        return f"{lang}/search/"

    @staticmethod
    def search_parts(lang: str) -> str:
        """The folder of a language's split search index (its manifest is ``index.json``)."""
        return f"assets/search/{lang}/"

    def href(self, path: str) -> str:
        """A link as written in the HTML: the base path plus the site-relative path."""
        return self.base_path + path

    def canonical(self, path: str) -> str | None:
        return self.absolute + path if self.absolute else None

    @staticmethod
    def file_for(path: str) -> str:
        return path + "index.html" if path == "" or path.endswith("/") else path
