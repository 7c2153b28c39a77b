"""build.py --check: everything validated, the built result checked, nothing written."""
import re
import subprocess
import sys
from pathlib import Path

from edition.check import check_site
from edition.problems import Problems

ROOT = Path(__file__).resolve().parent.parent


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "--check", *args],
                          capture_output=True, text=True, timeout=120)


def test_check_passes_and_writes_nothing(mini):
    result = run(mini)
    assert result.returncode == 0, result.stdout
    assert re.fullmatch(r"check: 0 errors, 2 warnings; checked 34 pages, \d+ links and \d+ anchors",
                        result.stdout.splitlines()[-1]), result.stdout
    assert not (mini / "site").exists()


def test_strict_makes_warnings_errors(mini):
    result = run(mini, "--strict")
    assert result.returncode == 1
    assert "content/annotations/unscr-2254.yaml:5:8: error: alias '2254' matches nothing in the texts (--strict)" \
        in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].startswith("check: 2 errors, 0 warnings; checked 34 pages, ")


def test_broken_internal_link_and_anchor(mini):
    """A prose page's link into the site is followed in the built site and told where it is written
    (the check of the built pages would tell it at a line of the page made from it)."""
    page = mini / "content/pages/principles.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](/en/nowhere/) and [p9](/en/reports/sample/#p9).\n",
                    encoding="utf-8")
    lines = run(mini).stdout.splitlines()
    assert "content/pages/principles.en.md:6:15: error: broken link: '/en/nowhere/' (no en/nowhere/index.html in " \
           "the site)" in lines
    assert "content/pages/principles.en.md:6:38: error: broken anchor: '/en/reports/sample/#p9' (no id 'p9' in " \
           "en/reports/sample/index.html)" in lines
    assert lines[-1].startswith("check: 2 errors, ")


def test_a_broken_link_a_template_makes_is_told_at_the_line_of_the_built_page(mini):
    base = mini / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", '<a href="/en/nowhere/">x</a></footer>', 1),
                    encoding="utf-8")
    lines = run(mini).stdout.splitlines()
    assert any(line.startswith("site/en/principles/index.html:") and
               line.endswith("error: broken link: '/en/nowhere/' (no en/nowhere/index.html in the site)") for line in lines)


def test_validation_errors_are_reported_by_check_too(mini):
    (mini / "content/annotations/mosul.yaml").write_text("id: mosul\nkind: place\n", encoding="utf-8")
    result = run(mini)
    assert result.returncode == 1
    assert "content/annotations/mosul.yaml:1:1: error: missing required field 'name'" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].endswith("; the sources have errors, so no site was built and no link checked")


def test_usage_errors_exit_2(mini):
    assert subprocess.run([sys.executable, str(ROOT / "build.py"), "--strict"], capture_output=True).returncode == 2
    assert subprocess.run([sys.executable, str(ROOT / "build.py"), "--check", "--serve"], capture_output=True).returncode == 2


def test_missing_counterpart_and_missing_asset():
    files = {
        "en/a/index.html": b'<p id="x"><a href="/ar/a/">ar</a><img src="/assets/missing.png"></p>',
        "ar/a/index.html": b'<a href="/en/a/#x">en</a>',
        "en/b/index.html": b"<p>only English</p>",
    }
    problems = Problems()
    checked = check_site(files, "/", problems)
    assert [str(p) for p in problems.errors] == [
        "site/en/a/index.html:1:34: error: broken link: '/assets/missing.png' (no assets/missing.png in the site)",
        "site/en/b/index.html:1:1: error: page has no counterpart in the other language (ar/b/index.html)",
    ]
    assert (checked.pages, checked.links, checked.anchors) == (3, 3, 1)


def test_links_that_leave_the_site_are_not_counted_as_checked():
    files = {"en/index.html": b'<a href="https://example.org/#top">out</a><a href="mailto:x@example.org">mail</a>'
                              b'<a href="#here">here</a><p id="here"></p>',
             "ar/index.html": b""}
    checked = check_site(files, "/", Problems())
    assert (checked.pages, checked.links, checked.anchors) == (2, 1, 1)


def test_real_edition_passes_check():
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--check"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_edition_works_under_a_sub_path():
    from edition.pipeline import build
    for base_url in ("/edition/", "https://example.org/edition/"):
        result = build(ROOT, base_url=base_url)
        problems = Problems()
        check_site(result.files, "/edition/", problems)
        assert problems.errors == []
        html = result.files["en/search/index.html"].decode()
        assert 'data-assets="/edition/assets/"' in html
        shown = b"".join(data for name, data in result.files.items() if name.startswith("assets/search/en/d")).decode()
        assert '"u":"/edition/en/' in shown and '"u":"/en/' not in shown
