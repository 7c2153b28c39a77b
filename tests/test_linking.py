"""Arabic-aware matching of entity names, and the links and backlinks it produces."""
import re

import pytest

from edition.linking import Alias, Matcher, alias_words


def matcher(*aliases: tuple[str, str], fold_case: bool = True) -> Matcher:
    return Matcher([Alias(entity, "ar", text, alias_words(text, fold_case)) for entity, text in aliases], fold_case)


def found(m: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[x.start:x.end], x.alias.entity_id) for x in m.find(text)]


MOSUL = matcher(("mosul", "الموصل"))


@pytest.mark.parametrize("word", ["والموصل", "فالموصل", "بالموصل", "كالموصل", "وبالموصل", "فبالموصل"])
def test_proclitics_and_article(word):
    assert found(MOSUL, f"معركة {word} قريبة") == [(word, "mosul")]


def test_lam_with_article_becomes_double_lam():
    assert found(MOSUL, "للموصل أهمية") == [("للموصل", "mosul")]
    assert found(MOSUL, "وللموصل أهمية") == [("وللموصل", "mosul")]


@pytest.mark.parametrize("word", ["سالموصل", "لموصل", "ولموصل", "بلموصل", "الموصلي", "ووالموصل", "موصل"])
def test_only_proclitics_make_a_first_word(word):
    """Letters that are not proclitics, a doubled conjunction, ل without the article's لل, a
    longer word: none of them is the name."""
    assert found(MOSUL, f"معركة {word} قريبة") == []


def test_a_word_can_start_several_names_longest_first():
    m = matcher(("un", "الأمم"), ("unsc", "الأمم المتحدة"), ("mosul", "الموصل"))
    assert found(m, "وللأمم المتحدة والأمم وبالموصل") == [
        ("وللأمم المتحدة", "unsc"), ("والأمم", "un"), ("وبالموصل", "mosul")]


def test_hamza_and_alef_forms():
    m = matcher(("ashton-carter", "آشتون كارتر"))
    assert found(m, "وزير الدفاع اشتون كارتر") == [("اشتون كارتر", "ashton-carter")]
    assert found(matcher(("x", "اشتون")), "أشتون وإشتون") == [("أشتون", "x"), ("وإشتون", "x")]


def test_diacritics_and_shadda():
    m = matcher(("raqqa", "الرقة"))
    assert found(m, "الموصل والرقّة") == [("والرقّة", "raqqa")]
    assert found(m, "الرَّقَّة") == [("الرَّقَّة", "raqqa")]


def test_taa_marbuta_and_alef_maqsura():
    assert found(matcher(("raqqa", "الرقة")), "الرقه") == [("الرقه", "raqqa")]
    assert found(matcher(("x", "مصطفى")), "مصطفي") == [("مصطفي", "x")]


def test_tatweel_and_invisible_marks():
    assert found(MOSUL, "المـوصـل") == [("المـوصـل", "mosul")]
    assert found(MOSUL, "ال\u200cموصل") == [("ال\u200cموصل", "mosul")]


def test_transliteration_alias():
    m = matcher(("cifg", "سي أي في جي"))
    assert found(m, "تمويل «داعش» (سي أي في جي) على") == [("سي أي في جي", "cifg")]


def test_longest_match_wins_and_links_do_not_overlap():
    m = matcher(("geneva", "جنيف"), ("geneva-communique", "بيان جنيف"))
    assert found(m, "على أساس بيان جنيف عام 2012 ومحادثات جنيف") == [
        ("بيان جنيف", "geneva-communique"), ("جنيف", "geneva")]


def test_whole_words_only():
    m = matcher(("hit", "هيت"))
    assert found(m, "رافضا الكشف عن ماهيتها") == []
    assert found(m, "ومخمور وهيت") == [("وهيت", "hit")]


def test_yaml_exclusion_stops_a_false_match():
    """«وزير» is و + «زير» to a matcher: the entity's `exclude` list is how a contributor says no."""
    alias = Alias("x", "ar", "زير", alias_words("زير"))
    assert found(Matcher([alias]), "وزير الخارجية") == [("وزير", "x")]
    excluded = Alias("x", "ar", "زير", alias_words("زير"), frozenset({alias_words("وزير")}))
    assert found(Matcher([excluded]), "وزير الخارجية وزير") == []


def test_english_is_case_sensitive():
    m = matcher(("hit", "Hit"), fold_case=False)
    assert found(m, "the attacks hit Hit") == [("Hit", "hit")]


def test_digits_match_across_scripts():
    m = matcher(("unscr-2254", "2254"))
    assert found(m, "القرار ٢٢٥٤") == [("٢٢٥٤", "unscr-2254")]


# ------------------------------------------------------------ in a built site

def build_mini(mini):
    from edition.output import write_site
    from edition.pipeline import build
    result = build(mini)
    write_site(result.files, mini / "site")
    return mini / "site"


def test_mentions_link_to_entity_pages_and_explicit_marks(mini):
    site = build_mini(mini)
    html = (site / "en/reports/sample/index.html").read_text(encoding="utf-8")
    assert '<a class="mention" href="/en/entities/mosul/" data-gloss="gloss-mosul">والرقّة</a>' not in html
    assert '<a class="mention" href="/en/entities/raqqa/" data-gloss="gloss-raqqa">والرقّة</a>' in html
    assert '<a class="mention" href="/en/entities/cifg/" data-gloss="gloss-cifg">المجموعة</a>' in html
    assert '<a class="mention" href="/en/entities/mosul/" data-gloss="gloss-mosul">للموصل</a>' in html


def test_ref_dash_suppresses_linking(mini):
    path = mini / "content/reports/sample/ar.md"
    path.write_text(path.read_text(encoding="utf-8").replace("جون كيري", '[جون كيري]{ref="-"}'), encoding="utf-8")
    html = (build_mini(mini) / "ar/reports/sample/index.html").read_text(encoding="utf-8")
    assert 'data-gloss="gloss-john-kerry">جون كيري</a>' not in html
    assert "جون كيري" in html


def test_backlinks_keyword_in_context_and_counts(mini):
    site = build_mini(mini)
    html = (site / "ar/entities/mosul/index.html").read_text(encoding="utf-8")
    assert 'href="/ar/reports/sample/#p1"' in html
    assert 'href="/ar/reports/sample/#s1"' in html
    assert "<mark>الموصل</mark>" in html and "<mark>للموصل</mark>" in html
    assert "(موضعان)" in html  # two mentions in the Arabic text (the dual)
    en = (site / "en/entities/mosul/index.html").read_text(encoding="utf-8")
    assert "(2 mentions)" in en


def test_a_mention_in_emphasis_is_a_mention_of_its_entry(mini):
    """Linked on the page, a mention inside *…* was left out of its entry's mentions (the entry said
    it was mentioned nowhere). Emphasis is the translation's (the Arabic text prints none of its own)."""
    path = mini / "content/reports/sample/en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("the group subject", '*[the group]{ref="cifg"}* subject'),
                    encoding="utf-8")
    site = build_mini(mini)
    assert '<em><a class="mention" href="/en/entities/cifg/" data-gloss="gloss-cifg">the group</a></em>' in \
        (site / "en/reports/sample/index.html").read_text(encoding="utf-8")
    entry = (site / "en/entities/cifg/index.html").read_text(encoding="utf-8")
    assert 'href="/en/reports/sample/#p2"' in entry and "<mark>the group</mark>" in entry and "(1 mention)" in entry


def test_related_entities_in_both_directions(mini):
    site = build_mini(mini)
    raqqa = (site / "en/entities/raqqa/index.html").read_text(encoding="utf-8")
    assert 'href="/en/entities/mosul/"' in raqqa  # mosul.yaml says related: [raqqa]
    assert 'href="/en/entities/unscr-2254/"' in (site / "en/entities/mosul/index.html").read_text(encoding="utf-8")


def test_index_page_lists_entities_by_kind_with_counts(mini):
    html = (build_mini(mini) / "en/entities/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="/en/entities/john-kerry/">John Kerry</a> <span class="count">\(2 mentions\)', html)
    assert html.index("Security Council resolutions") < html.index("People") < html.index("Places")


def test_meeting_page_lists_reports_people_and_resolutions(mini):
    html = (build_mini(mini) / "en/meetings/test-meeting/index.html").read_text(encoding="utf-8")
    assert 'href="/en/reports/sample/"' in html
    assert 'href="/en/entities/john-kerry/"' in html and 'href="/en/entities/unscr-2254/"' in html


def test_script_in_a_gloss_renders_as_text(mini):
    site = build_mini(mini)
    for path in ["en/entities/john-kerry/index.html", "en/reports/sample/index.html"]:
        html = (site / path).read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_one_pass_translation_finds_the_same_words_as_the_run_by_run_path():
    """Most texts are normalized with one str.translate (the characters that vanish mapped back
    to their source index) and tokenized in one pass: every text must give the words and
    offsets the run-by-run path gives."""
    import random
    from edition.normalize import word_spans, word_spans_by_run, words, words_by_run
    pool = list("الموصل كيري أإآٱىةؤئ ٠١٢ 0123 Kerry ÉéçÇ-_.,،؛") + ["\u0651", "\u064e", "\u0640", "\ufefb", "\u00a0",
                                                                     "\u200c", "\u200f", "\ufdfa", "\u2003", "\n"]
    rng = random.Random(2254)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        for fold in (True, False):
            assert word_spans(text, fold) == word_spans_by_run(text, fold), repr(text)
        assert words(text) == words_by_run(text), repr(text)
