"""Incremental rebuilds (the live preview) give exactly the site a full build gives."""
import os
import shutil
import time
from pathlib import Path

import pytest

from edition.cache import BuildCache
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
    incremental = build(project, cache=cache).files
    full = build(project).files
    assert incremental.keys() == full.keys()
    assert [p for p in full if incremental[p] != full[p]] == []
    return cache.rendered


def test_nothing_changed_renders_nothing(project):
    cache = BuildCache()
    first = check_same_as_full(project, cache)
    assert first > 100
    assert check_same_as_full(project, cache) == 4  # the landing, 404 and two Data pages, rendered on every build


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
    assert b"EDITED GLOSS TEXT." in build(project, cache=cache).files["en/reports/washington-2016-almodon/index.html"]


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
        build(project, cache=cache)
    with pytest.raises(BuildFailed):  # still reported on the next build: nothing broken is cached
        build(project, cache=cache)
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
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [".edition-site", "a.html", "b/c.html", "new.html"]  # with the build's marker
    assert (site / "b/c.html").read_bytes() == b"C"


def test_the_preview_shows_the_pages_first_then_the_search_index_that_changed(project):
    cache = BuildCache()
    first = build(project, cache=cache, defer=True)
    assert not any(path.startswith("assets/search/") for path in first.deferred)  # nothing to stand in: built at once
    first_site = first.pending()
    edit(project / "content/reports/washington-2016-almodon/en.md", "two days of discussions", "two days of zebras")
    result = build(project, cache=cache, defer=True)
    assert b"zebras" in result.files["en/reports/washington-2016-almodon/index.html"]
    assert "assets/search/en/" in result.deferred and "assets/search/ar/" not in result.deferred
    index_en = {name for name in first_site if name.startswith("assets/search/en/")}
    assert {name: result.files[name] for name in index_en} == {name: first_site[name] for name in index_en}  # the old one stands in
    updated = result.pending()
    changed = {name for name in set(updated) | set(result.files) if updated.get(name) != result.files.get(name)}
    index_changes = {name for name in changed if name.startswith("assets/search/")}
    assert index_changes and all(name.startswith("assets/search/en/") for name in index_changes)  # the Arabic index did not change
    assert b"zebra" in b"".join(updated[name] for name in index_changes if name in updated)
    assert updated == build(project).files  # the whole site, as a full build gives it
    again = build(project, cache=cache, defer=True)
    assert not any(path.startswith("assets/search/") for path in again.deferred)  # nothing left stale
    assert again.pending() == updated


def test_the_preview_leaves_what_is_made_from_the_whole_edition_until_the_pages_are_shown(project):
    """The TEI corpus and the Data pages come after the pages; every other file is final at once."""
    cache = BuildCache()
    build(project, cache=cache, defer=True).pending()
    edit(project / "content/reports/washington-2016-almodon/ar.md", "واشنطن", "واشنطن الزرافة")
    result = build(project, cache=cache, defer=True)
    deferred = {"data/tei/edition.xml", "ar/data/index.html", "en/data/index.html", "data/entries.csv"}
    assert deferred <= set(result.deferred)
    assert not any(path.startswith("data/reports/") for path in result.deferred)  # a report's own are final at once
    assert not deferred & set(result.files)  # not yet made
    site = result.pending()
    assert "الزرافة".encode() in site["data/tei/edition.xml"]
    full = build(project).files
    assert site == full
    index = lambda path: path.startswith("assets/search/")  # noqa: E731 (the previous one stands in)
    assert {path: data for path, data in result.files.items() if not index(path)} == {
        path: data for path, data in full.items() if path not in result.deferred and not index(path)}


# ---------------------------------------------------------------- what a hand-written key once missed


def same_problems(project: Path, cache: BuildCache) -> list[str]:
    """Build with the cache and without; both must fail (or warn) with the same lines."""
    def lines(use_cache):
        try:
            result = build(project, cache=cache if use_cache else None)
        except BuildFailed as failed:
            return ["failed"] + [str(p) for p in failed.problems.sorted()]
        return [str(p) for p in result.problems.sorted()]
    incremental, full = lines(True), lines(False)
    assert incremental == full
    return full


def test_the_home_page_follows_a_meeting_date(project):
    """The home page lists the meetings by date."""
    cache = BuildCache()
    check_same_as_full(project, cache)
    edit(project / "content/annotations/washington-2016.yaml", "date: 2016-07-20\nend_date: 2016-07-21",
         "date: 2019-07-20\nend_date: 2019-07-21")
    check_same_as_full(project, cache)


def test_a_meeting_page_follows_a_report_of_another_meeting_that_mentions_it(project):
    cache = BuildCache()
    check_same_as_full(project, cache)
    edit(project / "content/reports/kuwait-2018-ajiban/en.md", "US Secretary of State Rex Tillerson affirmed",
         "As at the Washington meeting, US Secretary of State Rex Tillerson affirmed")
    check_same_as_full(project, cache)
    assert b"kuwait-2018-ajiban" in build(project, cache=cache).files["en/meetings/washington-2016/index.html"]


def test_an_alias_respelt_with_a_diacritic_gives_no_false_warning(project):
    cache = BuildCache()
    check_same_as_full(project, cache)
    edit(project / "content/annotations/john-kerry.yaml", 'ar: ["كيري"]', 'ar: ["كيرِي"]')
    assert not [line for line in same_problems(project, cache) if "matches nothing" in line]


@pytest.mark.parametrize("path, old, new, expected", [
    ("config.yaml", "base_url:", "base_ulr:", "config.yaml:9:1: error: unknown key 'base_ulr' (did you mean 'base_url'?)"),
    ("templates/strings.yaml", "skip:", "skip: [", "templates/strings.yaml:"),
    ("content/pages/principles.en.md", "title:", "titel:", "content/pages/principles.en.md:2:1: error: unknown key 'titel'"),
])
def test_a_broken_source_with_unchanged_reports_is_reported_not_a_crash(project, path, old, new, expected):
    cache = BuildCache()
    check_same_as_full(project, cache)
    edit(project / path, old, new)
    lines = same_problems(project, cache)
    assert lines[0] == "failed" and any(line.startswith(expected) for line in lines), lines


def test_a_kept_reports_warnings_are_reported_on_every_build(mini):
    """A report taken as it was from the last build warns as reading it did: its invisible
    characters, unless config.yaml now explains them (the preview showed no warning after the
    first build that kept it, and none of those config.yaml came to explain or no longer did)."""
    cache = BuildCache()
    check_same_as_full(mini, cache)
    edit(mini / "content/reports/sample/en.md", "the group subject", "the\u200c group subject")
    for _ in range(2):  # read, then kept
        assert any("U+200C" in line for line in same_problems(mini, cache))
    edit(mini / "config.yaml", "base_url: /", "base_url: /\nformat_characters:\n  U+200C: joins no letters")
    assert not any("U+200C" in line for line in same_problems(mini, cache))
    edit(mini / "config.yaml", "  U+200C: joins no letters", "")
    assert any("U+200C" in line for line in same_problems(mini, cache))


def test_an_annotation_saved_while_a_build_reads_the_sources_is_not_taken_for_read(mini, monkeypatch):
    """A save of an annotation file that lands after the build has read it, while the build goes
    on: the build that follows shows it (the pages were kept under the version the file had by
    then, and the aliases under its digest, with what the file said before)."""
    from edition import sources
    cache = BuildCache()
    check_same_as_full(mini, cache)
    load = sources.load_annotations

    def saved_meanwhile(*args, **kwargs):
        entities = load(*args, **kwargs)
        monkeypatch.setattr(sources, "load_annotations", load)  # once
        edit(mini / "content/annotations/mosul.yaml", "en: Mosul}", "en: Mosul Town}\naliases: {ar: [], en: [Nineveh]}")
        return entities
    monkeypatch.setattr(sources, "load_annotations", saved_meanwhile)
    build(mini, cache=cache)
    check_same_as_full(mini, cache)


def test_a_second_save_within_the_same_tick_of_the_file_systems_clock_is_shown(mini):
    """A file saved again with the same size within one tick of its file system's clock (a second
    or two on some) keeps its time, size and inode: a digest or text kept from a build that read
    the first save is not trusted while the file is that recent."""
    cache = BuildCache()
    check_same_as_full(mini, cache)
    en, witness = mini / "content/reports/sample/en.md", mini / "content/witnesses/sample.txt"
    ar = mini / "content/reports/sample/ar.md"  # (whose omission records the witness's new word)
    now = time.time_ns()
    for path, old, new in ((en, "matters greatly", "matters firstly"), (witness, "\n", "\nearly\n"),
                           (ar, '2000"', '2000\\nearly"'), (en, "firstly", "finally"),
                           (witness, "early", "later"), (ar, "early", "later")):  # the second, in the same tick
        edit(path, old, new)
        os.utime(path, ns=(now, now))
        if path == ar:
            check_same_as_full(mini, cache)
    assert build(mini, cache=cache).files["en/reports/sample/index.html"].count(b"finally") == 1


def test_each_page_records_what_it_read(mini):
    """The reads recorded while a page is rendered are what its reuse rests on."""
    cache = BuildCache()
    build(mini, cache=cache)
    home = cache.reads("en/index.html")
    assert {("meeting_ids",), ("entity", "test-meeting"), ("reports_of", "test-meeting"), ("templates",),
            ("config",), ("strings", "en")} <= set(home)
    assert ("entity", "mosul") not in home  # not a meeting: the home page does not show it
    report = cache.reads("en/reports/sample/index.html")
    assert {("report", "sample"), ("entity", "test-meeting"), ("entity", "mosul")} <= set(report)
    entry = cache.reads("en/entities/mosul/index.html")
    assert {("mentions", "mosul", "en"), ("related_to", "mosul"), ("entity", "raqqa"), ("summary", "sample")} <= set(entry)
    assert ("mentions", "mosul", "ar") not in entry


def test_a_collation_is_made_again_only_when_a_collated_text_changes(project, monkeypatch):
    from edition import collation, views
    aligned, made = [], []
    align, page = collation.align, views.Views.collation
    monkeypatch.setattr(collation, "_ALIGNED", {})
    monkeypatch.setattr(collation, "align", lambda witnesses: aligned.append(1) or align(witnesses))
    monkeypatch.setattr(views.Views, "collation", lambda self, g, lang: made.append((g, lang)) or page(self, g, lang))
    cache = BuildCache()
    build(project, cache=cache)
    assert aligned == [1] and sorted(made) == [(g, l) for g in ("kuwait-2018", "washington-2016") for l in ("ar", "en")]
    aligned.clear(), made.clear()
    edit(project / "content/reports/kuwait-2018-ajiban/en.md", "Tillerson", "Secretary Tillerson")
    build(project, cache=cache)
    assert aligned == []  # the translation is not collated
    edit(project / "content/reports/kuwait-2018-ajiban/ar.md",  # the slip mended in the witness: its correction goes
         '[الأمول]{corr="الأموال" type="parallel" grounds="004 p4"}', "الأموال")
    edit(next((project / "content/witnesses").glob("003_*.txt")), "الأمول", "الأموال")  # (the text is the witness's)
    site = build(project, cache=cache).files
    assert aligned == [1] and ("washington-2016", "ar") not in made and ("kuwait-2018", "ar") in made
    assert site == build(project).files


def test_a_group_naming_other_witnesses_collates_the_kept_reports(project):
    """A report's collation tokens are kept only while it is a witness: a group that names
    reports the preview has kept without them collates their texts as a full build does."""
    cache = BuildCache()
    build(project, cache=cache)
    group = project / "content/collations/kuwait-2018.yaml"
    group.unlink()
    check_same_as_full(project, cache)  # the kept reports lose their tokens
    (project / "content/collations/washington-pair.yaml").write_text(
        "id: washington-pair\nmeeting: washington-2016\nkind: word\n"
        "witnesses: [washington-2016-agencies, washington-2016-almodon]\nbase: washington-2016-agencies\n",
        encoding="utf-8")
    check_same_as_full(project, cache)
    page = build(project, cache=cache).files["ar/collations/washington-pair/index.html"].decode()
    assert "الدواعش" in page  # the witnesses' words are in the synopsis, not an empty table


def test_an_unchanged_witness_file_is_not_read_again_and_an_edited_one_is(project, monkeypatch):
    from edition import cache as cache_module, safety
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # the project was copied just now: its change times are recent
    read = []
    real = safety.read_text
    monkeypatch.setattr(safety, "read_text", lambda path, *a, **k: read.append(path.name) or real(path, *a, **k))
    cache = BuildCache()
    build(project, cache=cache)
    read.clear()
    build(project, cache=cache)
    assert [name for name in read if name.endswith(".txt")] == []
    witness = next((project / "content/witnesses").glob("004_*.txt"))
    text = witness.read_text(encoding="utf-8")
    witness.write_text(text + "\nكلمة_مضافة\n", encoding="utf-8")
    edit(project / "content/reports/kuwait-2018-final-statement/ar.md", 'text: "مشاركة :"', 'text: "مشاركة :\\nكلمة_مضافة"')
    check_same_as_full(project, cache)
    assert [name for name in read if name.endswith(".txt")] == [witness.name]  # by the preview's build
    pages = [data for path, data in build(project, cache=cache).files.items() if "كلمة_مضافة".encode() in data]
    assert pages  # its page shows the new text


def test_an_unchanged_report_is_written_again_without_visiting_its_pages(project, monkeypatch):
    """A report whose files and whatever its pages read are unchanged is written again as a group,
    with one check; the edited report and a report quoting a changed gloss are made page by page."""
    from edition import render
    made = []
    report_pages = render.report_pages
    monkeypatch.setattr(render, "report_pages", lambda r, v, report, *a: made.append(report.slug) or report_pages(r, v, report, *a))
    cache = BuildCache()
    check_same_as_full(project, cache)
    made.clear()
    build(project, cache=cache)
    assert made == []  # nothing changed: every report replayed
    edit(project / "content/reports/washington-2016-almodon/en.md", "two days of discussions", "two full days of talks")
    build(project, cache=cache)
    assert made == ["washington-2016-almodon"]
    made.clear()
    edit(project / "content/annotations/mosul.yaml", "gloss:", "gloss:\n  # edited\n")  # the file, not the gloss
    incremental = build(project, cache=cache).files
    mentioning = {path.split("/")[2] for path, data in incremental.items()
                  if path.startswith("en/reports/") and b"/entities/mosul/" in data}
    assert mentioning and sorted(made) == sorted(mentioning)  # the reports that link Mosul read its entry
    made.clear()
    build(project, cache=cache)  # and the group of each is kept again
    assert made == []
    assert check_same_as_full(project, cache) == 4


def test_mention_versions_made_again_for_changed_reports_equal_those_made_whole():
    """The live preview makes each language's mention versions again only where a report's
    fingerprints changed; after every kind of change they equal those made from scratch."""
    import random

    from edition.catalog import mention_versions

    rng = random.Random(7)
    entities = [f"e{i}" for i in range(12)]

    def fingerprints_of() -> dict:
        return {lang: {e: rng.randrange(5) for e in rng.sample(entities, rng.randrange(4))} for lang in ("ar", "en")}

    reports = {f"r{i:02d}": fingerprints_of() for i in range(10)}
    cache = BuildCache()
    for step in range(200):
        slug = rng.choice(sorted(reports))
        change = rng.choice(["new", "same", "none", "emptied"])
        if change == "new":  # its mentions changed: a new object, as a report read again gives
            reports[slug] = fingerprints_of()
        elif change == "same":  # read again, the same mentions: an equal new object
            reports[slug] = {key: dict(found) if isinstance(found, dict) else found
                             for key, found in (reports[slug] or {}).items()}
        elif change == "none":
            reports[slug] = None
        else:
            reports[slug] = {"summary": "x"}
        for lang in ("ar", "en"):
            assert cache.mention_versions(dict(reports), lang) == mention_versions(reports, (lang,)), (step, change)


# ---------------------------------------------------------------- a saved report shown first

ALMODON = "content/reports/washington-2016-almodon"


def preview_build(project: Path, cache: BuildCache) -> dict[str, bytes]:
    result = build(project, base_url="/", cache=cache, defer=True)
    return result.pending() if result.pending else dict(result.files)


@pytest.mark.parametrize("text", ["en.md", "ar.md"])
def test_a_saved_reports_own_files_are_made_alone_as_the_build_that_follows_makes_them(project, text):
    from edition.pipeline import reports_alone
    cache = BuildCache()
    before = preview_build(project, cache)
    old, new = ("two days of discussions", "two full days of talks") if text == "en.md" else ("واشنطن", "واشنطنن")
    edit(project / ALMODON / text, old, new)
    alone = reports_alone(project, cache, [f"{ALMODON}/{text}"])
    after = preview_build(project, cache)
    assert alone and all(after[path] == data for path, data in alone.items())
    assert any(new.encode("utf-8") in data for data in alone.values())
    own = {path for path in after if "washington-2016-almodon" in path}  # its pages (and witness's), its data
    changed = {path for path in own if after[path] != before.get(path)}
    assert changed and changed <= alone.keys() <= own | {p for p in after if "/witnesses/" in p}


def test_nothing_is_made_alone_for_a_save_of_anything_but_known_reports_texts(project):
    from edition.pipeline import reports_alone
    cache = BuildCache()
    assert reports_alone(project, cache, [f"{ALMODON}/en.md"]) is None  # no build yet
    preview_build(project, cache)
    assert reports_alone(project, cache, [f"{ALMODON}/en.md"])
    for changed in (["content/annotations/mosul.yaml"], [f"{ALMODON}/en.md", "templates/report.html"],
                    ["content/reports/not-a-report/en.md"], [f"{ALMODON}/notes.md"], []):
        assert reports_alone(project, cache, changed) is None, changed
    edit(project / ALMODON / "en.md", "two days of discussions", "two days of [discussions]{corr=\"talks}")
    assert reports_alone(project, cache, [f"{ALMODON}/en.md"]) is None  # its own error: the build reports it
    with pytest.raises(BuildFailed):
        build(project, base_url="/", cache=cache, defer=True)
    edit(project / ALMODON / "en.md", "[discussions]{corr=\"talks}", "discussions")
    assert reports_alone(project, cache, [f"{ALMODON}/en.md"]) is None  # the last build failed
    preview_build(project, cache)
    assert reports_alone(project, cache, [f"{ALMODON}/en.md"])


def test_a_kept_report_is_checked_against_its_witness_again_only_when_the_witness_changed(project, monkeypatch):
    from edition import cache as cache_module, pipeline, reports
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # the project was copied just now: its change times are recent
    checked = []
    fidelity, controls = pipeline.check_fidelity, reports.control_characters
    monkeypatch.setattr(pipeline, "check_fidelity", lambda report, *a: checked.append(report.slug) or fidelity(report, *a))
    monkeypatch.setattr(reports, "control_characters", lambda text, path, *a: checked.append(path.name) or controls(text, path, *a))
    cache = BuildCache()
    build(project, cache=cache)
    checked.clear()
    build(project, cache=cache)
    assert checked == []  # at 1,000 reports, 180 ms of every rebuild
    witness = next((project / "content/witnesses").glob("004_*.txt"))
    witness.write_text(witness.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # still the text's witness
    check_same_as_full(project, cache)
    assert checked[:2] == [witness.name, "kuwait-2018-final-statement"]  # by the preview's build, its report kept


def test_a_witness_that_no_longer_agrees_with_its_kept_report_fails_every_build_until_mended(project, monkeypatch):
    from edition import cache as cache_module
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    cache = BuildCache()
    build(project, cache=cache)
    witness = next((project / "content/witnesses").glob("004_*.txt"))
    text = witness.read_text(encoding="utf-8")
    for broken in (text + "\nكلمة_مضافة\n", text + "\x07"):  # a word the text lacks; a control character
        witness.write_text(broken, encoding="utf-8")
        for _again in range(2):  # the second build changes nothing: the witness is still not the text
            with pytest.raises(BuildFailed) as failed:
                build(project, cache=cache)
            assert any(witness.name in str(p) or "goes on after the text" in str(p) for p in failed.value.problems.errors)
    witness.write_text(text, encoding="utf-8")
    check_same_as_full(project, cache)
