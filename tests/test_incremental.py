"""Incremental rebuilds (the live preview) give exactly the site a full build gives."""
import shutil
from pathlib import Path

import pytest

from edition.incremental import BuildCache
from edition.pipeline import build
from edition.problems import BuildFailed

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    copy = tmp_path / "edition"
    shutil.copytree(ROOT / "content", copy / "content")
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copy(ROOT / "config.yaml", copy / "config.yaml")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_same_as_full(project: Path, cache: BuildCache) -> int:
    incremental = build(project, serve=True, cache=cache).files
    full = build(project, serve=True).files
    assert incremental.keys() == full.keys()
    assert [p for p in full if incremental[p] != full[p]] == []
    return cache.rendered


def test_nothing_changed_renders_nothing(project):
    cache = BuildCache()
    first = check_same_as_full(project, cache)
    assert first > 100
    assert check_same_as_full(project, cache) == 0


def test_a_translation_edit_re_renders_only_what_depends_on_it(project):
    cache = BuildCache()
    check_same_as_full(project, cache)
    edit(project / "content/reports/washington-2016-almodon/en.md", "two days of discussions", "two full days of talks")
    rendered = check_same_as_full(project, cache)
    assert 2 <= rendered < 60  # its two pages, the entries quoting it in context, the overviews


def test_a_comment_in_a_gloss_file(project):
    cache = BuildCache()
    check_same_as_full(project, cache)
    edit(project / "content/annotations/mosul.yaml", "gloss:", "gloss:\n  # edited\n")
    assert check_same_as_full(project, cache) < 60


def test_a_gloss_text_change_reaches_every_report_that_shows_it(project):
    cache = BuildCache()
    check_same_as_full(project, cache)
    path = project / "content/annotations/raqqa.yaml"
    data = path.read_text(encoding="utf-8")
    marker = "en: >-\n"
    index = data.index(marker, data.index("gloss:")) + len(marker)
    path.write_text(data[:index] + "    EDITED GLOSS TEXT.\n" + data[index:], encoding="utf-8")
    check_same_as_full(project, cache)
    assert b"EDITED GLOSS TEXT." in build(project, serve=True, cache=cache).files["en/reports/washington-2016-almodon/index.html"]


def test_an_alias_change_relinks_every_report(project):
    cache = BuildCache()
    check_same_as_full(project, cache)
    edit(project / "content/annotations/john-kerry.yaml", "aliases:", "exclude:\n  ar: [كيري]\n  en: []\naliases:")
    check_same_as_full(project, cache)


def test_a_template_change_re_renders_everything(project):
    cache = BuildCache()
    total = check_same_as_full(project, cache)
    edit(project / "templates/base.html", "<footer class=\"site-footer\">", "<footer class=\"site-footer\" id=\"f\">")
    assert check_same_as_full(project, cache) == total


def test_a_broken_edit_then_its_fix(project):
    cache = BuildCache()
    check_same_as_full(project, cache)
    path = project / "content/reports/kuwait-2018-ajiban/en.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("{#p3}", "{#p3x}", 1), encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(project, serve=True, cache=cache)
    with pytest.raises(BuildFailed):  # still reported on the next build: nothing broken is cached
        build(project, serve=True, cache=cache)
    path.write_text(good.replace("Tillerson", "Rex Tillerson", 1), encoding="utf-8")
    check_same_as_full(project, cache)


def test_update_site_writes_only_what_changed(tmp_path):
    from edition.output import update_site, write_site
    site = tmp_path / "site"
    first = {"a.html": b"a", "b/c.html": b"c", "gone.html": b"x"}
    write_site(first, site)
    before = (site / "a.html").stat().st_mtime_ns
    written = update_site({"a.html": b"a", "b/c.html": b"C", "new.html": b"n"}, site, first)
    assert written == 3  # b/c.html changed, new.html added, gone.html removed
    assert (site / "a.html").stat().st_mtime_ns == before
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == ["a.html", "b/c.html", "new.html"]
    assert (site / "b/c.html").read_bytes() == b"C"


def test_the_preview_shows_the_pages_first_then_the_search_index_that_changed(project):
    cache = BuildCache()
    first = build(project, serve=True, cache=cache, defer_index=True)
    assert first.pending is None  # nothing to stand in for the first indexes: they are built at once
    edit(project / "content/reports/washington-2016-almodon/en.md", "two days of discussions", "two days of zebras")
    result = build(project, serve=True, cache=cache, defer_index=True)
    assert b"zebras" in result.files["en/reports/washington-2016-almodon/index.html"]
    index_en = {name for name in first.files if name.startswith("assets/search/en/")}
    assert {name: result.files[name] for name in index_en} == {name: first.files[name] for name in index_en}  # the old one stands in
    updated = result.pending()
    assert updated and all(name.startswith("assets/search/en/") for name in updated)  # the Arabic index did not change
    assert b"zebra" in b"".join(updated.values())
    assert {**result.files, **updated} == build(project, serve=True).files
    assert build(project, serve=True, cache=cache, defer_index=True).pending is None  # nothing left stale
