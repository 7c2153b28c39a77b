"""build.py --serve: a live preview that rebuilds on save, reloads the open pages, survives broken
edits and serves nothing outside the output folder. Each test runs the real command on a free
port against a copy of the fixture project."""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from edition.problems import BuildFailed

ROOT = Path(__file__).resolve().parent.parent

EN = "content/reports/sample/en.md"
MOSUL = "content/annotations/mosul.yaml"
PAGE = "/en/reports/sample/"
PARAGRAPH = "the group subject to the Coalition is at work."  # of "Kerry noted that …" in en.md p2
GOOD_YAML, BROKEN_YAML = "name: {ar: الموصل, en: Mosul}", "name: {ar: الموصل, en: Mosul"
YAML_ERROR = "content/annotations/mosul.yaml:4:6: error: invalid YAML"
STARTUP, WAIT = 30, 10  # seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class Server:
    """build.py --serve as a subprocess; its output lines are collected as they come."""

    def __init__(self, project: Path, port: int, *options: str, launcher: tuple[str, ...] = ()):
        self.project, self.port = project, port
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.proc = subprocess.Popen(
            [*launcher, sys.executable, str(ROOT / "build.py"), "--serve", "--project", str(project), "--port", str(port), *options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    @property
    def output(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def wait_for(self, pattern: str, count: int = 1, timeout: float = WAIT) -> list[str]:
        """Wait until `count` output lines match the regular expression; return them."""
        def matching():
            return [line for line in self.lines if re.search(pattern, line)]
        with self.changed:
            if not self.changed.wait_for(lambda: len(matching()) >= count, timeout):
                pytest.fail(f"no {count} line(s) matching {pattern!r} in {timeout}s; output:\n{self.output}")
            return matching()

    def count(self, pattern: str) -> int:
        with self.changed:
            return sum(1 for line in self.lines if re.search(pattern, line))

    def request(self, path: str, method: str = "GET", host: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        """A request with the path sent exactly as given (http.client does not normalize it), and
        the Host header given (none for ""), else http.client's own (127.0.0.1:port)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            conn.putrequest(method, path, skip_host=host is not None)
            if host:
                conn.putheader("Host", host)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def get(self, path: str) -> bytes:
        status, _, body = self.request(path)
        assert status == 200, (path, status)
        return body

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=WAIT)


def next_change(stream: "EventStream", port: int, page: str) -> tuple["EventStream", str, str]:
    """The next event that is not "current", connecting again after each "current" as the page's
    script does (a build's later part, which left the page as it was, says "current" first)."""
    for _ in range(5):
        event, build = stream.next()
        if event != "current":
            return stream, event, build
        assert stream.ended()
        stream.close()
        stream = EventStream(port, since=build, page=page)
    raise AssertionError("only 'current' events")


class EventStream:
    """A client of /__livereload. Once constructed, it is subscribed: later builds reach it."""

    def __init__(self, port: int, since: str = "", page: str = ""):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.conn.request("GET", f"/__livereload?since={since}&page={page}")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        assert self._block() == [("retry", "500")]

    def _block(self) -> list[tuple[str, str]]:
        """The fields of the next block of the stream (up to a blank line), comments left out."""
        fields = []
        while True:
            line = self.response.readline().decode("utf-8")
            assert line, "the event stream closed"
            line = line.rstrip("\n")
            if not line:
                if fields:
                    return fields
                continue
            if not line.startswith(":"):
                name, _, value = line.partition(":")
                fields.append((name, value.strip()))

    def next(self) -> tuple[str, str]:
        """The next event as (name, data); fails after WAIT seconds of silence."""
        fields = dict(self._block())
        return fields["event"], fields["data"]

    def ended(self) -> bool:
        """Whether the server ends the stream now (comments aside); fails after WAIT seconds."""
        while line := self.response.readline():
            if not line.startswith(b":") and line.strip():
                return False
        return True

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def project(mini) -> Path:
    # the build takes lunr.js from the project's node_modules (conftest links it in)
    if (ROOT / "node_modules").is_dir() and not (mini / "node_modules").exists():
        (mini / "node_modules").symlink_to(ROOT / "node_modules")
    return mini


@pytest.fixture
def server(project):
    running = Server(project, free_port())
    try:
        running.wait_for(r"^serving ", timeout=STARTUP)
        yield running
    finally:
        running.stop()


def rebuilds(server: Server) -> int:
    return server.count(r"\] rebuilt \d+ pages? in ")


# ---------------------------------------------------------------- rebuild and reload


def test_an_edit_is_served_and_open_pages_are_told_to_reload(server, project):
    assert PARAGRAPH.encode() in server.get(PAGE)
    stream = EventStream(server.port)
    try:
        edit(project, EN, PARAGRAPH, "the working group is at work already.")
        event, data = stream.next()
        assert event == "reload"
        page = server.get(PAGE)
        assert b"the working group is at work already." in page
        assert PARAGRAPH.encode() not in page
        rebuilt = server.wait_for(r"\] rebuilt \d+ pages? in [\d.]+s after content/reports/sample/en\.md")[0]
        rendered, unchanged = map(int, re.search(r"rebuilt (\d+) pages? .* \(the other (\d+) unchanged\)", rebuilt).groups())
        total = int(re.search(r"\] built (\d+) pages in ", server.wait_for(r"\] built ")[0]).group(1))
        assert 2 <= rendered < total and rendered + unchanged == total  # the report's two pages and a few more
        assert "its own pages shown first" in rebuilt  # the reload came before the build was done
        _, headers, _ = server.request(PAGE)
        latest = re.fullmatch(r'livereload;desc="(.+)"', headers["Server-Timing"]).group(1)
        assert latest != data
    finally:
        stream.close()
    reloaded = EventStream(server.port, since=data, page=PAGE)  # the build that followed left the page as shown
    try:
        assert reloaded.next() == ("current", latest) and reloaded.ended()
    finally:
        reloaded.close()


def test_an_open_data_page_reloads_when_what_comes_after_the_pages_changes_it(server, project):
    """The Data pages (which give every file's size) are made after the pages are shown: an open one
    is told to reload once they are, not left showing the sizes of the build before."""
    data = "/en/data/"
    before = server.get(data)
    _, headers, _ = server.request(data)
    since = re.fullmatch(r'livereload;desc="(.+)"', headers["Server-Timing"]).group(1)
    stream = EventStream(server.port, since=since, page=data)
    try:
        edit(project, EN, PARAGRAPH, "the working group is at work already. " * 60)
        stream, event, _build = next_change(stream, server.port, data)  # the report's pages first leave it as it was
        assert event == "reload"
    finally:
        stream.close()
    assert server.get(data) != before


def test_a_page_told_to_reload_is_not_waited_for_twice(server, project):
    """The server ends a page's event stream once it has told it to reload: the page connects
    again from the new build. So the next build counts the open pages right, and what it makes
    after its pages waits only until that page has reloaded, not PAGES_WAIT for a page long gone."""
    from edition.serve import PAGES_WAIT
    stream, text = EventStream(server.port, page=PAGE), PARAGRAPH
    try:
        for save in (1, 2, 3):
            edit(project, EN, text, text := f"the working group met {save} times.")
            stream, event, build = next_change(stream, server.port, PAGE)
            assert event == "reload"
            assert stream.ended()
            stream.close()
            stream = EventStream(server.port, since=build, page=PAGE)  # the reloaded page
            done = server.wait_for(r"search index and data files updated [\d.]+s later", count=save)[-1]
            later = float(re.search(r"updated ([\d.]+)s later", done).group(1))
            assert later < PAGES_WAIT, done
            event, build = stream.next()  # the page was shown first: the build that followed left it as it was
            assert event == "current" and stream.ended()
            stream.close()
            stream = EventStream(server.port, since=build, page=PAGE)
    finally:
        stream.close()


def test_a_file_the_browser_holds_is_revalidated_and_never_served_stale(server, project):
    status, headers, page = server.request(PAGE)
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    tag = headers["ETag"]
    css_status, css_headers, _ = server.request("/assets/style.css")
    assert css_status == 200
    status, again, body = server.request(PAGE, headers={"If-None-Match": tag})
    assert (status, body) == (304, b"") and again["ETag"] == tag
    assert server.request("/assets/style.css", headers={"If-None-Match": css_headers["ETag"]})[0] == 304
    stream = EventStream(server.port)
    try:
        edit(project, EN, PARAGRAPH, "the working group is at work already.")
        assert stream.next()[0] == "reload"
    finally:
        stream.close()
    status, headers, body = server.request(PAGE, headers={"If-None-Match": tag})
    assert status == 200 and headers["ETag"] != tag
    assert b"the working group is at work already." in body
    assert server.request("/assets/style.css", headers={"If-None-Match": css_headers["ETag"]})[0] == 304


def test_a_page_from_an_older_build_is_told_to_reload_at_once(server):
    _, headers, _ = server.request(PAGE)
    current = re.fullmatch(r'livereload;desc="(.+)"', headers["Server-Timing"]).group(1)
    stream = EventStream(server.port, since="an-older-build")
    try:
        assert stream.next() == ("reload", current)
    finally:
        stream.close()


def test_a_broken_edit_keeps_the_last_good_site_and_reports_until_fixed(server, project):
    before = server.get(PAGE)
    stream = EventStream(server.port)
    try:
        edit(project, MOSUL, GOOD_YAML, BROKEN_YAML)
        event, data = stream.next()
        assert event == "errors"
        errors = json.loads(data)
        assert any(line.startswith(YAML_ERROR) for line in errors), errors
        assert server.wait_for(re.escape(YAML_ERROR))
        assert server.wait_for(r"\] build failed: 1 error; still serving the last good site")
        assert server.proc.poll() is None
        assert server.get(PAGE) == before
        assert server.get("/en/entities/mosul/")

        late = EventStream(server.port)  # a page opened while the build is broken hears at once
        try:
            event, data = late.next()
            assert event == "errors" and json.loads(data) == errors
        finally:
            late.close()

        edit(project, MOSUL, BROKEN_YAML, GOOD_YAML)
        assert stream.next()[0] == "reload"
        assert server.wait_for(r"\] rebuilt \d+ pages? in .* after content/annotations/mosul\.yaml")
    finally:
        stream.close()
    assert "Traceback" not in server.output


def test_a_template_error_is_reported_at_its_line_and_the_server_keeps_serving(server, project):
    before = server.get(PAGE)
    stream = EventStream(server.port)
    try:
        edit(project, "templates/report.html", "", "{% if %}\n")
        event, data = stream.next()
        assert event == "errors"
        assert json.loads(data)[0].startswith("templates/report.html:1:1: error: TemplateSyntaxError"), data
        assert server.wait_for(r"^templates/report\.html:1:1: error: TemplateSyntaxError")
        assert server.get(PAGE) == before
        edit(project, "templates/report.html", "{% if %}\n", "")
        assert stream.next()[0] == "reload"
    finally:
        stream.close()
    assert "Traceback" not in server.output


def test_a_source_that_is_not_utf8_is_shown_at_its_bad_byte(server, project):
    stream = EventStream(server.port)
    try:
        good = (project / MOSUL).read_bytes()
        (project / MOSUL).write_bytes(good.replace(b"Mosul}", b"Mosul} \xff"))  # line 3, after 30 characters
        event, data = stream.next()
        assert event == "errors"
        first = json.loads(data)[0]
        assert first.startswith("content/annotations/mosul.yaml:3:31: error: "), first
        assert "frozen" not in data and "codecs" not in data
        assert server.wait_for(r"^content/annotations/mosul\.yaml:3:31: error: ")
        (project / MOSUL).write_bytes(good)
        assert stream.next()[0] == "reload"
    finally:
        stream.close()
    assert "Traceback" not in server.output


def test_an_exception_from_inside_python_is_shown_at_a_real_file(tmp_path):
    from edition.crashes import explain
    (tmp_path / "outside.txt").write_bytes(b"caf\xe9")  # not a source of the project
    try:
        (tmp_path / "outside.txt").read_text(encoding="utf-8")  # raised in <frozen codecs>
    except UnicodeDecodeError as exc:
        crash = explain(exc, tmp_path / "project", ["content/x.md"])
    assert not crash.in_sources  # a bug to report, with its traceback
    [line] = crash.lines
    assert re.match(r"tests/test_serve\.py:\d+:1: error: UnicodeDecodeError: 'utf-8' codec can't decode", line), line


def test_the_bad_byte_is_counted_in_characters():
    from edition.crashes import first_bad_byte
    assert first_bad_byte("id: x\nname: الموصل".encode() + b"\xff\n") == (2, 13, 0xff)
    assert first_bad_byte(b"\xc3(") == (1, 1, 0xc3)
    assert first_bad_byte("ok: نعم\n".encode()) is None


def test_five_quick_saves_make_one_rebuild(server, project):
    path = project / EN
    text = path.read_text(encoding="utf-8")
    for n in range(5):
        path.write_text(text.replace(PARAGRAPH, f"the group is at work, save {n}."), encoding="utf-8")
        time.sleep(0.03)
    server.wait_for(r"\] rebuilt ", timeout=WAIT)
    time.sleep(1.0)  # far beyond the debounce: a second rebuild would have come by now
    assert rebuilds(server) == 1, server.output
    assert b"at work, save 4." in server.get(PAGE)


NOISE = ["content/reports/sample/.en.md.swp", "content/reports/sample/.en.md.swx", "content/reports/sample/4913",
         "content/reports/sample/en.md~", "content/reports/sample/.#en.md", "templates/__pycache__/x.pyc",
         "content/.hidden/notes.md", "templates/static/.style.css.swp"]


def test_editor_noise_triggers_no_rebuild(server, project):
    for relative in NOISE:
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text("noise\n", encoding="utf-8")
    (project / "site" / "stray.html").write_text("written into the output folder", encoding="utf-8")
    time.sleep(1.0)
    assert rebuilds(server) == 0, server.output
    edit(project, "templates/static/style.css", "", "/* a real save */\n")  # the watcher is alive
    server.wait_for(r"\] rebuilt .* after templates/static/style\.css")


# What a contributor or an editor may put among the sources: (path, how to make it). Each is
# either read by the build or passed over by it, and the preview's watcher must tell which.
def _copy_of_the_report(path: Path) -> None:
    shutil.copytree(path.parent / "sample", path)


def _broken_yaml(path: Path) -> None:
    path.write_text("id: [\n", encoding="utf-8")


def _dangling_lock(path: Path) -> None:
    path.symlink_to("root@host.1234:1700000000")  # how Emacs marks a file being edited


def _text(path: Path) -> None:
    path.write_text("/* x */\n", encoding="utf-8")


SOURCES_OR_NOT = [("content/reports/4913", _copy_of_the_report), ("content/reports/x~", _copy_of_the_report),
                  ("content/reports/__pycache__", _copy_of_the_report), ("content/reports/.draft", _copy_of_the_report),
                  ("content/reports/sample/en.md~", _text), ("content/annotations/#x.yaml", _broken_yaml),
                  ("content/annotations/#x.yaml#", _broken_yaml), ("content/annotations/.#mosul.yaml", _dangling_lock),
                  ("templates/.#base.html", _dangling_lock), ("templates/static/#x.css", _text),
                  ("templates/static/x.css~", _text), ("templates/static/4913", _text)]


def outcome(project: Path):
    from edition.pipeline import build
    try:
        return build(project).files
    except BuildFailed as failed:
        return [str(problem) for problem in failed.problems.sorted()]


@pytest.mark.parametrize("relative, make", SOURCES_OR_NOT, ids=[relative for relative, _ in SOURCES_OR_NOT])
def test_the_preview_watches_exactly_what_the_build_reads(project, relative, make):
    """A path the watcher passes over must not change what a build makes, or the preview would go
    on showing a site that a build no longer makes: a report folder named 4913 was never rebuilt,
    and a folder x~ (an error) left the preview serving the last site as good."""
    from edition.serve import SourceWatcher
    before = outcome(project)
    make(project / relative)
    read = outcome(project) != before
    watcher = SourceWatcher(project, project / "site", lambda name: None)
    changed = [project / relative, *([project / relative / "en.md"] if (project / relative).is_dir() else [])]
    noticed = [watcher.source(str(path)) for path in changed]  # the folder made or removed; a save in it
    assert noticed == ([path.relative_to(project).as_posix() for path in changed] if read else [None] * len(changed))



def _linked_elsewhere(project: Path, source: str, kept: str) -> Path:
    """``source`` replaced by a symbolic link to a copy of it at ``kept`` (another place in the project)."""
    path, target = project / source, project / kept
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(os.path.relpath(target, path.parent))
    return target


LINKED_ELSEWHERE = [("content/annotations/mosul.yaml", "drafts/mosul.yaml"),  # outside content/ and templates/
                    ("content/annotations/mosul.yaml", "content/annotations/.drafts/mosul.yaml"),  # hidden
                    ("config.yaml", "configs/preview.yaml"), ("templates/static/style.css", "assets/style.css")]


@pytest.mark.parametrize("source, kept", LINKED_ELSEWHERE, ids=[kept for _, kept in LINKED_ELSEWHERE])
def test_the_preview_watches_where_a_sources_link_leads(project, source, kept):
    """A source may be a link to a file elsewhere in the project, which the build reads: a save
    there is a save of the source (the watcher passed over it, and the preview went on showing the
    old text)."""
    from edition.serve import SourceWatcher
    target = _linked_elsewhere(project, source, kept)
    before = outcome(project)
    target.write_text(target.read_text(encoding="utf-8").replace("Mosul", "Mosul city").replace(
        "base_url:", "title: {ar: نشرة, en: An edition}\nbase_url:") + "\n/* saved */\n", encoding="utf-8")
    assert outcome(project) != before  # the build reads it
    watcher = SourceWatcher(project, project / "site", lambda name: None)
    watcher.follow_links()
    assert watcher.source(str(target)) == source
    assert watcher.source(str(target.parent)) == source  # the folder it lies in made again


def test_a_save_where_a_sources_link_leads_is_rebuilt(project):
    """The live preview watches the place a source's link leads to, from its first build on."""
    target = _linked_elsewhere(project, "content/annotations/mosul.yaml", "drafts/mosul.yaml")
    running = Server(project, free_port())
    try:
        running.wait_for(r"^serving ", timeout=STARTUP)
        assert b"A city in northern Iraq" in running.get("/en/entities/mosul/")
        edit(project, "drafts/mosul.yaml", "A city in northern Iraq.", "A city on the Tigris.")
        running.wait_for(r"\] rebuilt .* after content/annotations/mosul\.yaml")
        assert b"A city on the Tigris" in running.get("/en/entities/mosul/")
        text = target.read_text(encoding="utf-8")  # the folder made anew: watched anew
        shutil.rmtree(target.parent)
        target.parent.mkdir()
        target.write_text(text.replace("A city on the Tigris.", "A city on both banks."), encoding="utf-8")
        running.wait_for(r"\] rebuilt .* after content/annotations/mosul\.yaml", count=2)
        edit(project, "drafts/mosul.yaml", "A city on both banks.", "A city of Nineveh.")
        running.wait_for(r"\] rebuilt .* after content/annotations/mosul\.yaml", count=3)
        assert b"A city of Nineveh" in running.get("/en/entities/mosul/")
    finally:
        running.stop()


def test_the_preview_rebuilds_when_a_folders_permission_changes(project, monkeypatch):
    """A folder made unreadable (chmod) makes the build fail, and made readable again lets it
    succeed; the folder's change of attributes is the only event of it, which the watcher passed
    over, so that the preview went on showing a site that a build no longer made (or its failure)."""
    from watchdog.events import DirAttribEvent
    from edition.serve import SourceWatcher
    from test_unreadable import Unreadable
    (project / "content/notes").mkdir()
    before = outcome(project)
    Unreadable(monkeypatch, project / "content/notes")
    assert outcome(project) != before  # the build reads the folder's permission
    noticed = []
    SourceWatcher(project, project / "site", noticed.append).on_any_event(DirAttribEvent(str(project / "content/notes")))
    assert noticed == ["content/notes"]


@pytest.mark.parametrize("how", ["moved in", "copied in"])
def test_a_source_folder_made_anew_is_watched_again(server, project, how):
    """templates/ removed and made again (rm -r and a copy, a checkout): the watch of the old
    folder ended with it, and no save in the new one was seen for the rest of the session. (A
    folder made after the old one was removed may have its inode.)"""
    copy = project.parent / "templates-copy"
    shutil.copytree(project / "templates", copy)
    shutil.rmtree(project / "templates")
    if how == "moved in":
        copy.rename(project / "templates")
    else:
        shutil.copytree(copy, project / "templates")
    server.wait_for(r"\] rebuilt .* after templates")
    before = rebuilds(server)
    edit(project, "templates/static/style.css", "", "/* a save in the new folder */\n")
    server.wait_for(r"\] rebuilt .* after templates/static/style\.css")
    assert b"a save in the new folder" in server.get("/assets/style.css") and rebuilds(server) > before

def test_an_editors_files_among_the_static_assets_are_never_published(server, project):
    """The preview does not watch an editor's backup or swap files, so no build publishes them
    (an Emacs backup style.css~ was copied into the site, and stayed there once deleted)."""
    from edition.pipeline import build
    static = project / "templates/static"
    for name in ("style.css~", "#style.css#", "4913", ".cache/x.css"):
        (static / name).parent.mkdir(exist_ok=True)
        (static / name).write_text("/* an editor's */\n", encoding="utf-8")
    edit(project, "templates/static/style.css", "", "/* a real save */\n")
    server.wait_for(r"\] rebuilt .* after templates/static/style\.css")
    for name in ("style.css~", "%23style.css%23", "4913", ".cache/x.css"):
        assert server.request(f"/assets/{name}")[0] == 404, name
    assert not [path for path in build(project).files if path.startswith("assets/") and "css" in path and
                not path.endswith("style.css")]


# ---------------------------------------------------------------- what is served


TRAVERSALS = ["/../config.yaml", "/%2e%2e/config.yaml", "/%2E%2E/%2e%2e/config.yaml", "/en/../../config.yaml",
              "/..%2fconfig.yaml", "/%2e%2e%2fcontent%2fannotations%2fmosul.yaml", "/escape", "/escape-dir/config.yaml"]


def test_nothing_outside_the_output_folder_is_served(server, project):
    (project / "site" / "escape").symlink_to(project / "config.yaml")
    (project / "site" / "escape-dir").symlink_to(project)
    assert (project / "site" / "escape").read_text(encoding="utf-8")  # the link works on disk
    for path in TRAVERSALS:
        status, _, body = server.request(path)
        assert status in (403, 404), (path, status)
        assert b"base_url" not in body and "الموصل".encode() not in body, path
    assert server.request("/en/../index.html")[0] == 200  # '..' that stays inside is fine


def test_a_404_page_or_a_loop_of_links_reads_nothing_outside_the_site(server, project):
    """A 404.html that is a link out of the site is not followed (the built-in page is served),
    and a link that points at itself is a 404, not a request that dies with a traceback."""
    page = project / "site" / "404.html"
    page.unlink()
    page.symlink_to(project / "config.yaml")
    (project / "site" / "loop").symlink_to("loop")
    for path in ("/no/such/page/", "/loop", "/loop/x"):
        status, _, body = server.request(path)
        assert status == 404, path
        assert b"base_url" not in body and b"<html" in body.lower(), path
    assert "Traceback" not in server.output and "Exception" not in server.output


def test_unknown_paths_get_the_sites_own_404_page(server, project):
    status, headers, body = server.request("/no/such/page/")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    written = (project / "site" / "404.html").read_bytes()
    assert b"__livereload" not in written  # the folder holds what a plain build writes
    assert body == written.replace(b"</head>", b'<script src="/__livereload.js" defer></script>\n</head>', 1)
    assert server.request("/en/reports/nope.html", "HEAD")[0] == 404


def test_folders_serve_their_index_and_redirect_to_the_slash(server, project):
    assert server.get("/en/") == (project / "site/en/index.html").read_bytes().replace(
        b"</head>", b'<script src="/__livereload.js" defer></script>\n</head>', 1)
    status, headers, _ = server.request("/en")
    assert status == 301 and headers["Location"] == "/en/"
    status, headers, _ = server.request("/assets/style.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"


def test_the_reload_script_is_only_in_served_pages(server, project):
    served = server.get(PAGE)
    assert b'<script src="/__livereload.js" defer></script>\n</head>' in served
    for page in (project / "site").rglob("*.html"):  # added as pages are served, never written
        assert b"__livereload" not in page.read_bytes(), page
    script = server.get("/__livereload.js").decode()
    assert "new EventSource(\"/__livereload" in script and "innerHTML" not in script
    server.stop()
    plain = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)],
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    site = project / "site"
    assert not any("livereload" in p.name for p in site.rglob("*"))
    for page in site.rglob("*.html"):
        assert b"__livereload" not in page.read_bytes(), page
    assert not (ROOT / "templates" / "static" / "__livereload.js").exists()


# ---------------------------------------------------------------- on a shared machine


def test_requests_addressed_to_another_host_are_refused(server):
    port = server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        status, _, body = server.request(PAGE, host=host)
        assert status == 200 and PARAGRAPH.encode() in body, host
    # DNS rebinding: another site's name resolving to 127.0.0.1; a wrong port; no port; no Host at all
    for host in (f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", f"localhost:{port + 1}", "localhost",
                 f"localhost:{port}@evil.example", ""):
        for path in (PAGE, "/__livereload", "/__livereload.js"):
            status, headers, body = server.request(path, host=host)
            assert status == 421, (host, path, status)
            assert headers["Content-Type"] == "text/plain; charset=utf-8"
            assert body == b"421 Misdirected Request: this preview answers only to its own address\n", body


def test_the_accepted_hosts_of_a_server_bound_to_every_address():
    from edition.hosts import accepted_hosts
    accepted = accepted_hosts(8000, "0.0.0.0", "0.0.0.0", "192.0.2.7")  # reached on 192.0.2.7
    assert {"192.0.2.7:8000", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"} <= accepted
    assert not {"192.0.2.8:8000", "192.0.2.7", "192.0.2.7:8001", "localhost", "evil.example:8000"} & accepted
    dual_stack = accepted_hosts(8000, "::", "::", "::ffff:192.0.2.7")  # an IPv4 client of an IPv6 socket
    assert {"192.0.2.7:8000", "[::ffff:192.0.2.7]:8000"} <= dual_stack
    assert {"localhost", "127.0.0.1", "localhost:80"} <= accepted_hosts(80, "127.0.0.1", "127.0.0.1", "127.0.0.1")


def read_reply(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_burst_of_200_simultaneous_requests_is_answered_in_full(tmp_path):
    """200 connections wait before the server accepts any (Python's default listen backlog, 5,
    drops all but a few of them), then every one is answered, each on its own thread."""
    from edition.serve import Events, PreviewServer, Site
    (tmp_path / "index.html").write_bytes(b"<!DOCTYPE html><title>home</title>" * 100)
    server = PreviewServer(("127.0.0.1", 0), Site(tmp_path), Events())
    port = server.server_address[1]
    clients, serving = [], threading.Thread(target=server.serve_forever, daemon=True)
    try:
        for _ in range(200):
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=WAIT))
        for client in clients:
            client.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        serving.start()
        with ThreadPoolExecutor(max_workers=50) as pool:
            replies = list(pool.map(read_reply, clients))
    finally:
        for client in clients:
            client.close()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
    expected = (tmp_path / "index.html").read_bytes()
    answered = [reply for reply in replies if reply.startswith(b"HTTP/1.0 200 ") and reply.endswith(expected)]
    assert len(answered) == 200


def reset_after(port: int, request: bytes, read: int) -> None:
    """Send a request, read `read` bytes of the reply, then drop the connection (an RST, as a
    closed tab does)."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(request)
        if read:
            sock.recv(read)


def test_clients_that_go_away_mid_reply_leave_no_traceback(server, project):
    (project / "site" / "large.bin").write_bytes(bytes(16 * 1024 * 1024))  # far more than socket buffers hold
    host = f"Host: 127.0.0.1:{server.port}\r\n".encode()
    for _ in range(10):
        reset_after(server.port, b"GET /large.bin HTTP/1.1\r\n" + host + b"\r\n", read=100)  # mid-body
        reset_after(server.port, b"GET /large.bin HTTP/1.1\r\n" + host + b"\r\n", read=0)  # before any reply
        reset_after(server.port, b"GET /en/ HTTP/1.1\r\nHo", read=0)  # mid-request
        reset_after(server.port, b"GET /__livereload HTTP/1.1\r\n" + host + b"\r\n", read=10)  # an open page
    time.sleep(1.0)  # the server notices each reset when it next writes
    assert PARAGRAPH.encode() in server.get(PAGE)
    for sign in ("Traceback", "BrokenPipeError", "ConnectionResetError", "Exception occurred"):
        assert sign not in server.output, server.output


def test_an_absurdly_long_url_gets_414(server):
    status, headers, body = server.request("/" + "a" * 9000)
    assert status == 414
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"414 ")
    assert server.request("/" + "a" * 4000)[0] == 404  # long (too long a file name), but within reason
    assert PARAGRAPH.encode() in server.get(PAGE)
    assert "Traceback" not in server.output


def test_binding_every_address_warns_and_says_where_it_listens(project):
    running = Server(project, free_port(), "--bind", "0.0.0.0")
    try:
        running.wait_for(r"^serving ", timeout=STARTUP)
        warning = running.wait_for(r"^warning: ")[0]
        assert warning.startswith("warning: --bind 0.0.0.0 makes the preview reachable from the network")
        listed = re.findall(r"http://([^/:]+):(\d+)/", warning.partition("listening on")[2])
        assert ("127.0.0.1", str(running.port)) in listed
        machine = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
        assert machine <= {address for address, _ in listed}, (machine, warning)
        assert running.request(PAGE)[0] == 200
        assert running.request(PAGE, host=f"evil.example:{running.port}")[0] == 421
    finally:
        running.stop()


def test_the_default_bind_prints_no_warning(server):
    server.get(PAGE)
    assert server.count(r"^warning: ") == 0, server.output


# ---------------------------------------------------------------- starting and stopping


def test_a_port_in_use_is_one_line_and_exit_1(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--serve", "--project", str(project),
                                 "--port", str(port)], capture_output=True, text=True, timeout=STARTUP)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: port {port} on 127.0.0.1 is already in use; try --port {port + 1}"]
    assert result.stdout == ""


def test_ctrl_c_exits_cleanly_with_status_0(server):
    stream = EventStream(server.port)  # an open page does not hold the server up
    try:
        server.proc.send_signal(signal.SIGINT)
        assert server.proc.wait(timeout=WAIT) == 0
    finally:
        stream.close()
    server.wait_for(r"^stopped\.$")
    assert "Traceback" not in server.output
    assert server.lines[-1] == "stopped."


def test_ctrl_c_stops_a_server_started_with_sigint_ignored(project):
    """A shell without job control (a script, CI) starts `cmd &` with SIGINT ignored, and the
    ignored disposition survives exec: the server must still stop on the SIGINT sent to it."""
    launcher = ("sh", "-c", 'trap "" INT; exec "$@"', "sh")
    seen = subprocess.run([*launcher, sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"],
                          capture_output=True, text=True, check=True).stdout
    assert seen.strip() == "True"  # the launcher does start Python with SIGINT ignored
    server = Server(project, free_port(), launcher=launcher)
    try:
        server.wait_for(r"^serving ", timeout=STARTUP)
        server.proc.send_signal(signal.SIGINT)
        assert server.proc.wait(timeout=WAIT) == 0
        assert server.lines[-1] == "stopped."
    finally:
        server.stop()


def test_the_server_listens_on_127_0_0_1_by_default(server):
    assert f"at http://127.0.0.1:{server.port}/" in server.wait_for(r"^serving ")[0]
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT):
        pass
    ips = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1", "127.0.1.1"}
    for ip in ips:  # another address of this machine is not served
        with pytest.raises(OSError), socket.create_connection((ip, server.port), timeout=2):
            pass


# ---------------------------------------------------------------- in a browser (conftest's Chromium)


def test_the_open_page_reloads_by_itself_and_shows_errors_in_an_overlay(server, project, page):
    from playwright.sync_api import expect

    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
    expect(page.locator("main")).to_contain_text(PARAGRAPH)

    edit(project, EN, PARAGRAPH, "the browser reloaded the page by itself.")
    expect(page.locator("main")).to_contain_text("the browser reloaded the page by itself", timeout=WAIT * 1000)
    # The page reloads with the report's own pages, before the build that follows reads the other
    # sources: a source broken before that build ends breaks that build, and the page goes back to
    # the last good site (test_a_build_that_fails_after_its_pages_were_shown_puts_the_last_good_site_back).
    # Here the next save comes after it.
    server.wait_for(r"\] rebuilt .* after content/reports/sample/en\.md")

    edit(project, MOSUL, GOOD_YAML, BROKEN_YAML)
    overlay = page.locator("#livereload-errors")
    expect(overlay).to_contain_text(YAML_ERROR, timeout=WAIT * 1000)
    expect(page.locator("main")).to_contain_text("the browser reloaded the page by itself")

    edit(project, MOSUL, BROKEN_YAML, GOOD_YAML)
    expect(overlay).to_have_count(0, timeout=WAIT * 1000)
    assert not [text for text in console if "Content Security Policy" in text], console
    assert page.errors == []


# ---------------------------------------------------------------- what comes after the pages


def test_a_request_for_a_file_still_to_come_waits_for_it(tmp_path):
    from edition.serve import Site
    site = Site(tmp_path / "site")
    site.publish({"en/index.html": b"<html><head></head>old</html>", "data/tei/edition.xml": b"old"}, "1")
    site.publish({"en/index.html": b"<html><head></head>new</html>"}, "2", deferred=("data/tei/edition.xml",))
    assert b"new" in site.lookup("/en/")[0].body  # the pages are final at once
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(site.lookup, "/data/tei/edition.xml")
        time.sleep(0.3)
        assert not waiting.done()  # neither the old corpus nor a 404: it waits
        site.publish({"en/index.html": b"<html><head></head>new</html>", "data/tei/edition.xml": b"new"}, "2")
        reply, build_id = waiting.result(timeout=5)
    assert (reply.status, reply.body, build_id) == (200, b"new", "2")


def test_a_request_that_meets_the_swap_of_a_new_build_waits_for_its_file_still_to_come(tmp_path):
    """A request for a file still to come that arrives just as a build's pages are swapped in (it
    found the site settled, then waited for the swap to end) is not answered from the build before."""
    from edition.serve import Site
    site = Site(tmp_path / "site")
    site.publish({"en/index.html": b"<html><head></head>old</html>", "data/tei/edition.xml": b"old"}, "1")
    lock = site.lock

    class SwappedMeanwhile:  # the builder takes the lock first and swaps the new pages in
        def __enter__(self):
            site.lock = lock
            site.publish({"en/index.html": b"<html><head></head>new</html>"}, "2", deferred=("data/tei/edition.xml",))
            return lock.__enter__()

        def __exit__(self, *exc):
            return lock.__exit__(*exc)
    site.lock = SwappedMeanwhile()
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(site.lookup, "/data/tei/edition.xml")
        time.sleep(0.3)
        assert not waiting.done()  # not the old corpus with the new pages
        site.publish({"en/index.html": b"<html><head></head>new</html>", "data/tei/edition.xml": b"new"}, "2")
        reply, build_id = waiting.result(timeout=5)
    assert (reply.status, reply.body, build_id) == (200, b"new", "2")


def test_a_build_that_fails_after_its_pages_were_shown_puts_the_last_good_site_back(tmp_path, project):
    from edition.serve import Builder, Events, Site
    site, events = Site(tmp_path / "site"), Events()
    builder = Builder(project, site, events)
    assert builder.run_build()
    good = dict(site.files)
    page = next(path for path in good if path.endswith("/reports/sample/index.html"))
    edit(project, EN, PARAGRAPH, PARAGRAPH + " Zebras.")
    data = project / "templates/data.html"
    data.write_text(data.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ 1 + 'a' }}", 1),
                    encoding="utf-8")  # fails only when run: after the pages were published
    assert not builder.run_build(["templates/data.html"])
    assert site.files == good and site.settled.is_set()
    assert (site.folder / page).read_bytes() == good[page]
    assert any("data.html" in line for line in events.errors), events.errors


def test_what_comes_after_the_pages_waits_until_the_open_pages_have_reloaded():
    """The deferred part of a build (the search index, the data files) would slow the reload down:
    it starts once every page open at the reload has connected again from the new build."""
    from edition.serve import Events
    events = Events()
    events.good("1")
    events.connected("1"), events.connected("1")  # two open pages
    with ThreadPoolExecutor(1) as pool:
        shown = pool.submit(events.good_and_shown, "2", 10)
        time.sleep(0.2)
        events.disconnected(), events.connected("2")  # the first page reloaded
        time.sleep(0.2)
        assert not shown.done()  # the second has not yet
        events.disconnected(), events.connected("1")  # a page from the old build is no reload of it
        time.sleep(0.2)
        assert not shown.done()
        events.disconnected(), events.connected("2")
        shown.result(timeout=2)


def test_with_no_page_open_or_a_page_that_never_reloads_the_build_goes_on():
    from edition.serve import Events
    events = Events()
    started = time.perf_counter()
    events.good_and_shown("1", 10)
    assert time.perf_counter() - started < 1  # nothing to wait for
    events.connected("1")
    started = time.perf_counter()
    events.good_and_shown("2", 0.3)  # the page never comes back: the timeout bounds the wait
    assert 0.3 <= time.perf_counter() - started < 2


def test_the_files_still_to_come_are_found_by_path_and_by_folder():
    from edition.serve import deferred_files
    files = {"data/tei/edition.xml": b"1", "data/search/en/a.json": b"2", "data/searchx": b"3", "en/index.html": b"4"}
    assert deferred_files(files, ("data/tei/edition.xml", "data/search/en/")) == {
        "data/tei/edition.xml": b"1", "data/search/en/a.json": b"2"}
    assert deferred_files(files, ("data/tei/edition.xml", "missing.json")) == {"data/tei/edition.xml": b"1"}


# ---------------------------------------------------------------- a saved report shown first


def test_pages_shown_first_are_served_while_every_other_file_waits(tmp_path):
    from edition.serve import AllBut, Site
    site = Site(tmp_path / "site")
    site.publish({"en/a/index.html": b"<html><head></head>old a</html>", "en/b/index.html": b"<html><head></head>old b</html>",
                  "assets/style.css": b"css"}, "1")
    site.publish({"en/a/index.html": b"<html><head></head>new a</html>"}, "2",
                 AllBut(frozenset({"en/a/index.html", "assets/style.css"})))
    assert b"new a" in site.lookup("/en/a/")[0].body and site.lookup("/assets/style.css")[0].body == b"css"
    assert (site.folder / "en/b/index.html").read_bytes() == b"<html><head></head>old b</html>"  # nothing lost
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(site.lookup, "/en/b/")
        time.sleep(0.3)
        assert not waiting.done()  # the build that follows may change it
        site.publish({"en/a/index.html": b"<html><head></head>new a</html>", "en/b/index.html": b"<html><head></head>new b</html>",
                      "assets/style.css": b"css"}, "3")
        reply, build_id = waiting.result(timeout=5)
    assert b"new b" in reply.body and build_id == "3"


def test_an_open_page_reloads_only_when_a_build_changed_it(tmp_path):
    from edition.serve import Events, Site
    site = Site(tmp_path / "site")
    events = Events(site.changed_since)
    page = {"en/a/index.html": b"a", "en/b/index.html": b"b", "assets/style.css": b"css", "assets/search/en/0.json": b"0"}
    site.publish(page, "1")
    events.good("1")
    a, b = events.connected("1", "/en/a/"), events.connected("1", "/en/b/")
    site.publish({**page, "en/b/index.html": b"b2", "assets/search/en/0.json": b"1"}, "2")  # a search index is no page's
    assert events.event_for(a, "2", []) == b"event: current\ndata: 2\n\n" and a.since == "2"
    assert events.event_for(b, "2", []).startswith(b"event: reload\n")
    site.publish({**page, "en/b/index.html": b"b2", "assets/style.css": b"css2"}, "3")  # an asset: every page
    assert events.event_for(a, "3", []).startswith(b"event: reload\n")
    assert events.event_for(events.connected("gone", "/en/a/"), "3", []).startswith(b"event: reload\n")  # unknown build


def test_an_open_page_that_is_not_found_reloads_when_the_404_page_changes_or_it_comes(tmp_path):
    """A path with no page shows the 404 page: it reloads when that page changes (a template, a
    string), and when its own page comes (a report being written), and not otherwise."""
    from edition.serve import Events, Site
    site = Site(tmp_path / "site")
    events = Events(site.changed_since)
    files = {"404.html": b"not found", "en/a/index.html": b"a"}
    site.publish(files, "1")
    site.publish({**files, "en/a/index.html": b"a2"}, "2")
    assert events.event_for(events.connected("1", "/en/new/"), "2", []) == b"event: current\ndata: 2\n\n"
    site.publish({**files, "404.html": b"not found, edited"}, "3")
    assert events.event_for(events.connected("2", "/en/new/"), "3", []).startswith(b"event: reload\n")
    site.publish({**files, "404.html": b"not found, edited", "en/new/index.html": b"new"}, "4")
    assert events.event_for(events.connected("3", "/en/new/"), "4", []).startswith(b"event: reload\n")


def test_a_saved_report_is_shown_first_and_taken_back_if_the_build_then_fails(tmp_path, project, monkeypatch):
    from edition import pipeline
    from edition.serve import AllBut, Builder, Events, Site
    site = Site(tmp_path / "site")
    events = Events(site.changed_since)
    builder = Builder(project, site, events)
    assert builder.run_build()
    good, good_id = dict(site.files), site.build_id
    file = "en/reports/sample/index.html"
    published, publish = [], site.publish
    monkeypatch.setattr(site, "publish", lambda files, build_id, deferred=(): (
        published.append((build_id, dict(files), deferred)), publish(files, build_id, deferred)))
    monkeypatch.setattr(pipeline, "check_reports", lambda entities, aliases, groups, problems: problems.error(
        project / EN, 1, 1, "a check across the reports failed"))
    edit(project, EN, PARAGRAPH, PARAGRAPH + " Zebras.")
    assert not builder.run_build([EN])
    shown_id, shown, deferred = published[0]
    assert isinstance(deferred, AllBut) and file in deferred.shown and b"Zebras" in shown[file]
    assert site.files == good and (site.folder / file).read_bytes() == good[file]  # the last good site, back
    _, served, errors = events.snapshot()
    assert served == good_id and any("a check across the reports failed" in line for line in errors)
    shown_first = events.connected(shown_id, "/" + file.removesuffix("index.html"))  # the page that showed it
    assert events.event_for(shown_first, served, errors).startswith(b"event: reload\n")
    reloaded = events.connected(served, "/" + file.removesuffix("index.html"))
    assert events.event_for(reloaded, served, errors).startswith(b"event: errors\n")


def test_a_saved_report_that_cannot_be_shown_first_is_reported_and_the_builder_goes_on(tmp_path, project, monkeypatch):
    """Writing a saved report's pages into the site can fail (a full disk): that is reported as
    any failed build is, the last good site is served, and the next save builds (the failure
    escaped the builder's thread, which then rebuilt nothing ever again)."""
    from edition.serve import AllBut, Builder, Events, Site
    site = Site(tmp_path / "site")
    events = Events(site.changed_since)
    builder = Builder(project, site, events)
    assert builder.run_build()
    good = dict(site.files)
    publish = site.publish

    def full_disk(files, build_id, deferred=()):
        if isinstance(deferred, AllBut):
            raise OSError(28, "No space left on device")
        publish(files, build_id, deferred)
    monkeypatch.setattr(site, "publish", full_disk)
    edit(project, EN, PARAGRAPH, PARAGRAPH + " Zebras.")
    assert not builder.run_build([EN])
    assert site.files == good and any("No space left" in line for line in events.errors), events.errors
    monkeypatch.setattr(site, "publish", publish)
    assert builder.run_build([EN]) and b"Zebras" in site.files["en/reports/sample/index.html"]


def test_the_builder_outlives_a_failure_of_its_own(tmp_path, project, monkeypatch):
    """Whatever fails in a rebuild, the builder's thread goes on: the next save is built."""
    from edition.serve import Builder, Events, Site
    builder = Builder(project, Site(tmp_path / "site"), Events())
    built = []

    def run_build(changed=None):
        built.append(changed)
        if len(built) == 1:
            raise OSError(28, "No space left on device")
        return True
    monkeypatch.setattr(builder, "run_build", run_build)
    builder.start()
    try:
        builder.notify(EN)
        for _ in range(100):
            if built:
                break
            time.sleep(0.05)
        builder.notify(MOSUL)
        for _ in range(100):
            if len(built) == 2:
                break
            time.sleep(0.05)
        assert built == [[EN], [MOSUL]]
    finally:
        builder.stop()


def test_a_page_gone_from_the_site_takes_its_folder_with_it(tmp_path):
    """As a full build has no folder for a deleted report or entry, the preview's site keeps none
    (an empty /en/reports/x/ answered a redirect to a 404)."""
    from edition.output import update_site, write_site
    before = {"en/reports/x/index.html": b"x", "en/reports/y/index.html": b"y", "en/witnesses/w/index.html": b"w"}
    write_site(before, tmp_path / "site")
    update_site({"en/reports/y/index.html": b"y"}, tmp_path / "site", before)
    assert sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("[!.]*")) == [
        "en", "en/reports", "en/reports/y", "en/reports/y/index.html"]


def test_a_file_that_becomes_a_folder_and_back_is_served_as_a_full_build_writes_it(tmp_path):
    """A static file replaced by a folder of the same name (templates/static/img, then
    templates/static/img/logo.svg), and back: the preview's site follows, as a full build's would
    (it wrote the new files before removing the old, and failed on every build after)."""
    from edition.serve import Site
    site = Site(tmp_path / "site")
    for files in ({"index.html": b"i", "assets/img": b"file"}, {"index.html": b"i", "assets/img/logo.svg": b"svg"},
                  {"index.html": b"i", "assets/img": b"file again"}):
        site.publish(files, "1")
        assert {p.relative_to(site.folder).as_posix(): p.read_bytes() for p in site.folder.rglob("[!.]*") if p.is_file()} == files


def test_a_site_update_that_fails_halfway_is_undone_whole(tmp_path):
    """When writing a build's files into the site fails halfway (here a folder someone made where
    a new page goes), the last good site is served again as it was, not with the files written
    before the failure (the server took the folder to hold the last good files still)."""
    from edition.serve import Site
    site = Site(tmp_path / "site")
    good = {"a.html": b"a", "b.html": b"b"}
    site.publish(good, "1")
    (site.folder / "c.html").mkdir()
    (site.folder / "c.html" / "x").write_bytes(b"in the way")
    with pytest.raises(OSError):
        site.publish({"a.html": b"new a", "b.html": b"b", "c.html": b"c"}, "2")
    site.restore(good, "1")
    assert {p.relative_to(site.folder).as_posix(): p.read_bytes() for p in site.folder.rglob("[!.]*") if p.is_file()} == good
    assert site.lookup("/a.html")[0].body == b"a"


def test_a_build_or_a_second_preview_into_the_folder_a_preview_serves_is_refused(server, project):
    """A build swapping a new tree under a running preview would leave the preview patching files
    it did not write: the preview holds its output folder, and what else would write there stops."""
    site = project / "site"
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    holder = f"is being written by build.py --serve (process {server.proc.pid})"
    build = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)],
                           capture_output=True, text=True, timeout=STARTUP)
    assert build.returncode == 1
    assert build.stderr.splitlines() == [f"build.py: error: the output folder '{site}' {holder}; {site} left "
                                         "unchanged: stop that process, or build into another folder with --out"]
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before
    second = subprocess.run([sys.executable, str(ROOT / "build.py"), "--serve", "--project", str(project),
                             "--port", str(free_port())], capture_output=True, text=True, timeout=STARTUP)
    assert second.returncode == 1
    assert second.stderr.splitlines() == [f"error: the output folder '{site}' {holder}: stop that process, "
                                          "or preview into another folder with --out"]
    elsewhere = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project),
                                "--out", str(project / "elsewhere")], capture_output=True, text=True, timeout=STARTUP)
    assert elsewhere.returncode == 0, elsewhere.stderr
    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(timeout=WAIT) == 0
    after = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)],
                           capture_output=True, text=True, timeout=STARTUP)
    assert after.returncode == 0, after.stderr  # the preview gave the folder back as it stopped
    assert not (project / ".site-lock").exists()
