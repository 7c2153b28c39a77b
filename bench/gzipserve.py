"""A small static server that compresses like a real host, and counts what it sends.

It serves one folder on 127.0.0.1 (nothing outside it), answers `GET` for files and for folders
with an index.html, and gzips (level 6, as nginx's and most hosts' default) the text types a host
compresses (HTML, CSS, JavaScript, JSON, SVG, XML, plain text) when the request accepts gzip.
Other types go as they are: Pagefind's `.pf_*` files and its wasm are gzipped by Pagefind itself
and served as `application/octet-stream`, as a host serves them.

Every response is logged as (path, body bytes sent, encoding): the benchmark's "bytes
transferred" is the sum of the bodies sent for a query (headers left out). Standard library only,
so that it runs under the project's Python and the benchmark's venv alike.
"""
from __future__ import annotations

import gzip
import http.server
import threading
import time
from dataclasses import dataclass
from pathlib import Path

COMPRESSED_TYPES = ("text/", "application/javascript", "text/javascript", "application/json", "image/svg+xml",
                    "application/xml", "application/manifest+json")
LEVEL = 6


@dataclass(frozen=True)
class Sent:
    path: str
    bytes: int  # body bytes as sent (compressed if encoding is gzip)
    encoding: str  # "gzip" or "identity"
    status: int


def compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSED_TYPES)


class GzipServer:
    """Serves `folder` on a free port of 127.0.0.1 in a thread; `sent` lists every response."""

    def __init__(self, folder: Path):
        self.folder = Path(folder).resolve()
        self.sent: list[Sent] = []
        self.in_flight = 0
        self.last_activity = time.perf_counter()  # when a request last began or ended
        self._lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "GzipServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def take(self) -> list[Sent]:
        """The responses logged since the last take (and forget them)."""
        with self._lock:
            taken, self.sent = self.sent, []
        return taken

    def _record(self, sent: Sent) -> None:
        with self._lock:
            self.sent.append(sent)

    def _busy(self, delta: int) -> None:
        with self._lock:
            self.in_flight += delta
            self.last_activity = time.perf_counter()

    def _handler(self):
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                              ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
                              ".wasm": "application/wasm", ".svg": "image/svg+xml", ".xml": "application/xml"}

            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.folder), **kwargs)

            def log_message(self, *args) -> None:  # quiet: the log is `sent`
                pass

            def do_HEAD(self) -> None:
                self.send_error(405)

            def do_GET(self) -> None:
                server._busy(1)
                try:
                    self._get()
                finally:
                    server._busy(-1)

            def _get(self) -> None:
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    if not self.path.split("?", 1)[0].endswith("/"):
                        self.send_response(301)
                        self.send_header("Location", self.path.split("?", 1)[0] + "/")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        server._record(Sent(self.path, 0, "identity", 301))
                        return
                    path = path / "index.html"
                if not path.is_file() or server.folder not in path.parents:
                    body = b"not found"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    server._record(Sent(self.path, len(body), "identity", 404))  # before the client can have it
                    self.wfile.write(body)
                    return
                content_type = self.guess_type(str(path))
                body = path.read_bytes()
                encoding = "identity"
                if compressible(content_type) and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body, encoding = gzip.compress(body, LEVEL, mtime=0), "gzip"
                self.send_response(200)
                self.send_header("Content-Type", content_type + ("; charset=utf-8" if content_type.startswith("text/") else ""))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-cache")
                if encoding == "gzip":
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                server._record(Sent(self.path, len(body), encoding, 200))  # before the client can have it
                self.wfile.write(body)

        return Handler
