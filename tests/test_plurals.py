"""Counted phrases from CLDR's plural rules (through Babel): Arabic's six categories, English's two,
the forms of strings.yaml in each, and a counted string missing a category reported at its line."""
import pytest

from edition import plurals
from edition.problems import Problems
from edition.sources import load_strings
from test_errors import edit, run_build

from conftest import ROOT

STRINGS = load_strings(ROOT / "templates" / "strings.yaml", Problems(root=ROOT))


def test_the_categories_are_cldr_s():
    assert plurals.categories("ar") == {"zero", "one", "two", "few", "many", "other"}
    assert plurals.categories("en") == {"one", "other"}


@pytest.mark.parametrize("n,ar,en", [
    (0, "لا مواضع", "0 mentions"),
    (1, "موضع واحد", "1 mention"),
    (2, "موضعان", "2 mentions"),
    (3, "3 مواضع", "3 mentions"),
    (10, "10 مواضع", "10 mentions"),
    (11, "11 موضعًا", "11 mentions"),
    (65, "65 موضعًا", "65 mentions"),
    (100, "100 موضع", "100 mentions"),
    (102, "102 موضع", "102 mentions"),
    (103, "103 مواضع", "103 mentions"),
    (111, "111 موضعًا", "111 mentions"),
])
def test_mention_counts_read_as_each_language_counts(n, ar, en):
    assert plurals.phrase(STRINGS["ar"]["mentions_count"], n, "ar") == ar
    assert plurals.phrase(STRINGS["en"]["mentions_count"], n, "en") == en


@pytest.mark.parametrize("n,ar,en", [(1, "فقرة واحدة", "1 paragraph"), (2, "فقرتان", "2 paragraphs"),
                                     (7, "7 فقرات", "7 paragraphs"), (14, "14 فقرةً", "14 paragraphs")])
def test_paragraph_counts(n, ar, en):
    assert plurals.phrase(STRINGS["ar"]["report_count"], n, "ar") == ar
    assert plurals.phrase(STRINGS["en"]["report_count"], n, "en") == en


def test_the_pages_use_them(built_site):
    index = {lang: (built_site / lang / "entities" / "index.html").read_text(encoding="utf-8") for lang in ("ar", "en")}
    assert "(1 mentions)" not in index["en"] and "(1 mention)" in index["en"]
    assert "(موضع واحد)" in index["ar"] and "(موضعان)" in index["ar"]
    home = (built_site / "ar" / "index.html").read_text(encoding="utf-8")
    assert "7 فقرات" in home and "7 فقرة" not in home


def test_a_counted_string_missing_a_category_is_reported_at_its_line(mini):
    edit(mini, "templates/strings.yaml", 'two: "موضعان", ', "")
    result = run_build(mini)
    assert result.returncode == 1
    line = next(i for i, text in enumerate((mini / "templates/strings.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.lstrip().startswith("ar: {zero: \"لا مواضع\""))
    assert (f"templates/strings.yaml:{line}:7: error: string 'mentions_count': plural forms in 'ar' are "
            "few, many, one, other, two, zero (missing two)") in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("form", ["{n:s}", "{n!z}", "{n:>99999999999999999999}"])
def test_a_counted_form_with_a_format_is_reported_at_its_line(mini, form):
    """A form whose {n} has a format or conversion passed the check of the forms and failed on the
    first page that counts with it, as a ValueError at that template's line."""
    edit(mini, "templates/strings.yaml", 'other: "{n} paragraphs"', f'other: "{form} paragraphs"')
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(i for i, text in enumerate((mini / "templates/strings.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if f"{form} paragraphs" in text)
    assert [error for error in result.stderr.splitlines() if ": error: " in error] == [
        f"templates/strings.yaml:{line}:7: error: string 'report_count': form 'other' in 'en': write the number as {{n}}, "
        f"without a conversion or format ('{form}')"]
