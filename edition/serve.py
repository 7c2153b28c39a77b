"""Live preview (`build.py --serve`): build, serve the output folder, rebuild on every save and
reload the open pages.

Four parts, one class each:
- Site: the output folder. The builder swaps a new build in whole; the server reads single files
  from it, and never anything outside it.
- Events: the outcome of the latest build. Every open page listens on /__livereload (giving its
  build and its path) and gets `reload` after a good build that changed it (and the stream ends:
  the reloaded page connects again), `current` after one that left it as it was, `errors` (a JSON
  list of `file:line:col` lines) after a broken one.
- Builder: one thread that waits for a quiet moment after the last save, then rebuilds; a save of
  report texts alone shows those reports' pages first (pipeline.reports_alone). A broken build
  changes nothing in the output folder: the last good site stays served.
- SourceWatcher (watchdog): passes saves in content/, templates/ and config.yaml to the builder,
  and ignores what the build never reads (sources.never_read: swap files, backups, lock files,
  caches, hidden folders).

The HTTP server (PreviewServer, PreviewHandler) answers only requests addressed to it by its own
address or a loopback name with its port (hosts.py: DNS rebinding), refuses request lines over
8 KB, queues hundreds of connections, and says nothing of clients that go away mid-reply.

The reload script (edition/livereload.js) is served as /__livereload.js, and this server adds it to
every HTML page as it serves it: the build never knows it is being served, and the output folder
holds exactly what a plain build writes.
"""
from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import json
import mimetypes
import os
import signal
import socket
import stat
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from watchdog.events import (EVENT_TYPE_CLOSED_NO_WRITE, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED,
                             EVENT_TYPE_OPENED, FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer

from . import crashes, hosts, output, pipeline
from .models import LANGS
from .urls import Urls
from .problems import BuildFailed
from .safety import inside
from .sources import never_read
from .wording import count

# Seconds of quiet after the last save before rebuilding: the events of one save (write, close,
# or a temporary file renamed over the source) come within a few milliseconds of each other.
DEBOUNCE = 0.05
KEEPALIVE = 15.0  # seconds between comments on an idle event stream (finds closed tabs)
PAGES_WAIT = 2.0  # seconds a build waits at most for the open pages to reload before its deferred part
LISTEN_BACKLOG = 512  # connections waiting to be accepted (Python's default, 5, drops a burst of page loads)
MAX_REQUEST_LINE = 8192  # bytes; a longer request line gets 414

WATCHED_FOLDERS = ("content", "templates")

LIVERELOAD_JS = (Path(__file__).parent / "livereload.js").read_text(encoding="utf-8")
RELOAD_TAG = b'<script src="/__livereload.js" defer></script>\n'

# Served for unknown paths while the output folder has no 404.html (a first build that failed).
NO_SITE_HTML = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title>
</head>
<body><h1>Not found</h1><p>There is no such page, or no site has been built yet.</p></body></html>
"""


def say(text: str, stream=None) -> None:
    print(text, file=stream or sys.stdout, flush=True)


def clock() -> str:
    return time.strftime("%H:%M:%S")


# ---------------------------------------------------------------- the output folder


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    location: str | None = None


class Outside(Exception):
    """A request for something outside the output folder."""


@dataclass(frozen=True)
class AllBut:
    """What a build leaves to come when it shows a few pages first (pipeline.reports_alone): every
    file but these."""

    shown: frozenset[str]


class Site:
    """The output folder, swapped in whole by the builder and read file by file by the server.

    A build's pages are published first and what is made from the whole edition after
    (``pipeline.BuildResult.pending``); meanwhile a request for one of those files waits for it,
    so that no request is answered from a build older than the pages it comes with."""

    SETTLE_TIMEOUT = 120  # seconds a request waits for the rest of a build at most
    KEPT_BUILDS = 8  # the files of the last few builds, to tell an open page whether it changed

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.lock = threading.Lock()  # no request reads while a new build is being swapped in
        self.build_id = ""  # the build now in the folder ("" for one left by an earlier run)
        self.files: dict[str, bytes] | None = None  # what this server last wrote there
        self.deferred: tuple[str, ...] | AllBut = ()  # paths (folders end in /) still to come from the build
        self.settled = threading.Event()  # set when nothing is deferred
        self.settled.set()
        self.builds: dict[str, dict[str, bytes]] = {}  # build id -> its files, for the last few builds

    def publish(self, files: dict[str, bytes], build_id: str, deferred: tuple[str, ...] | AllBut = ()) -> None:
        """The first build is swapped in whole; later ones write only the files that changed.
        ``deferred``: the paths the build will publish later (their previous files stay until then)."""
        with self.lock:
            if deferred and self.files:
                files = {**deferred_files(self.files, deferred), **files}
            if self.files is None or not self.folder.is_dir():
                output.write_site(files, self.folder)
            else:
                try:
                    output.update_site(files, self.folder, self.files)
                except OSError:  # written halfway: the folder holds neither build, and the next
                    self.files = None  # publish (the last good site again: restore) swaps in whole
                    raise
            self.files = files
            self.build_id = build_id
            self.deferred = deferred
            self.builds[build_id] = files
            for old in list(self.builds)[:-self.KEPT_BUILDS]:
                del self.builds[old]
            if deferred:
                self.settled.clear()
            else:
                self.settled.set()

    def changed_since(self, build_id: str, url_path: str) -> bool:
        """Whether a page served from ``build_id`` would be served otherwise now: its file (the 404
        page for a path with none), or any asset, differs (True for a build no longer known)."""
        with self.lock:
            before, now = self.builds.get(build_id), self.files
        if before is None or now is None or not url_path:
            return True
        file = self.relative(url_path)
        return served(before, file) != served(now, file) or page_assets(before) != page_assets(now)

    def restore(self, files: dict[str, bytes] | None, build_id: str) -> None:
        """Publish ``files`` again if a build published after them failed (None: nothing was)."""
        if files is not None and files is not self.files:
            self.publish(files, build_id)
        self.deferred = ()
        self.settled.set()

    def lookup(self, url_path: str) -> tuple[Reply, str]:
        """The reply to a GET of url_path (still %-encoded), and the build it comes from; an HTML
        page with the reload script added. Whether the file is still to come is asked under the
        lock, so that a build swapped in meanwhile is asked about too."""
        file, deadline = self.relative(url_path), time.monotonic() + self.SETTLE_TIMEOUT
        while True:
            with self.lock:
                if self.settled.is_set() or not matches(file, self.deferred) or time.monotonic() > deadline:
                    return with_reload_script(self._lookup(url_path)), self.build_id
            self.settled.wait(max(0.0, deadline - time.monotonic()))

    @staticmethod
    def relative(url_path: str) -> str:
        """The file a URL path asks for, relative to the folder (a folder's: its index.html)."""
        relative = "/".join(part for part in unquote(url_path).split("/") if part)
        return relative + "/index.html" if url_path.endswith("/") and relative else relative or "index.html"

    def _lookup(self, url_path: str) -> Reply:
        parts = [part for part in unquote(url_path).split("/") if part]
        try:
            target = self.inside(self.folder.joinpath(*parts))
            if target.is_dir():
                if not url_path.endswith("/"):
                    return Reply(301, location="/" + "".join(quote(part) + "/" for part in parts))
                target = self.inside(target / "index.html")
            if target.is_file():
                return Reply(200, target.read_bytes(), content_type(target))
        except Outside:
            return Reply(403, b"403 forbidden: outside the site\n")
        except ValueError:  # e.g. an encoded NUL byte
            return Reply(400, b"400 bad request\n")
        except (OSError, RuntimeError):  # a name too long for the file system, a loop of links: no such page
            pass
        return self.not_found()

    def inside(self, path: Path) -> Path:
        """path with every symlink and '..' resolved; Outside if that leaves the folder."""
        resolved = path.resolve()
        if resolved != self.folder and self.folder not in resolved.parents:
            raise Outside(path)
        return resolved

    def not_found(self) -> Reply:
        try:
            page = self.inside(self.folder / "404.html")
            body = page.read_bytes() if page.is_file() else NO_SITE_HTML
        except (Outside, OSError, RuntimeError):  # a 404.html that is a link out of the site, or a loop
            body = NO_SITE_HTML
        return Reply(404, body, "text/html; charset=utf-8")


def served(files: dict[str, bytes], file: str) -> tuple[str, bytes | None]:
    """The file that answers for ``file`` in a build's files, and its bytes: its own, else the 404 page."""
    return (file, files[file]) if file in files else (Urls.not_found(), files.get(Urls.not_found()))


def page_assets(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files a page may load with it: the assets, but for the search indexes (loaded by a search)."""
    indexes = tuple(Urls.search_parts(lang) for lang in LANGS)
    return {path: data for path, data in files.items() if path.startswith(Urls.asset("")) and not path.startswith(indexes)}


def deferred_files(files: dict[str, bytes], deferred: tuple[str, ...] | AllBut) -> dict[str, bytes]:
    """The files among ``files`` that are ``deferred`` or inside one of its folders."""
    if isinstance(deferred, AllBut):
        return dict(files)  # all of them still to come; the files shown replace theirs
    folders = tuple(item for item in deferred if item.endswith("/"))
    return {path: data for path, data in files.items() if path.startswith(folders) or path in deferred} if folders \
        else {path: files[path] for path in deferred if path in files}


def matches(path: str, deferred: tuple[str, ...] | AllBut) -> bool:
    """Whether a site path is one of ``deferred`` or inside one of its folders."""
    if isinstance(deferred, AllBut):
        return path not in deferred.shown
    return any(path == item or (item.endswith("/") and path.startswith(item)) for item in deferred)


def with_reload_script(reply: Reply) -> Reply:
    """An HTML page loads the reload script last in its head."""
    if not reply.content_type.startswith("text/html") or b"</head>" not in reply.body:
        return reply
    head, _, rest = reply.body.partition(b"</head>")
    reply.body = head + RELOAD_TAG + b"</head>" + rest
    return reply


def entity_tag(body: bytes) -> str:
    """The ETag of a reply: a digest of exactly what is sent. Every reply is revalidated
    (``Cache-Control: no-cache``), so a reload never shows a stale file, while the style sheet
    and scripts a reloaded page asks for again cost a 304 instead of their bytes."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


# ---------------------------------------------------------------- build events


class OpenPage:
    """A page listening on /__livereload: the build it shows, and its URL path."""

    def __init__(self, since: str, path: str):
        self.since, self.path = since, path


class Events:
    """The outcome of the latest build, and a condition the event streams wait on.

    A page is told to reload only if it would be served otherwise now (``changed``, given by the
    Site: its file or an asset differs); a page the build left as it was is told that it is
    current (the build's id), and stays as it is."""

    def __init__(self, changed: Callable[[str, str], bool] | None = None):
        self._changed = threading.Condition()
        self.version = 0
        self.build_id = ""
        self.errors: list[str] = []
        self.changed = changed or (lambda since, path: True)  # (a page's build, its URL path) -> reload it?
        self.open: list[OpenPage] = []  # one per open page, connected now
        self.reloaded: dict[str, int] = {}  # build id -> pages that have connected since it was published

    def connected(self, since: str, path: str = "") -> OpenPage:
        """An open page, from the build ``since`` (none given: the build served now)."""
        with self._changed:
            page = OpenPage(since or self.build_id, path)
            self.open.append(page)
            if since and since == self.build_id:
                self.reloaded[since] = self.reloaded.get(since, 0) + 1
                self._changed.notify_all()
        return page

    def disconnected(self, page: OpenPage | None = None) -> None:
        with self._changed:
            self.open.remove(page if page is not None else self.open[-1])

    def good_and_shown(self, build_id: str, timeout: float) -> None:
        """Publish a good build, and return once every open page it changed has reloaded from it
        (its event stream connected again, from the new page), or after ``timeout`` seconds: what
        the build still has to make waits, so that it does not slow the reload down."""
        with self._changed:
            waiting = sum(1 for page in self.open if page.since != build_id and self.changed(page.since, page.path))
            self.reloaded = {build_id: 0}
        self.good(build_id)
        with self._changed:
            self._changed.wait_for(lambda: self.reloaded.get(build_id, 0) >= waiting, timeout)

    def good(self, build_id: str) -> None:
        self._publish(build_id, [])

    def broken(self, errors: list[str], build_id: str | None = None) -> None:
        """A failed build; ``build_id``: the build served now (the last good one)."""
        self._publish(self.build_id if build_id is None else build_id, errors)

    def _publish(self, build_id: str, errors: list[str]) -> None:
        with self._changed:
            self.build_id, self.errors = build_id, errors
            self.version += 1
            self._changed.notify_all()

    def snapshot(self) -> tuple[int, str, list[str]]:
        with self._changed:
            return self.version, self.build_id, self.errors

    def wait_after(self, version: int, timeout: float) -> bool:
        """Wait until something newer than version is published; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self.version != version, timeout)

    def event_for(self, page: OpenPage, build_id: str, errors: list[str]) -> bytes | None:
        """What an open page must hear of the build served now: to reload, if it would be served
        otherwise (then the errors, once reloaded); the errors; that it is current; or nothing."""
        if page.since and build_id and page.since != build_id:
            if self.changed(page.since, page.path):
                return sse("reload", build_id)
            page.since = build_id
            return sse("errors", json.dumps(errors)) if errors else sse("current", build_id)
        return sse("errors", json.dumps(errors)) if errors else None


def sse(event: str, data: str) -> bytes:
    return f"event: {event}\ndata: {data}\n\n".encode("utf-8")


def ends_stream(event: bytes | None) -> bool:
    """After "reload" or "current" the stream ends: the page connects again, as of the build it has."""
    return event is not None and event.startswith((b"event: reload\n", b"event: current\n"))


# ---------------------------------------------------------------- HTTP


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams never hold up the exit
    block_on_close = False
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], site: Site, events: Events):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.site, self.events = site, events
        self.bind_name = address[0]  # as given to --bind (e.g. localhost)
        super().__init__(address, PreviewHandler)

    def accepts(self, host: str | None, local_address: str) -> bool:
        """Whether a request that reached local_address is addressed to this server by its Host."""
        bound, port = self.server_address[:2]
        return host is not None and host.lower() in hosts.accepted_hosts(port, bound, self.bind_name, local_address)

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away mid-request (a page closed or reloaded): nothing to report
        super().handle_error(request, client_address)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "edition-preview"
    error_message_format = "%(code)d %(message)s: %(explain)s\n"
    error_content_type = "text/plain; charset=utf-8"

    def parse_request(self) -> bool:
        """The request line and headers, refused with 414 when the line is absurdly long and with
        421 when the Host is not this server's (see hosts.py)."""
        if not super().parse_request():  # the headers are read first: replying before would reset the connection
            return False
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        addressed = self.headers.get_all("Host") or []
        if len(addressed) != 1 or not self.server.accepts(addressed[0], self.connection.getsockname()[0]):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, explain="this preview answers only to its own address")
            return False
        return True

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/__livereload":
            self.stream_events()
        else:
            self.send_reply(*self.reply_for(path))

    def do_HEAD(self) -> None:
        self.send_reply(*self.reply_for(self.path.split("?", 1)[0]), head=True)

    def reply_for(self, path: str) -> tuple[Reply, str]:
        if path == "/__livereload.js":
            script = LIVERELOAD_JS.replace("__BUILD_ID__", json.dumps(self.server.site.build_id))
            return Reply(200, script.encode("utf-8"), "text/javascript; charset=utf-8"), ""
        return self.server.site.lookup(path)

    def send_reply(self, reply: Reply, build_id: str, head: bool = False) -> None:
        """The reply; a file the browser already holds (its ``If-None-Match``) is answered 304."""
        tag = entity_tag(reply.body) if reply.status == 200 else None
        unchanged = tag is not None and tag in self.headers.get("If-None-Match", "")
        self.send_response(304 if unchanged else reply.status)
        self.send_header("Content-Type", reply.content_type)
        if tag:
            self.send_header("ETag", tag)
        if not unchanged:  # a 304 has no body, and its length is the one the browser holds
            self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-cache" if tag else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if build_id:
            self.send_header("Server-Timing", f'livereload;desc="{build_id}"')
        if reply.location:
            self.send_header("Location", reply.location)
        self.end_headers()
        if not head and not unchanged:
            self.wfile.write(reply.body)

    def stream_events(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        since, path = query.get("since", [""])[0], query.get("page", [""])[0]
        events = self.server.events
        version, build_id, errors = events.snapshot()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        page = events.connected(since, path)
        try:
            self.wfile.write(b"retry: 500\n\n")
            sent = events.event_for(page, build_id, errors)
            self.wfile.write(sent or b": connected\n\n")
            while not ends_stream(sent):
                if events.wait_after(version, KEEPALIVE):
                    version, build_id, errors = events.snapshot()
                    sent = events.event_for(page, build_id, errors)
                    if sent:
                        self.wfile.write(sent)
                else:
                    self.wfile.write(b": keepalive\n\n")
        except OSError:  # the page was closed
            return
        finally:  # after a reload the stream ends: the page reloads and connects again from the new
            events.disconnected(page)  # build, so the open pages are counted right (Events.good_and_shown)

    def log_message(self, format: str, *args) -> None:
        pass  # one line per rebuild is all the terminal shows


def open_server(bind: str, port: int, site: Site, events: Events) -> PreviewServer | None:
    """The listening server, or None after one line on stderr saying why not."""
    try:
        return PreviewServer((bind, port), site, events)
    except OverflowError:
        say(f"error: port {port} is out of range (0-65535)", sys.stderr)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            say(f"error: port {port} on {bind} is already in use; try --port {port + 1}", sys.stderr)
        else:
            say(f"error: cannot listen on {bind} port {port}: {exc.strerror or exc}", sys.stderr)
    return None


def warn_if_reachable(server: PreviewServer) -> None:
    """A server not bound to a loopback address can be read from other machines: say so, and where."""
    bound, port = server.server_address[:2]
    if hosts.is_local_only(bound):
        return
    urls = " ".join(f"http://{hosts.in_url(address)}:{port}/" for address in hosts.listening_addresses(bound))
    say(f"warning: --bind {server.bind_name} makes the preview reachable from the network: anyone who can "
        f"reach this machine can read the site; listening on {urls}", sys.stderr)


def address_url(server: PreviewServer) -> str:
    host, port = server.server_address[:2]
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


# ---------------------------------------------------------------- rebuilding


class Builder:
    """Rebuilds once the sources have been quiet for DEBOUNCE seconds; one build at a time."""

    def __init__(self, project: Path, site: Site, events: Events):
        self.project, self.site, self.events = project, site, events
        self.changed = threading.Event()
        self.pending: set[str] = set()
        self.pending_lock = threading.Lock()
        self.stopping = False
        self.count = 0
        self.warnings: list[str] = []
        self.cache = pipeline.BuildCache()  # what one build keeps for the next (cache.py)
        self.before_build: Callable[[], None] = lambda: None  # the watcher's (SourceWatcher.before_build)
        self.thread = threading.Thread(target=self.run, name="rebuild", daemon=True)

    def notify(self, relative: str) -> None:
        with self.pending_lock:
            self.pending.add(relative)
        self.changed.set()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping = True
        self.changed.set()

    def run(self) -> None:
        while True:
            self.changed.wait()
            self.settle()
            if self.stopping:
                return
            try:
                self.run_build(self.take_pending())
            except Exception:  # a bug outside the build (putting the last good site back, the summary):
                traceback.print_exc()  # said, and the next save builds again

    def settle(self) -> None:
        """Return once no change has come for DEBOUNCE seconds."""
        while True:
            self.changed.clear()
            if not self.changed.wait(DEBOUNCE) or self.stopping:
                return

    def take_pending(self) -> list[str]:
        with self.pending_lock:
            changed, self.pending = sorted(self.pending), set()
        return changed

    def run_build(self, changed: list[str] | None = None) -> bool:
        """Build and publish; on failure report and leave the served site as it was (if the
        failure came after the pages were published, the previous site is published again)."""
        started = time.perf_counter()
        last_good = (self.site.files, self.site.build_id)
        try:
            first = self.show_reports_first(changed)  # (the watcher's walk for links can wait for the build)
            self.before_build()
            result = pipeline.build(self.project, base_url="/", cache=self.cache, defer=True, keep_compiled=True)
            build_id = self.next_build_id()
            self.site.publish(result.files, build_id, result.deferred)
            if self.count == 1:
                # What the first build keeps (every page, every parsed report) lives as long as the
                # server: the cyclic collector need not scan it again, which would pause serving.
                gc.freeze()
            shown = time.perf_counter() - started
            if result.pending:  # the open pages reload now; then what is made from the whole edition
                self.events.good_and_shown(build_id, PAGES_WAIT)  # (requests for it wait)
                whole = self.next_build_id()  # a build of its own, so that an open page it changes (a Data
                self.site.publish(result.pending(), whole)  # page: the files' sizes) reloads too, and no other
                self.events.good(whole)
            else:
                self.events.good(build_id)
        except BuildFailed as failed:
            self.site.restore(*last_good)
            problems = failed.problems
            self.failed([str(p) for p in problems.sorted()], [str(p) for p in problems.errors])
            return False
        except Exception as exc:  # a template error, an undecodable source or a bug: reported like a problem
            self.site.restore(*last_good)
            crash = crashes.explain(exc, self.project, changed)
            if not crash.in_sources:
                traceback.print_exc()
            self.failed(crash.lines, crash.lines)
            return False
        self.succeeded(result, shown, changed, time.perf_counter() - started - shown if result.pending else None, first)
        return True

    def next_build_id(self) -> str:
        """A new build's id, unique to this server (its process) and counting up."""
        self.count += 1
        return f"{os.getpid()}.{self.count}"

    def show_reports_first(self, changed: list[str] | None) -> float | None:
        """After a save of report texts only, publish those reports' own pages and files at once,
        every other file of the site waiting (a request for it is answered once the build that
        follows has made it: Site.lookup); the open pages they changed reload now. The seconds it
        took, or None if the save was not of that kind (pipeline.reports_alone)."""
        started = time.perf_counter()
        try:
            files = pipeline.reports_alone(self.project, self.cache, changed) if changed and self.site.files else None
        except Exception:  # whatever it is, the rebuild meets it too and reports it
            files = None
        if not files:
            return None
        shown = {*files, *page_assets(self.site.files)}
        build_id = self.next_build_id()
        self.site.publish(files, build_id, AllBut(frozenset(shown)))
        self.events.good_and_shown(build_id, PAGES_WAIT)
        return time.perf_counter() - started

    def failed(self, lines: list[str], errors: list[str]) -> None:
        self.cache.made_with = None
        for line in lines:
            say(line, sys.stderr)
        say(f"[{clock()}] build failed: {count(len(errors), 'error')}; still serving the last good site", sys.stderr)
        self.events.broken(errors, self.site.build_id)

    def succeeded(self, result, seconds: float, changed: list[str] | None, index_seconds: float | None,
                  first: float | None = None) -> None:
        warnings = [str(p) for p in result.problems.warnings]
        if warnings != self.warnings:
            for line in warnings:
                say(line, sys.stderr)
            self.warnings = warnings
        pages = sum(1 for name in self.site.files or () if name.endswith(".html"))
        if changed is None:
            done = f"built {count(pages, 'page')} in {seconds:.2f}s"
        else:  # only the pages whose inputs changed were rendered again
            rendered = self.cache.rendered
            done = (f"rebuilt {count(rendered, 'page')} in {seconds:.2f}s after {describe(changed)} "
                    f"(the other {pages - rendered} unchanged)")
        if first is not None:
            done += f"; its own pages shown first, after {first:.2f}s"
        index = f"; search index and data files updated {index_seconds:.2f}s later" if index_seconds is not None else ""
        say(f"[{clock()}] {done}{index}; {count(len(warnings), 'warning')}")


def describe(changed: list[str]) -> str:
    if not changed:
        return "a change"
    return changed[0] if len(changed) == 1 else f"{changed[0]} and {len(changed) - 1} more"


# ---------------------------------------------------------------- watching


class SourceWatcher(FileSystemEventHandler):
    """Tells the builder which source changed; ignores noise, reads and the output folder.
    A source may be a symbolic link to a file elsewhere in the project (the build reads what it
    leads to): a save there is told as a save of the link (``follow_links``)."""

    def __init__(self, project: Path, out: Path, notify, observer: Observer | None = None):
        self.project, self.out, self.notify, self.observer = project, out, notify, observer
        self.links: dict[Path, str] = {}  # where a link among the sources leads -> the link's project-relative name
        self.followed: set[tuple[Path, bool]] = set()  # the folders watched for them: (folder, recursive)
        self.folders: dict[str, tuple] = {}  # content, templates -> (its watch, its (device, inode) then)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in (EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE):
            return  # the build itself reading the sources
        if event.is_directory and event.event_type in (EVENT_TYPE_DELETED, EVENT_TYPE_MOVED):
            self.folder_gone(os.fsdecode(event.src_path))
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a file inside changed: that file's own event decides
        # (a folder's own attributes changing is its only event of a chmod: the build cannot
        # read a folder without permission, an error, and reads it again once it has it)
        for path in (event.dest_path, event.src_path):  # a save by rename: the final name first
            relative = self.source(os.fsdecode(path)) if path else None
            if relative:
                self.notify(relative)
                return

    def source(self, path: str) -> str | None:
        """The project-relative name of path if it is a watched source, else None."""
        path = Path(path)
        if path == self.out or self.out in path.parents or not path.is_relative_to(self.project):
            return None
        relative = path.relative_to(self.project)
        if watched_source(relative):
            return relative.as_posix()
        return self.linked(path)

    def linked(self, path: Path) -> str | None:
        """The name of the source whose link leads to ``path``, to a folder holding it, or through it
        (a folder on the way made again: the build that follows watches it), if any."""
        for target, name in self.links.items():
            if path == target or target in path.parents or (path in target.parents and path != self.project):
                return name
        return None

    def before_build(self) -> None:
        """What the builder asks before each build: that content/ and templates/ be watched as
        they are now (``watch_folders``), and where the sources' links lead (``follow_links``)."""
        try:
            self.watch_folders()
            self.follow_links()
        except (OSError, RuntimeError) as exc:  # the system's limit of watches, the observer stopping:
            say(f"warning: cannot watch the sources ({exc})", sys.stderr)  # the next build tries again

    def folder_gone(self, path: str) -> None:
        """content/ or templates/ removed or moved away: its watch ended with it, and the folder
        made in its place (which may have its inode) is watched anew (``watch_folders``)."""
        gone = Path(path)
        for name in WATCHED_FOLDERS:
            if gone == self.project / name:
                self.folders.pop(name, None)
        self.followed = {watch for watch in self.followed if watch[0] != gone and gone not in watch[0].parents}

    def watch_folders(self) -> None:
        """Watch content/ and templates/ (all they hold), each anew when it was made anew: a watch
        ends with its folder, so that once templates/ was removed and made again (rm -r and a copy,
        a checkout) or content/ made after the preview started, no save in it was seen again."""
        if self.observer is None:
            return
        for name in WATCHED_FOLDERS:
            folder = self.project / name
            try:
                found = os.stat(folder)
            except OSError:
                continue
            made = (found.st_dev, found.st_ino)
            kept = self.folders.get(name)
            if not stat.S_ISDIR(found.st_mode) or (kept and kept[1] == made):
                continue
            self.folders[name] = (self.schedule(folder, True), made)

    def schedule(self, folder: Path, recursive: bool):
        """A new watch of ``folder``, any earlier one unscheduled first (it may have ended with the
        folder it watched: the observer would take the new one for it and watch nothing)."""
        for ended in [emitter.watch for emitter in self.observer.emitters if Path(emitter.watch.path) == folder]:
            with contextlib.suppress(KeyError):
                self.observer.unschedule(ended)
        return self.observer.schedule(self, str(folder), recursive=recursive)

    def follow_links(self) -> None:
        """Learn again where the sources' links lead (before each build: a link made or removed
        since is a save among the sources) and watch each place that is not a watched source itself
        (drafts/mosul.yaml, a hidden .drafts/ folder): a save there changes what the build reads,
        and no event of content/ or templates/ tells of it (the preview went on showing the old entity)."""
        self.links = link_targets(self.project)
        if self.observer is None:
            return
        for target in self.links:
            watch = (target, True) if target.is_dir() else (target.parent, False)
            if watch in self.followed:
                continue
            try:
                self.schedule(*watch)
            except OSError:  # gone again, or the system's limit of watches: the next build tries again
                continue
            self.followed.add(watch)


def watched_source(relative: Path) -> bool:
    """Whether a project-relative path is a source the watcher sees saves of where it lies:
    config.yaml, or a path of content/ or templates/ that the build does not pass over (never_read)."""
    if relative == Path("config.yaml"):
        return True
    watched = bool(relative.parts) and relative.parts[0] in WATCHED_FOLDERS
    return watched and not never_read(relative.parts)


def link_targets(project: Path) -> dict[Path, str]:
    """Where each symbolic link among the watched sources (config.yaml included) leads, with the
    link's project-relative name, when that place is in the project but not a watched source itself.
    (A link out of the project is an error of the build, safety.check_tree; a link's own save, made
    or removed, is an event of its folder.)"""
    found: dict[Path, str] = {}
    top = Path(os.path.realpath(project))
    links = [project / "config.yaml"] if (project / "config.yaml").is_symlink() else []
    for name in WATCHED_FOLDERS:
        links += links_under(project / name, (name,))
    for link in links:
        target = Path(os.path.realpath(link))
        if inside(target, top) and not watched_source(target.relative_to(top)):
            found.setdefault(target, link.relative_to(project).as_posix())
    return found


def start_watching(project: Path, out: Path, notify) -> tuple[Observer, SourceWatcher] | None:
    """The observer started, and its handler (whose ``before_build`` the builder calls before each build)."""
    observer = Observer()
    observer.daemon = True
    handler = SourceWatcher(project, out, notify, observer)
    try:
        handler.watch_folders()
        observer.schedule(handler, str(project), recursive=False)  # config.yaml
        observer.start()
    except OSError as exc:  # e.g. the system's limit of inotify watches
        say(f"warning: cannot watch the sources ({exc}); serving without rebuilds", sys.stderr)
        return None
    return observer, handler


def links_under(folder: Path, parts: tuple[str, ...]) -> list[Path]:
    """The symbolic links under ``folder`` (``parts``: its path in the project) that the build does
    not pass over (never_read); a folder's entries tell which are links without a system call per
    file, as the build's own walk does (safety.check_tree)."""
    found: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # gone, or not a folder, or unreadable (the build says so)
        return found
    for entry in entries:
        inner = (*parts, entry.name)
        if never_read(inner):
            continue
        try:
            if entry.is_symlink():
                found.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                found += links_under(Path(entry.path), inner)
        except OSError:
            continue
    return found


# ---------------------------------------------------------------- the command


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop the server, however it was started. A shell without job
    control starts a background command with SIGINT ignored, and Python then never turns SIGINT
    into KeyboardInterrupt: such a server would outlive a Ctrl-C sent to it by the script that
    started it. (Hugo's server does the same, through Go's signal.Notify.)"""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, interrupt)


def serve(args) -> int:
    """build.py --serve: 0 after Ctrl-C, 1 if the port cannot be opened or another process
    writes the output folder (the preview holds it, so that no build swaps a tree under it)."""
    project = args.project.resolve()
    site = Site(args.out or project / "site")
    try:
        with output.claimed(site.folder, "build.py --serve"):
            return serve_site(args, project, site)
    except output.OutputBusy as busy:
        say(f"error: the output folder '{site.folder}' {busy}: stop that process, or preview into "
            "another folder with --out", sys.stderr)
        return 1


def serve_site(args, project: Path, site: Site) -> int:
    events = Events(site.changed_since)
    server = open_server(args.bind, args.port, site, events)
    if server is None:
        return 1
    warn_if_reachable(server)
    builder, observer = Builder(project, site, events), None
    stop_on_signals()
    try:
        watching = start_watching(project, site.folder, builder.notify)
        if watching is not None:
            observer, builder.before_build = watching[0], watching[1].before_build
        builder.run_build()
        builder.start()
        url = address_url(server)
        say(f"serving {site.folder} at {url} (Ctrl-C to stop)")
        if args.open:
            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C does not break the shutdown
        stop(server, observer, builder, site)
    say("stopped.")
    return 0


def stop(server: PreviewServer, observer: Observer | None, builder: Builder, site: Site) -> None:
    server.server_close()
    if observer is not None:
        observer.stop()
    builder.stop()
    site.lock.acquire(timeout=10)  # let a site swap in progress finish; none starts after this
