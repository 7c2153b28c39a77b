"""The pipeline end to end: pages, languages, safety, determinism."""
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html

from edition.output import write_site
from edition.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cli_builds_and_prints_one_summary_line(mini):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert re.match(r"built 34 pages \(1 report, 6 entities\) into .* in \d+\.\d\ds; search index ar \d+ KiB.* heaviest report page \d+ KiB gzipped with CSS and JS; 2 warnings$", lines[0])


def test_an_edition_without_reports_builds_and_says_so(mini):
    """The summary weighed the heaviest report page; with no report folder at all that was max()
    of nothing, a traceback printed after the site had been replaced."""
    shutil.rmtree(mini / "content/reports")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.match(r"built \d+ pages \(0 reports, 6 entities\) into .*; no report page; \d+ warnings$",
                    result.stdout.splitlines()[-1]), result.stdout


def test_sources_saved_with_crlf_line_endings_build_as_with_lf(mini, tmp_path):
    lf = tmp_path / "lf"
    write_site(build(mini).files, lf)
    for path in [*(mini / "content").rglob("*.md"), *(mini / "content").rglob("*.yaml"), mini / "config.yaml"]:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    crlf = tmp_path / "crlf"
    write_site(build(mini).files, crlf)
    assert digest(crlf) == digest(lf)


def test_same_sources_build_a_byte_identical_site(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_site(build(ROOT).files, first)
    write_site(build(ROOT).files, second)
    assert digest(first) == digest(second)


def test_every_page_type_exists_in_both_languages(built_site):
    for lang in ("ar", "en"):
        for path in ["", "entities/", "principles/", "search/", "reports/washington-2016-agencies/",
                     "entities/unscr-2254/", "meetings/washington-2016/", "meetings/kuwait-2018/"]:
            assert (built_site / lang / path / "index.html").is_file(), (lang, path)
    assert (built_site / "index.html").is_file() and (built_site / "404.html").is_file()


def pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path, path.read_text(encoding="utf-8")


def test_lang_dir_csp_and_alternates_on_every_page(built_site):
    for path, html in pages(built_site):
        relative = path.relative_to(built_site).as_posix()
        lang = relative.split("/")[0] if relative.startswith(("ar/", "en/")) else "en"
        direction = "rtl" if lang == "ar" else "ltr"
        assert f'<html lang="{lang}" dir="{direction}">' in html, relative
        assert "Content-Security-Policy" in html and "script-src 'self'" in html
        # no inline script: only external files, and JSON-LD data blocks (never executed)
        assert "<script>" not in html, relative
        assert not re.search(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/ld\+json")', html), relative
        assert not re.search(r"\son[a-z]+=", html), relative  # no inline event handlers
        assert 'hreflang="ar"' in html and 'hreflang="en"' in html, relative


def test_language_switcher_leads_to_the_same_page(built_site):
    html = (built_site / "en/reports/kuwait-2018-ajiban/index.html").read_text(encoding="utf-8")
    assert '<a class="lang-switch" href="/ar/reports/kuwait-2018-ajiban/" hreflang="ar" title="Read this page in Arabic">' \
           '<span lang="ar" dir="rtl">' in html  # the link's title is in the page's language, its text in the other


def test_passages_in_the_other_language_carry_lang_and_dir(built_site):
    html = (built_site / "en/reports/kuwait-2018-ajiban/index.html").read_text(encoding="utf-8")
    assert '<div class="col col-ar" lang="ar" dir="rtl">' in html
    html = (built_site / "ar/reports/kuwait-2018-ajiban/index.html").read_text(encoding="utf-8")
    assert '<div class="col col-en" lang="en" dir="ltr">' in html


def test_mentions_are_links_and_no_markup_is_escaped_twice(built_site):
    for lang in ("ar", "en"):
        html = (built_site / f"{lang}/reports/kuwait-2018-ajiban/index.html").read_text(encoding="utf-8")
        assert re.search(rf'<a class="mention" href="/{lang}/entities/[\w-]+/" data-gloss="gloss-[\w-]+">[^<]+</a>', html)
        assert "&lt;/a&gt;" not in html and "&lt;span" not in html


def test_apparatus_shows_corrections_and_omissions(built_site):
    html = (built_site / "en/reports/washington-2016-almodon/index.html").read_text(encoding="utf-8")
    assert '<span class="sic" id="sic-1">الخاصعة</span>' in html
    assert "⟨الخاضعة⟩" in html
    assert "الأثنين. نوفمبر 17th, 2025" in html  # the omitted date header, word for word
    assert "before the start of the text" in html


def test_a_note_on_two_paragraphs_is_given_once_and_referred_to_at_the_second(built_site):
    """The lead note of the agencies' report is anchored to p1 and p2: printed in full after p1
    and named with a link to it after p2, not printed twice (the same text read twice, and two
    complementary landmarks with one name)."""
    for lang in ("ar", "en"):
        doc = lxml.html.parse(str(built_site / f"{lang}/reports/washington-2016-agencies/index.html"))
        names = [aside.get("aria-label") for aside in doc.iterfind(".//aside")]
        assert names and len(names) == len(set(names))
        after_p1 = doc.find(".//*[@id='p1']").getnext()
        assert after_p1.get("id") == "cnote-wire-report-lead" and after_p1.find("aside") is not None
        again = doc.find(".//*[@id='p2']").getnext()
        assert again.get("class") == "ed-note-again"
        assert again.find("a").get("href") == "#cnote-wire-report-lead"


def test_landing_page_is_bilingual_without_javascript(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<section lang="ar" dir="rtl"' in html and '<section lang="en" dir="ltr"' in html
    assert 'href="/ar/"' in html and 'href="/en/"' in html
    # only the script that applies a reader's saved theme before painting; the page needs none
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/assets/theme.js">']


def test_base_url_prefixes_every_link(mini, tmp_path):
    out = tmp_path / "sub"
    write_site(build(mini, base_url="/edition/").files, out)
    for path, html in pages(out):
        for link in re.findall(r'(?:href|src)="(/[^"]*)"', html):
            assert link.startswith("/edition/"), (path, link)


def test_failed_build_leaves_the_previous_site(mini):
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini)], check=True,
                   capture_output=True, timeout=120)
    before = digest(mini / "site")
    (mini / "config.yaml").write_text("title: [", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert digest(mini / "site") == before
    assert not [p for p in mini.iterdir() if p.name.startswith(".site")]  # no staging folder left behind


def dated(project, date="2026-01-15"):
    """The project with config.yaml's date of this version of the edition (feeds need it)."""
    with open(project / "config.yaml", "a", encoding="utf-8") as config:
        config.write(f'date: "{date}"\n')
    return project


def test_discovery_with_an_absolute_base_url(mini):
    import json
    import xml.etree.ElementTree as ET
    files = build(dated(mini), base_url="https://example.org/edition/").files
    html = files["en/reports/sample/index.html"].decode()
    assert '<link rel="canonical" href="https://example.org/edition/en/reports/sample/">' in html
    assert '<link rel="alternate" hreflang="ar" href="https://example.org/edition/ar/reports/sample/">' in html
    assert '<meta property="og:url" content="https://example.org/edition/en/reports/sample/">' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert ld["@type"] == "Article" and ld["translationOfWork"]["inLanguage"] == "ar"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    sitemap = ET.fromstring(files["sitemap.xml"])
    locs = [u.find("s:loc", ns).text for u in sitemap.findall("s:url", ns)]
    assert "https://example.org/edition/ar/reports/sample/" in locs and len(locs) == len(set(locs))
    entry = next(u for u in sitemap.findall("s:url", ns) if u.find("s:loc", ns).text.endswith("/en/reports/sample/"))
    assert {l.get("hreflang"): l.get("href") for l in entry.findall("x:link", ns)} == {
        "ar": "https://example.org/edition/ar/reports/sample/", "en": "https://example.org/edition/en/reports/sample/"}
    assert b"Sitemap: https://example.org/edition/sitemap.xml" in files["robots.txt"]
    atom = {"a": "http://www.w3.org/2005/Atom"}
    for lang in ("ar", "en"):
        feed = ET.fromstring(files[f"{lang}/feed.xml"])
        assert [e.find("a:link", atom).get("href") for e in feed.findall("a:entry", atom)] == [
            f"https://example.org/edition/{lang}/reports/sample/"]


def test_no_sitemap_or_feed_without_the_sites_address(mini):
    """A sitemap's addresses, robots.txt's Sitemap line and an Atom id must be absolute URLs: with a
    path for base URL there are none of them, and no page links a feed that is not there."""
    files = build(dated(mini)).files  # the fixture's base_url is a path
    assert not [path for path in files if path == "sitemap.xml" or path.endswith("feed.xml")]
    assert files["robots.txt"] == b"User-agent: *\nAllow: /\n"
    pages = [path for path in files if path.endswith(".html")]
    assert pages and not [path for path in pages if b"application/atom+xml" in files[path]]
    absolute = build(mini, base_url="https://example.org/edition/").files
    page = absolute["en/reports/sample/index.html"].decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/edition/en/feed.xml"' in page
    atom = {"a": "http://www.w3.org/2005/Atom"}
    import xml.etree.ElementTree as ET
    feed = ET.fromstring(absolute["en/feed.xml"])
    assert [e.find("a:id", atom).text for e in [feed, *feed.findall("a:entry", atom)]] == [
        "https://example.org/edition/en/", "https://example.org/edition/en/reports/sample/"]


def test_feeds_need_the_editions_date_and_give_it_as_every_entrys_last_update(mini):
    """An Atom entry must say when it was last updated. A report's own date is not known for
    every report, and an inferred one is no fact: what is true is the version of the edition."""
    import xml.etree.ElementTree as ET
    files = build(mini, base_url="https://example.org/edition/").files  # the fixture has no date
    assert "sitemap.xml" in files and not [path for path in files if path.endswith("feed.xml")]
    assert not [path for path in files if path.endswith(".html") and b"application/atom+xml" in files[path]]
    files = build(dated(mini, "2026-03-01"), base_url="https://example.org/edition/").files
    atom = {"a": "http://www.w3.org/2005/Atom"}
    for lang in ("ar", "en"):
        feed = ET.fromstring(files[f"{lang}/feed.xml"])
        updated = [e.find("a:updated", atom).text for e in [feed, *feed.findall("a:entry", atom)]]
        assert updated == ["2026-03-01T00:00:00Z"] * 2


def test_feed_entries_of_the_edition_state_no_report_date():
    """Its reports' dates are inferred or unknown: the meeting's date was given for an unknown one."""
    import xml.etree.ElementTree as ET
    atom = {"a": "http://www.w3.org/2005/Atom"}
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    version_date = re.search(r'^date: "?([0-9-]+)', config, re.M).group(1)
    files = build(ROOT, base_url="https://example.org/edition/").files
    for lang in ("ar", "en"):
        entries = ET.fromstring(files[f"{lang}/feed.xml"]).findall("a:entry", atom)
        assert len(entries) == 5
        assert {e.find("a:updated", atom).text for e in entries} == {f"{version_date}T00:00:00Z"}


def test_citation_metadata_for_reference_managers(built_site):
    html = (built_site / "en/reports/kuwait-2018-ajiban/index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_author" content="Saad Al-Ajiban">' in html
    assert "citation_date" not in html  # inferred from «أمس»: brackets in a citation, no fact for a machine
    assert "@article{kuwait-2018-ajiban," in html
    printed = (built_site / "en/reports/washington-2016-iraq-news-network/index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_publisher" content="Iraq News Network">' in printed  # printed in the witness
    inferred = (built_site / "en/reports/washington-2016-almodon/index.html").read_text(encoding="utf-8")
    assert "citation_publisher" not in inferred and "citation_date" not in inferred


def test_the_lists_of_reports_bracket_an_inferred_publisher_and_date(built_site):
    home = lxml.html.parse(str(built_site / "en/index.html"))
    lines = [" ".join(m.text_content().split()) for m in home.xpath("//*[@class='report-meta']")]
    assert any(line.startswith("[Al-Modon] · ") for line in lines)
    assert any(line.startswith("Iraq News Network · ") for line in lines)
    page = lxml.html.parse(str(built_site / "en/reports/washington-2016-agencies/index.html"))
    summary = " ".join(page.xpath("//summary")[0].text_content().split()) if page.xpath("//summary") else ""
    assert "[23 July 2016]" in summary, summary


def test_two_processes_build_the_same_site_as_one(monkeypatch):
    """Reports read and rendered in groups by two workers, then the translation made by a worker
    while this process makes the original and the rest: the same site as one process."""
    from edition import workers
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    serial = build(ROOT).files
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 0)
    monkeypatch.setattr(workers, "GROUP", 2)  # five reports: three groups, merged in order
    calls = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor",
                        lambda *a, **k: calls.append(1) or __import__("concurrent.futures").futures.ProcessPoolExecutor(*a, **k))
    parallel = build(ROOT).files
    assert calls == [1, 1]  # the reports, then the languages
    assert parallel == serial

    calls.clear()  # a large edition: the reports on two workers, both languages in this process
    monkeypatch.setattr(workers, "LANGUAGE_WORKER_UP_TO", 4)  # the edition has five reports
    assert build(ROOT).files == serial
    assert calls == [1]


def test_build_into_a_folder_writes_what_a_build_in_memory_holds(monkeypatch, tmp_path):
    from edition import pipeline, workers
    monkeypatch.setattr(workers, "PARALLEL_FROM", 0)
    result = pipeline.build_into(ROOT, tmp_path / "site")
    written = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert written == sorted([*result.files, ".edition-site"])  # the build's marker, beside what it built
    assert sorted(result.files) == sorted(build(ROOT).files)
    assert dict(result.files.items()) == build(ROOT).files
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left behind


def test_hidden_editor_files_are_not_sources(mini):
    (mini / "content/annotations/.#mosul.yaml").write_text("broken: [", encoding="utf-8")
    (mini / "content/pages/.principles.en.md.swp").write_text("x", encoding="utf-8")
    build(mini)  # raises BuildFailed if either were read


def build_cli(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)],
                          capture_output=True, text=True, timeout=120)


def test_compiled_templates_are_kept_for_the_next_build_and_never_taken_stale(mini):
    kept = mini / ".cache" / "templates"
    templates = sorted((mini / "templates").glob("*.html"))
    base = mini / "templates" / "base.html"
    original = base.read_text(encoding="utf-8")
    assert build_cli(mini).returncode == 0
    first = {p.name for p in kept.iterdir()}
    assert len(first) == len(templates)  # one entry per page template, the reports' own included

    base.write_text(original.replace("</footer>", "<p>EDITED-FOOTER</p></footer>"), encoding="utf-8")
    assert build_cli(mini).returncode == 0  # a new process: the kept entry of base.html is outdated
    assert "EDITED-FOOTER" in (mini / "site" / "en" / "index.html").read_text(encoding="utf-8")
    second = {p.name for p in kept.iterdir()}
    assert len(second) == len(templates) and len(first - second) == 1  # the old entry is replaced

    # a build in a new process compiles no template when all are kept
    assert compiled_in_a_new_process(mini) == 0
    (mini / "templates" / "report.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    assert compiled_in_a_new_process(mini) == 1


COUNT_COMPILES = """
import sys, jinja2
sys.path.insert(0, sys.argv[1])
from edition import pipeline, workers
workers.can_fork = lambda: False  # every template compiled in this process, where it is counted
compiled = []
compile = jinja2.Environment.compile
jinja2.Environment.compile = lambda self, source, name=None, *a, **k: compiled.append(name) or compile(self, source, name, *a, **k)
pipeline.build(__import__("pathlib").Path(sys.argv[2]))
print(len(compiled))
"""


def compiled_in_a_new_process(project: Path) -> int:
    done = subprocess.run([sys.executable, "-c", COUNT_COMPILES, str(ROOT), str(project)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_a_project_where_compiled_templates_cannot_be_kept_still_builds(mini):
    (mini / ".cache").write_text("not a folder", encoding="utf-8")
    result = build_cli(mini)
    assert result.returncode == 0, result.stderr
    assert (mini / "site" / "en" / "index.html").is_file()
    assert (mini / ".cache").read_text(encoding="utf-8") == "not a folder"


def test_the_not_found_page_is_titled_so(built_site):
    """Its title is a page's name in a tab and the first thing a screen reader says (WCAG 2.4.2)."""
    title = lxml.html.parse(str(built_site / "404.html")).findtext(".//title")
    assert title.startswith("Page not found · الصفحة غير موجودة · ")
    landing = lxml.html.parse(str(built_site / "index.html")).findtext(".//title")
    assert "not found" not in landing.lower()


def test_the_not_found_page_has_one_main_heading_in_both_languages(built_site):
    """As on the landing page: one h1 naming the page in both languages (the Arabic marked so),
    and each half's heading an h2 under it, rather than two h1s."""
    doc = lxml.html.parse(str(built_site / "404.html"))
    (h1,) = doc.iterfind(".//h1")
    assert "Page not found" in h1.text_content() and h1.find(".//span[@lang='ar']") is not None
    halves = doc.xpath("//section[contains(@class, 'landing-half')]")
    assert [section.find("h2") is not None for section in halves] == [True, True]


def test_file_names_and_media_types_on_an_arabic_page_are_marked_latin(built_site):
    """A file name, a media type or an identifier shown as code on an Arabic page is Latin script:
    marked English and left to right, not read in the page's Arabic voice."""
    data = (built_site / "ar" / "data" / "index.html").read_text(encoding="utf-8")
    codes = re.findall(r"<code\b[^>]*>", data)
    assert len(codes) > 20 and set(codes) == {'<code lang="en" dir="ltr">'}, set(codes)
    for page in (built_site / "ar").rglob("*.html"):
        shown = re.findall(r'<code\b[^>]*dir="ltr"[^>]*>', page.read_text(encoding="utf-8"))
        assert all('lang="en"' in code for code in shown), (page, shown)
