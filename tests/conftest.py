import http.server
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A copy of the small fixture project, using the real templates."""
    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real edition, built once into a temporary folder."""
    from edition.output import write_site
    from edition.pipeline import build
    out = tmp_path_factory.mktemp("built") / "site"
    write_site(build(ROOT).files, out)
    return out


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Required in CI; skipped elsewhere only if absent."""
    import os
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: the browser tests must run in CI (make test installs it)")
        pytest.skip(f"{CHROMIUM} not installed (run `make test`)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built edition served over HTTP on a free loopback port."""
    import functools
    import threading
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()



class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host does, with the site's own 404 page."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/mini/ from a build of tests/fixtures/mini (see tests/test_golden.py)")
