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
