"""An entry's mention lines: the context either side is cut at a word boundary, never inside a
word ("… iscussions", "elimin …"), with an ellipsis only where something was cut."""
from edition.mentions import CONTEXT, context_after, context_before

TEXT = ("After two days of discussions in Washington the ministers agreed on the next steps to "
        "eliminate the organization and to stabilise the liberated areas of Iraq and Syria in the months ahead")


def words(text: str) -> set[str]:
    return set(text.split())


def test_context_before_starts_on_a_whole_word():
    offset = TEXT.index("stabilise")
    before = context_before(TEXT, offset)
    assert before.startswith("…") and len(before) <= CONTEXT + 1
    first = before[1:].split()[0]
    assert first in words(TEXT)  # "discussions", not "iscussions"
    assert TEXT[:offset].endswith(before[1:])


def test_context_after_ends_on_a_whole_word():
    offset = TEXT.index("agreed") + len("agreed")
    after = context_after(TEXT, offset)
    assert after.endswith("…") and len(after) <= CONTEXT + 1
    last = after[:-1].split()[-1]
    assert last in words(TEXT)
    assert TEXT[offset:].startswith(after[:-1])


def test_nothing_cut_no_ellipsis():
    assert context_before(TEXT, 5) == "After"[:5]
    assert context_after(TEXT, len(TEXT) - 5) == TEXT[-5:]


def test_arabic_is_cut_at_spaces_too():
    text = "وأكد الوزراء المجتمعون في واشنطن على ضرورة القضاء على التنظيم واستعادة الموصل والرقة وتحقيق الاستقرار في المناطق المحررة من العراق وسوريا"
    offset = text.index("الموصل")
    before = context_before(text, offset)
    assert before.startswith("…") and before[1:].split()[0] in words(text)
    after = context_after(text, offset + len("الموصل"))
    assert after[:-1].split()[-1] in words(text) if after.endswith("…") else after == text[offset + len("الموصل"):]


def test_entry_pages_show_no_broken_words(built_site):
    import re
    page = (built_site / "en" / "entities" / "mosul" / "index.html").read_text(encoding="utf-8")
    lines = re.findall(r'<span class="ctx">(.*?)</span>', page, re.S)
    assert lines and not any(line.startswith("……") for line in lines)
    assert "<span class=\"ctx\">…" in page  # some contexts are cut, and say so


def block_kinds(slug: str) -> dict[str, str]:
    """A report's blocks that are no paragraph, by id: their kind, read from the Arabic text's attribute lines."""
    import re
    from conftest import ROOT
    text = (ROOT / "content" / "reports" / slug / "ar.md").read_text(encoding="utf-8")
    return {block: kind for block, kind in re.findall(r"^\{#([\w-]+) \.(title|dateline|heading|teasers)\}", text, re.M)}


def test_a_mention_outside_the_paragraphs_is_named_by_where_it_stands(built_site):
    """A mention in a report's printed title, its dateline, a heading or the headlines under the
    title is said to stand there («العنوان», "dateline"), not under a heading; in a paragraph, by
    its number. (The global coalition is named in report 002's title, Kuwait in 003's dateline.)"""
    import re
    import yaml
    from lxml import html
    from conftest import ROOT
    strings = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))
    seen = set()
    for lang in ("ar", "en"):
        for entry in (built_site / lang / "entities").glob("*/index.html"):
            for link in html.fromstring(entry.read_bytes()).xpath('//a[contains(@href, "/reports/")][contains(@href, "#")]'):
                slug, block = re.fullmatch(rf"/{lang}/reports/([\w-]+)/#([\w-]+)", link.get("href")).groups()
                kind = block_kinds(slug).get(block)
                said = link.text_content()
                if kind:
                    assert said == strings["block_" + kind][lang], (entry, link.get("href"), said)
                    seen.add((lang, kind))
                else:
                    assert re.fullmatch(strings["paragraph_n"][lang].replace("{n}", r"\d+"), said), (entry, said)
    assert {("en", "title"), ("ar", "title"), ("en", "dateline"), ("ar", "dateline")} <= seen, seen
