"""Broken input: every problem is one `file:line:col: error: message` line, exit 1, site/ intact."""
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), *args],
                          capture_output=True, text=True, timeout=120)


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ANN = "content/annotations/"
AR = "content/reports/sample/ar.md"
EN = "content/reports/sample/en.md"

# (file to edit, old text, new text, the exact line expected on stderr)
CASES = {
    "yaml syntax": (ANN + "mosul.yaml", "name: {ar: الموصل, en: Mosul}", "name: {ar: الموصل, en: Mosul",
                    "content/annotations/mosul.yaml:4:6: error: invalid YAML: did not find expected ',' or '}'; "
                    "the '{' opened on line 3, column 7 is not closed"),
    "quote left open in the middle of the file": (ANN + "mosul.yaml", "gloss: {ar: مدينة في شمال العراق., en: A city in northern Iraq.}\ncountry: {ar: العراق, en: Iraq}",
                                                  'gloss:\n  ar: مدينة في شمال العراق.\n  en: "A city in northern Iraq.\n'
                                                  'country: {ar: العراق, en: "Iraq"}',
                                                  "content/annotations/mosul.yaml:6:7: error: invalid YAML: the quote \" opened "
                                                  "here is not closed on its line; YAML reads the lines after it as its "
                                                  "text, up to the \" on line 7, column 27, where it stops: did not find "
                                                  "expected key"),
    "tab indentation": (ANN + "mosul.yaml", "  - citation: A gazetteer.", "\t- citation: A gazetteer.",
                        "content/annotations/mosul.yaml:8:1: error: tab character in indentation; YAML indents with spaces only"),
    "duplicate key": (ANN + "mosul.yaml", "kind: place", "kind: place\nkind: place",
                      "content/annotations/mosul.yaml:3:1: error: duplicate key 'kind' (first defined on line 2)"),
    "key with a line break": (ANN + "mosul.yaml", "id: mosul", 'id: mosul\n"a\\nb": x',
                              "content/annotations/mosul.yaml:2:1: error: unknown key 'a\\nb'"),
    "look-alike letter in an id": (ANN + "mosul.yaml", "related: [raqqa]", "related: [r\u0430qqa]",
                                   "content/annotations/mosul.yaml:6:11: error: related.0: 'r\u0430qqa' does not have "
                                   "the expected form (not ASCII: U+0430 CYRILLIC SMALL LETTER A)"),
    "look-alike letter in a key": (ANN + "mosul.yaml", "related: [raqqa]", "r\u0435lated: [raqqa]",
                                   "content/annotations/mosul.yaml:6:1: error: unknown key 'r\u0435lated' (not ASCII: "
                                   "U+0435 CYRILLIC SMALL LETTER IE) (did you mean 'related'?)"),
    "look-alike letter in a span's attribute": (AR, 'corr="الخاضعة"', 'c\u043err="الخاضعة"',
                                                "content/reports/sample/ar.md:36:52: error: malformed attribute (not "
                                                "ASCII: U+043E CYRILLIC SMALL LETTER O): write key=\"value\" "
                                                "(corr=\"…\" or ref=\"…\")"),
    "look-alike letter opening a block id": (EN, "{#p1}", "{#\u04401}",
                                             "content/reports/sample/en.md:7:1: error: a block must start with an id "
                                             "line such as '{#p1}' (not ASCII: U+0440 CYRILLIC SMALL LETTER ER)"),
    "look-alike letter in a block id": (EN, "{#p2 .editorial-break}", "{#p\u04402 .editorial-break}",
                                        "content/reports/sample/en.md:10:1: error: block 'p\u04402' (not ASCII: U+0440 "
                                        "CYRILLIC SMALL LETTER ER) has no counterpart in ar.md"),
    "unknown key with hint": (ANN + "mosul.yaml", "gloss:", "glos:",
                              "content/annotations/mosul.yaml:4:1: error: unknown key 'glos' (did you mean 'gloss'?)"),
    "missing field": (ANN + "john-kerry.yaml", "office: {ar: وزير الخارجية الأمريكي, en: US Secretary of State}\n", "",
                      "content/annotations/john-kerry.yaml:1:1: error: missing required field 'office'"),
    "missing language": (ANN + "mosul.yaml", "gloss: {ar: مدينة في شمال العراق., en: A city in northern Iraq.}",
                         "gloss: {ar: مدينة في شمال العراق.}",
                         "content/annotations/mosul.yaml:4:8: error: missing required field 'gloss.en'"),
    "wrong type": (ANN + "mosul.yaml", "related: [raqqa]", "related: raqqa",
                   "content/annotations/mosul.yaml:6:10: error: related: Input should be a valid list"),
    "unknown kind": (ANN + "mosul.yaml", "kind: place", "kind: city",
                     "content/annotations/mosul.yaml:2:7: error: kind: must be one of resolution, document, working-group, person, organization, place, event, meeting"),
    "misspelt kind": (ANN + "mosul.yaml", "kind: place", "kindx: place",
                      "content/annotations/mosul.yaml:2:1: error: unknown key 'kindx' (did you mean 'kind'?); kind is one of "
                      "resolution, document, working-group, person, organization, place, event, meeting"),
    "missing kind": (ANN + "mosul.yaml", "kind: place\n", "",
                     "content/annotations/mosul.yaml:1:1: error: missing required field 'kind' (one of "
                     "resolution, document, working-group, person, organization, place, event, meeting)"),
    "unknown reference": (ANN + "mosul.yaml", "related: [raqqa]", "related: [raqa]",
                          "content/annotations/mosul.yaml:6:11: error: related: no entity with id 'raqa' (did you mean 'raqqa'?)"),
    "related entity named twice": (ANN + "mosul.yaml", "related: [raqqa]", "related: [raqqa, raqqa]",
                                   "content/annotations/mosul.yaml:6:18: error: related: 'raqqa' is named twice"),
    "duplicate id": (ANN + "raqqa.yaml", "id: raqqa", "id: mosul",
                     "content/annotations/raqqa.yaml:1:5: error: id 'mosul' must match the file name 'raqqa.yaml'"),
    "alias collision": (ANN + "raqqa.yaml", "name: {ar: الرقة, en: Raqqa}", "name: {ar: الرقة, en: Raqqa}\naliases: {ar: [كيري]}",
                        "content/annotations/raqqa.yaml:4:16: error: alias 'كيري' is already claimed by entity 'john-kerry' "
                        "(at content/annotations/john-kerry.yaml:5)"),
    # the alias drawn from its own entity's name is the first claim, wherever the files stand
    "alias collision with an alias drawn from a name": (ANN + "cifg.yaml", "remit: {ar: التمويل, en: Finance}",
                                                        "remit: {ar: التمويل, en: Finance}\naliases: {ar: [كيري]}",
                                                        "content/annotations/cifg.yaml:6:16: error: alias 'كيري' is already "
                                                        "claimed by entity 'john-kerry' (at content/annotations/john-kerry.yaml:5)"),
    "alias collision across hamza forms": (ANN + "raqqa.yaml", "name: {ar: الرقة, en: Raqqa}",
                                           "name: {ar: الرقة, en: Raqqa}\naliases: {ar: [المُوصل]}",
                                           "content/annotations/raqqa.yaml:4:16: error: alias 'المُوصل' is already claimed by "
                                           "entity 'mosul' (at content/annotations/mosul.yaml:3)"),
    "non-http url": (ANN + "raqqa.yaml", "url: https://example.org/raqqa", "url: javascript:alert(1)",
                     "content/annotations/raqqa.yaml:7:10: error: sources.0.url: must be an http:// or https:// URL"),
    "bad date": (ANN + "unscr-2254.yaml", "adopted: 2015-12-18", "adopted: 2015-02-30",
                 "content/annotations/unscr-2254.yaml:9:10: error: invalid value '2015-02-30': day is out of range for month"),
    "end date before its date": (ANN + "test-meeting.yaml", "date: 2016-07-21", "date: 2016-07-21\nend_date: 2016-07-01",
                                 "content/annotations/test-meeting.yaml:6:11: error: end_date: 2016-07-01 comes before "
                                 "date 2016-07-21"),
    "end date without a date": (ANN + "mosul.yaml", "kind: place\n", "kind: event\nend_date: 2016-01-01\n",
                                "content/annotations/mosul.yaml:3:11: error: end_date: an end date needs the date it "
                                "ends: give date (YYYY-MM-DD) too"),
    "bad symbol": (ANN + "unscr-2254.yaml", "symbol: S/RES/2254 (2015)", "symbol: S/RES/2254",
                   "content/annotations/unscr-2254.yaml:8:9: error: symbol: 'S/RES/2254' does not have the expected form"),
    "paragraph without counterpart": (EN, "{#p2 .editorial-break}\nKerry noted that the group subject to the Coalition is at work.\n\n", "",
                                      "content/reports/sample/ar.md:35:1: error: block 'p2' has no counterpart in en.md"),
    "duplicate paragraph id": (EN, "{#p2 .editorial-break}", "{#p1 .editorial-break}",
                               "content/reports/sample/en.md:10:3: error: duplicate id 'p1' (first used on line 7)"),
    "paragraphs out of order": (EN, "{#s1 .heading}\nMosul matters greatly.\n", "",
                                "content/reports/sample/ar.md:38:1: error: block 's1' has no counterpart in en.md"),
    "class mismatch": (EN, "{#p2 .editorial-break}", "{#p2}",
                       "content/reports/sample/en.md:10:1: error: block 'p2' has classes '(none)' but ar.md has '.editorial-break'"),
    "unknown block class": (AR, "{#p2 .editorial-break}", "{#p2 .editorial}",
                            "content/reports/sample/ar.md:35:6: error: unknown block class '.editorial' (known: dateline, editorial-break, heading, teasers, title)"),
    "block id the report page has": (AR, "{#s1 .heading}", "{#main .heading}",
                                     "content/reports/sample/ar.md:38:3: error: id 'main' is taken by the report page "
                                     "itself (one of apparatus, cite, downloads, glosses, main, site-search, text, "
                                     "text-heading); choose another"),
    "block id of a kind the report page has": (EN, "{#p1}", "{#corr-1}",
                                               "content/reports/sample/en.md:7:3: error: id 'corr-1': ids that begin "
                                               "'corr-' are taken by the report page itself; choose another"),
    "paragraph wrapped onto a second line": (EN, "a solution in Syria.", "a solution\nin Syria.",
                                             "content/reports/sample/en.md:9:1: error: block 'p1' spans several lines; "
                                             "keep a paragraph on one line"),
    "block without id line": (AR, "{#p1}\n", "",
                              "content/reports/sample/ar.md:32:1: error: a block must start with an id line such as '{#p1}'"),
    # YAML 1.1 reads On, No, a bare number and null as no text: the error says why
    "a name read as true": ("content/annotations/mosul.yaml", "en: Mosul}", "en: On}",
                            "content/annotations/mosul.yaml:3:24: error: name.en: Input should be a valid string (YAML "
                            "reads an unquoted yes, no, on, off, true or false as true or false: put the text in quotes)"),
    "a name read as a number": ("content/annotations/mosul.yaml", "en: Mosul}", "en: 2254}",
                                "content/annotations/mosul.yaml:3:24: error: name.en: Input should be a valid string "
                                "(YAML reads it as a number: put the text in quotes)"),
    "empty span": (AR, '[المجموعة]{ref="cifg"}', '[]{ref="cifg"}المجموعة',
                   "content/reports/sample/ar.md:36:19: error: empty span: a span marks the words between its "
                   "brackets, as in [text]{corr=\"…\"}; put them inside"),
    "unknown entity in ref": (AR, 'ref="cifg"', 'ref="cfig"',
                              "content/reports/sample/ar.md:36:30: error: ref: no entity with id 'cfig' (did you mean 'cifg'?)"),
    # a ref inside a span that is never linked inside passed in silence, a misspelt id too
    "ref inside a correction": (AR, '[الخاصعة]{corr=', '[[الخاصعة]{ref="cfig"}]{corr=',
                                "content/reports/sample/ar.md:36:53: error: ref 'cfig' links nothing inside a correction, "
                                "whose words are shown as printed (put the ref around the correction: "
                                "[[…]{corr=\"…\" …}]{ref=\"…\"})"),
    "ref inside ref=\"-\"": (AR, '[المجموعة]{ref="cifg"}', '[[المجموعة]{ref="cifg"}]{ref="-"}',
                             "content/reports/sample/ar.md:36:31: error: ref 'cifg' links nothing inside ref=\"-\", which "
                             "keeps its words unlinked"),
    "ref inside another ref": (AR, '[المجموعة]{ref="cifg"}', '[[المجموعة]{ref="cifg"}]{ref="mosul"}',
                               "content/reports/sample/ar.md:36:31: error: ref 'cifg' links nothing inside another ref (a "
                               "link cannot hold another)"),
    # YAML 1.1 reads 0123 as the octal 83: another, valid identifier, without a word
    "identifier written with a leading zero": (ANN + "mosul.yaml", "related: [raqqa]",
                                               "related: [raqqa]\nidentifiers: {geonames: 0123}",
                                               "content/annotations/mosul.yaml:7:25: error: identifiers.geonames: '0123' "
                                               "does not have the expected form: a GeoNames feature id"),
    "identifier written in base 60": (ANN + "mosul.yaml", "related: [raqqa]", "related: [raqqa]\nidentifiers: {viaf: 1:30}",
                                      "content/annotations/mosul.yaml:7:21: error: identifiers.viaf: '1:30' does not have "
                                      "the expected form: a VIAF cluster number"),
    # a reading that is the text as printed corrects nothing: the apparatus would list a change that is none
    "correction whose reading is the text as printed": (AR, 'corr="الخاضعة"', 'corr="الخاصعة"',
                                                        "content/reports/sample/ar.md:36:52: error: corr: the reading "
                                                        "'الخاصعة' is the text as printed; a correction gives another "
                                                        "reading (or drop the span)"),
    # markup the witness does not have, which the comparison with it drops: the text would be shown otherwise than printed
    "emphasis in the Arabic text": (AR, "أكد وزير الخارجية", "أكد *وزير* الخارجية",
                                    "content/reports/sample/ar.md:33:5: error: emphasis or code ('*') is not in the "
                                    "witness: the Arabic text is shown as printed, only […]{…} spans are added to it "
                                    "(write a literal * as \\*)"),
    "code in the Arabic text": (AR, "أكد وزير الخارجية", "أكد `وزير` الخارجية",
                                "content/reports/sample/ar.md:33:5: error: emphasis or code ('`') is not in the "
                                "witness: the Arabic text is shown as printed, only […]{…} spans are added to it "
                                "(write a literal ` as \\`)"),
    # the texts take no links: it was printed as written, brackets, parentheses and address, in silence
    "Markdown link in the translation": (EN, "Mosul matters greatly.", "[Mosul](https://example.org/) matters greatly.",
                                         "content/reports/sample/en.md:14:1: error: a link [text](…) is printed as "
                                         "written: the texts take no links (mark an entity as [text]{ref=\"…\"}; "
                                         "write a literal bracket as \\[)"),
    # it occurs elsewhere in the text, but the dateline the text prints says otherwise
    "dateline not the one the text prints": (AR, 'printed: "واشنطن: الوكالات"', 'printed: "للتحالف"',
                                             "content/reports/sample/ar.md:14:12: error: dateline.printed 'للتحالف' is "
                                             "not in the text's dateline block 'd' (line 30): «واشنطن: الوكالات»"),
    # an empty grounds="" or note="" was dropped in silence: the apparatus showed the correction without them
    "correction with empty grounds": (AR, 'type="misprint"}', 'type="misprint" grounds=""}',
                                      "content/reports/sample/ar.md:36:83: error: grounds=\"\" is empty: give the "
                                      "grounds, or leave the attribute out"),
    "correction with empty note": (AR, 'type="misprint"}', 'type="misprint" note=""}',
                                   "content/reports/sample/ar.md:36:83: error: note=\"\" is empty: give the id of a "
                                   "note of correction_notes, or leave the attribute out"),
    "unknown span attribute": (AR, 'corr="الخاضعة"', 'cor="الخاضعة"',
                               "content/reports/sample/ar.md:36:52: error: unknown attribute 'cor' in a text span (use corr=\"…\" or ref=\"…\")"),
    "front matter unknown key": (AR, "seed: sample.txt", "seed: sample.txt\nsede: x",
                                 "content/reports/sample/ar.md:3:1: error: unknown key 'sede' (did you mean 'seed'?)"),
    "front matter not closed": (EN, "translation_of: ar.md\n---", "translation_of: ar.md",
                                "content/reports/sample/en.md:1:1: error: front matter is not closed by a line '---'"),
    "omission not in the witness": (AR, 'text: "السبت. يناير 1st, 2000"', 'text: "السبت. يناير 2nd, 2000"',
                                    "content/reports/sample/ar.md:24:11: error: omissions.0.text: not in the witness "
                                    "content/witnesses/sample.txt as written there (copy it from the witness)"),
    "omission after unknown block": (AR, "  - after: null", "  - after: p9",
                                     "content/reports/sample/ar.md:23:12: error: omissions.0.after: no block with id 'p9'"),
    "unknown meeting": (AR, "meeting: test-meeting", "meeting: mosul",
                        "content/reports/sample/ar.md:3:10: error: meeting: 'mosul' is not a meeting: its entry is of kind place "
                        "(content/annotations/mosul.yaml:2)"),
    "misspelt meeting": (AR, "meeting: test-meeting", "meeting: test-meetng",
                         "content/reports/sample/ar.md:3:10: error: meeting: no meeting entity with id 'test-meetng' "
                         "(did you mean 'test-meeting'?)"),
    "config unknown key": ("config.yaml", "base_url: /", "base_ulr: /",
                           "config.yaml:9:1: error: unknown key 'base_ulr' (did you mean 'base_url'?)"),
    "format character that is none": ("config.yaml", "base_url: /\n", "base_url: /\nformat_characters:\n  U+0041: the letter A\n",
                                      "config.yaml:11:3: error: format_characters.U+0041.[key]: 'U+0041' is not an "
                                      "invisible format character (Unicode category Cf, e.g. U+200C), the only "
                                      "characters flagged"),
    "config languages (the two are fixed)": ("config.yaml", "base_url: /\n", "base_url: /\nlanguages: {}\n",
                                             "config.yaml:10:1: error: unknown key 'languages'"),
    # characters YAML refuses or reads as a line break no editor shows
    "DEL in an annotation": (ANN + "mosul.yaml", "id: mosul", "id: mos\x7ful",
                             "content/annotations/mosul.yaml:1:8: error: control character U+007F: a text cannot carry it "
                             "(HTML and XML forbid it); delete it"),
    "C1 control in config": ("config.yaml", "base_url: /\n", "base_url: /\n# \x96\n",
                             "config.yaml:10:3: error: control character U+0096: YAML cannot take it here; delete it"),
    "hidden line break in YAML": (ANN + "mosul.yaml", "country: {ar: العراق, en: Iraq}", "country: {ar: العراق, en: Ir\u2028aq}",
                                  "content/annotations/mosul.yaml:5:29: error: line break that editors do not show U+2028: "
                                  "YAML cannot take it here; delete it"),
    "YAML tag": (ANN + "mosul.yaml", "kind: place", "kind: place\nx: !!timestamp soon",
                 "content/annotations/mosul.yaml:3:4: error: YAML tags ('!!timestamp') are not supported; write the value "
                 "as plain text, and quote text that starts with !"),
    "date as a number": (ANN + "unscr-2254.yaml", "adopted: 2015-12-18", "adopted: 1450396800",
                         "content/annotations/unscr-2254.yaml:9:10: error: adopted: 1450396800 is not a date: write it as "
                         "YYYY-MM-DD, e.g. 2018-02-14 (a number would be read as seconds since 1970)"),
    "url with a line break": (ANN + "raqqa.yaml", "url: https://example.org/raqqa", 'url: "https://example.org/raqqa\\n"',
                              "content/annotations/raqqa.yaml:7:10: error: sources.0.url: an address cannot hold a space, "
                              "a line break or a control character (write a space as %20)"),
    # an https address with a space is not told that it is not one
    "url with a space": (ANN + "raqqa.yaml", "url: https://example.org/raqqa", 'url: "https://example.org/al raqqa"',
                         "content/annotations/raqqa.yaml:7:10: error: sources.0.url: an address cannot hold a space, a "
                         "line break or a control character (write a space as %20)"),
    "indented --- in front matter": (EN, "translation_of: ar.md", "translation_of: |\n  ---\n  ar.md",
                                     "content/reports/sample/en.md:2:17: error: translation_of: must be one of 'ar.md'"),
    "span attribute twice": (AR, 'corr="الخاضعة"', 'corr="الخاضعة" corr="الخاصعة"',
                             "content/reports/sample/ar.md:36:67: error: attribute 'corr' given twice in one span"),
    "correction in the translation": (EN, "Mosul matters greatly.", '[Mosul]{corr="Mosul city" type="misprint"} matters greatly.',
                                      "content/reports/sample/en.md:14:9: error: a correction belongs to the Arabic text "
                                      "(ar.md), where the words are printed; the translation follows the editors' reading"),
    # an empty text would leave a link or a button of every page without words
    "interface string left empty": ("templates/strings.yaml", 'en: "Skip to content"}', 'en: " "}',
                                    "templates/strings.yaml:5:37: error: string 'skip' in 'en' is empty: the pages would "
                                    "show nothing there; give its text"),
    "string the engine needs missing": ("templates/strings.yaml", "\ncite_accessed:", "\ncite_acc:",
                                        "templates/strings.yaml:1:1: error: string 'cite_accessed' is missing: the pages "
                                        "need it, with text in both ar and en"),
    "template includes itself": ("templates/_cut.html", "</", "{% include '_cut.html' %}</",
                                 "templates/_cut.html:1:1: error: the templates include one another without end "
                                 "(a template includes itself, directly or through others)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_is_reported_exactly(mini, name):
    relative, old, new, expected = CASES[name]
    assert run_build(mini).returncode == 0
    before = sorted(p.relative_to(mini / "site") for p in (mini / "site").rglob("*"))
    page = (mini / "site/en/reports/sample/index.html").read_bytes()
    edit(mini, relative, old, new)
    result = run_build(mini)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert expected in lines, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[-1].startswith("build failed:")
    # the previous site is left exactly as it was
    assert sorted(p.relative_to(mini / "site") for p in (mini / "site").rglob("*")) == before
    assert (mini / "site/en/reports/sample/index.html").read_bytes() == page


def test_an_id_line_without_a_blank_line_before_it_is_one_error_at_it(mini):
    # it was read as a second line of the paragraph above: three errors ('spans several lines' at
    # the line above, '{' outside a span, '}' closes no '{') and a fourth, its block missing
    edit(mini, EN, "a solution in Syria.\n\n{#p2", "a solution in Syria.\n{#p2")
    result = run_build(mini)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == [
        "content/reports/sample/en.md:9:1: error: an id line starts a new block: put a blank line before it"]


def test_an_unknown_block_class_is_one_error_not_also_a_mismatch_with_the_translation(mini):
    edit(mini, AR, "{#p1}", "{#p1 .bogus}")
    result = run_build(mini)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/reports/sample/ar.md:32:6: error: unknown block class '.bogus' (known: dateline, editorial-break, "
        "heading, teasers, title)"]


def test_an_id_that_is_not_its_file_name_is_one_error_not_one_more_where_the_entry_is_named(mini):
    # the entry was kept under the id written, and every related: and ref= that named it by its file
    # was told it named no entry, with the misspelt id as the one meant ("did you mean 'raqa'?")
    edit(mini, ANN + "raqqa.yaml", "id: raqqa", "id: raqa")
    result = run_build(mini)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/annotations/raqqa.yaml:1:5: error: id 'raqa' must match the file name 'raqqa.yaml'"]


def test_an_id_line_written_twice_is_one_error_at_the_second(mini):
    # it was read as a block without text and a second block of the same id (four errors in all)
    edit(mini, EN, "{#p1}\n", "{#p1}\n{#p1}\n")
    result = run_build(mini)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == [
        "content/reports/sample/en.md:8:1: error: a second id line: a block has one, followed by its text; delete it"]


def test_the_ids_a_block_cannot_take_are_every_id_the_report_page_gives_its_own_parts(mini):
    """A block of id 'main' or 'cite' was a second element of that id on its page: the skip link and
    "Cite" led to the block. Every id of a built report page is a block's or one content.py refuses."""
    from edition.content import page_id_problem
    from edition.pipeline import build
    result = build(mini)
    for lang in ("ar", "en"):
        page = result.files[f"{lang}/reports/sample/index.html"].decode()
        ids = set(re.findall(r' id="([^"]+)"', page))
        own = {i for i in ids if page_id_problem(i) is None}
        assert own == {"d", "p1", "p2", "s1"}, own  # the fixture's blocks


def test_all_problems_are_reported_in_one_run_sorted(mini):
    edit(mini, ANN + "mosul.yaml", "gloss:", "glos:")
    edit(mini, ANN + "raqqa.yaml", "url: https://example.org/raqqa", "url: ftp://example.org")
    edit(mini, EN, "{#p2 .editorial-break}", "{#p1 .editorial-break}")
    result = run_build(mini)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) >= 3
    assert errors == sorted(errors)
    assert f"build failed: {len(errors)} errors, " in result.stderr.splitlines()[-1]


def test_an_annotation_that_fails_is_reported_once_not_again_where_it_is_named(mini):
    """A meeting or an explicitly marked entity whose file has an error was also 'no entity with id'
    at the report that names it: a second line saying the entity does not exist, where its file stands."""
    edit(mini, ANN + "test-meeting.yaml", "kind: meeting", "kind: meetin")
    edit(mini, ANN + "cifg.yaml", "kind: working-group", "kind: working group")
    result = run_build(mini, "--check")
    assert [line for line in result.stdout.splitlines() if ": error: " in line] == [
        f"content/annotations/{name}.yaml:{line}:7: error: kind: must be one of resolution, document, working-group, "
        "person, organization, place, event, meeting" for name, line in (("cifg", 2), ("test-meeting", 2))]


def test_github_annotations(mini):
    edit(mini, ANN + "mosul.yaml", "gloss:", "glos:")
    import os
    env = dict(os.environ, GITHUB_ACTIONS="true")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert "::error file=content/annotations/mosul.yaml,line=4,col=1::unknown key 'glos' (did you mean 'gloss'?)" \
        in result.stderr.splitlines()


def test_usage_error_exits_2(mini):
    result = run_build(mini, "--no-such-option")
    assert result.returncode == 2


@pytest.mark.parametrize("port", ["99999", "-1", "eighty"])
def test_a_port_out_of_range_is_a_usage_error(mini, port):
    result = run_build(mini, "--serve", "--port", port)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("build.py: error: argument -p/--port: ")
    assert not (mini / "site").exists()  # refused before building


def test_a_missing_project_folder_is_a_usage_error(tmp_path):
    missing = tmp_path / "no-such-edition"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(missing)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"build.py: error: --project '{missing}' is not a folder (it does not exist)"]
    assert not missing.exists()  # nothing made in its place


def test_a_failed_build_names_the_folder_it_left_unchanged(mini, tmp_path):
    out = tmp_path / "elsewhere"
    edit(mini, ANN + "mosul.yaml", "gloss:", "glos:")
    result = run_build(mini, "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].endswith(f"; {out} left unchanged")


def test_a_failed_build_leaves_no_folder_it_made(mini, tmp_path):
    (tmp_path / "outputs").mkdir()
    out = tmp_path / "outputs" / "new" / "deeper" / "site"
    edit(mini, ANN + "mosul.yaml", "gloss:", "glos:")
    assert run_build(mini, "--out", str(out)).returncode == 1
    assert list((tmp_path / "outputs").iterdir()) == []
    edit(mini, ANN + "mosul.yaml", "glos:", "gloss:")
    assert run_build(mini, "--out", str(out)).returncode == 0
    assert (out / "en" / "reports" / "sample" / "index.html").is_file()


def test_one_typo_is_one_line(mini):
    """A misspelt key in one file: no "missing field" twin, no cascade of broken references."""
    edit(mini, ANN + "raqqa.yaml", "gloss:", "glos:")  # mosul.yaml relates to raqqa
    errors = [line for line in run_build(mini).stderr.splitlines() if ": error: " in line]
    assert errors == ["content/annotations/raqqa.yaml:4:1: error: unknown key 'glos' (did you mean 'gloss'?)"]


def test_report_order_names_only_report_folders_once(mini):
    edit(mini, "config.yaml", "base_url: /\n", "base_url: /\nreport_order:\n  - sample\n  - no-such-report\n  - sample\n")
    result = run_build(mini)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["config.yaml:12:5: error: report_order: there is no report folder content/reports/no-such-report/",
                      "config.yaml:13:5: error: report_order: 'sample' is named twice"]


@pytest.mark.parametrize("text", ["", "\n# only a comment\n"])
def test_an_empty_annotation_file_is_said_to_be_empty(mini, text):
    (mini / ANN / "new-entry.yaml").write_text(text, encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["content/annotations/new-entry.yaml:1:1: error: the file is empty: an annotation gives at least "
                      "its kind, id, name, gloss and sources (schemas/annotation.schema.json lists every key)"]


@pytest.mark.parametrize("text", ["---\n", "# Site configuration\n---\n", "--- # to be written\n"])
def test_a_yaml_file_of_a_document_marker_alone_is_read_as_empty_at_its_first_line(mini, text):
    """'---' with nothing after it was 'expected a mapping of keys and values' on the line after the
    file's last, which no editor shows."""
    (mini / "config.yaml").write_text(text, encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["config.yaml:1:1: error: missing required field 'subtitle'",
                      "config.yaml:1:1: error: missing required field 'title'"]


def test_a_template_that_is_not_utf8_is_reported_at_its_byte(mini):
    with open(mini / "templates/_head.html", "ab") as file:
        file.write(b"\xff")
    lines = (mini / "templates/_head.html").read_bytes().count(b"\n") + 1
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"templates/_head.html:{lines}:1: error: invalid UTF-8: byte 0xff cannot be read as text; save the file as UTF-8" \
        in result.stderr.splitlines()


def test_a_control_character_in_a_witness_is_an_error(mini):
    with open(mini / "content/witnesses/sample.txt", "a", encoding="utf-8") as file:
        file.write("\x00")
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert any(line.startswith("content/witnesses/sample.txt:") and "control character U+0000" in line
               for line in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize("name,expected", [
    ("search", "page name 'search' is the address of the edition's own search page; name the page otherwise"),
    ("notes", "page name 'notes' is the address of the edition's own editorial notes; name the page otherwise"),
    ("My Page", "page name 'My Page': lower-case letters, digits and single hyphens only (it is the page's address)")])
def test_a_prose_page_cannot_take_an_address_of_its_own_pages(mini, name, expected):
    for lang in ("ar", "en"):
        (mini / f"content/pages/{name}.{lang}.md").write_text("---\ntitle: Tips\n---\nTips.\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"content/pages/{name}.{lang}.md:1:1: error: {expected}" for lang in ("ar", "en")]


def test_a_report_written_as_one_file_is_not_passed_over_in_silence(mini):
    (mini / "content/reports/new-report.md").write_text("---\nseed: x.txt\n---\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert "content/reports/new-report.md:1:1: error: not read: a report is a folder content/reports/<name>/ holding " \
           "ar.md and en.md (move it to content/reports/new-report/)" in result.stderr.splitlines(), result.stderr


def test_a_page_that_every_page_links_to_is_required(mini):
    """Without principles.*.md every page of the site linked to a missing page: the build wrote it,
    and only --check named the broken links, at lines of the built pages."""
    for lang in ("ar", "en"):
        (mini / f"content/pages/principles.{lang}.md").unlink()
    for args in ((), ("--check",)):
        result = run_build(mini, *args)
        assert result.returncode == 1
        assert (result.stdout + result.stderr).splitlines()[0] == (
            "content/pages/principles.en.md:1:1: error: page 'principles' is missing: every page of the site links "
            "to it (write principles.ar.md and principles.en.md in content/pages/)")


@pytest.mark.parametrize("suffix", [".yml", ".YAML"])
def test_an_annotation_file_not_named_yaml_is_not_passed_over_in_silence(mini, suffix):
    (mini / "content/annotations/mosul.yaml").rename(mini / f"content/annotations/mosul{suffix}")
    result = run_build(mini)
    assert result.returncode == 1
    assert (f"content/annotations/mosul{suffix}:1:1: error: not read: the files of content/annotations/ are named "
            "<id>.yaml (rename it mosul.yaml)") in result.stderr.splitlines()


@pytest.mark.parametrize("folder", ["annotations", "notes", "collations"])
def test_yaml_files_in_a_folder_of_their_folder_are_not_passed_over_in_silence(mini, folder):
    """Files put in a sub-folder (content/annotations/places/aleppo.yaml) were not read, and the
    build said nothing: the entries, notes or collations were not published."""
    (mini / "content" / folder / "places").mkdir(parents=True)
    (mini / "content" / folder / "places/aleppo.yaml").write_text("id: aleppo\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"content/{folder}/places:1:1: error: not read: the files of content/{folder}/ stand in it, not in a folder "
        f"of it (move places/aleppo.yaml up into content/{folder}/)"]


def test_an_output_folder_that_cannot_be_made_is_one_line(mini):
    result = run_build(mini, "--out", "/proc/no-such-folder/site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("build.py: error: cannot write the site to '/proc/no-such-folder/site': ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_base_url_with_a_line_break_is_one_line(mini):
    result = run_build(mini, "--check", "--base-url", "https://example.org/\nx/")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "'https://example.org/\\nx/'" in result.stderr
    result = run_build(mini, "--check", "--base-url", "https://example.org:99999/")
    assert result.returncode == 2 and "port 99999 is not a port (0 to 65535)" in result.stderr


def test_a_correction_naming_a_note_that_is_not_there_is_an_error_at_its_note_with_the_one_meant(mini):
    """It was told at column 1 of a line that may hold several corrections, and without the note meant."""
    edit(mini, AR, "omissions:", "correction_notes:\n  plural: {ar: جمع., en: Plural.}\nomissions:")
    edit(mini, AR, 'type="misprint"}', 'type="misprint" note="plurl"}')
    result = run_build(mini)
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/reports/sample/ar.md:38:83: error: note: no correction note 'plurl' in correction_notes "
        "(did you mean 'plural'?)"]


def test_a_paragraph_named_twice_in_a_note_is_an_error(mini):
    (mini / "content/notes").mkdir()
    (mini / "content/notes/twice.yaml").write_text(
        "id: twice\ntitle: {ar: مرتين, en: Twice}\nanchors:\n  - report: sample\n    paragraphs: [p1, p1]\n"
        "note: {ar: ملاحظة., en: A note.}\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/notes/twice.yaml:5:22: error: anchors.0.paragraphs: 'p1' is named twice"]


def test_a_link_in_a_gloss_or_a_note_is_an_error_at_its_address(mini):
    """Glosses and notes take no links: one was printed as written, brackets and address, in silence."""
    edit(mini, ANN + "mosul.yaml", "gloss: {ar: مدينة في شمال العراق., en: A city in northern Iraq.}",
         "gloss:\n  ar: مدينة في شمال العراق.\n  en: >-\n    A city\n    in [northern Iraq](https://example.org/iraq).")
    (mini / "content/notes").mkdir()
    (mini / "content/notes/linked.yaml").write_text(
        "id: linked\ntitle: {ar: رابط, en: A link}\nanchors:\n  - report: sample\n    paragraphs: [p1]\n"
        "note: {ar: ملاحظة., en: See <https://example.org/>.}\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/annotations/mosul.yaml:8:24: error: gloss.en: a link or image [text](…) is printed as written: "
        "glosses and notes take none (give the address under sources, an entity under related)",
        "content/notes/linked.yaml:6:30: error: note.en: a link or image [text](…) is printed as written: glosses "
        "and notes take none (give the address under sources)"]


def test_a_report_dated_before_its_meeting_is_warned_of_at_its_date(mini):
    """A slip of the year (2006 for 2016) was published as the report's date without a word."""
    edit(mini, AR, "value: 2016-07-23", "value: 2006-07-23")
    result = run_build(mini)
    assert "content/reports/sample/ar.md:17:10: warning: date.value: 2006-07-23 comes before the meeting " \
           "'test-meeting' the report is of (2016-07-21): check the year" in result.stderr.splitlines(), result.stderr


def test_a_report_named_by_two_anchors_of_a_note_is_an_error(mini):
    """Two anchors of one report were accepted, and the note stood twice beside a paragraph both name."""
    (mini / "content/notes").mkdir()
    (mini / "content/notes/twice.yaml").write_text(
        "id: twice\ntitle: {ar: مرتين, en: Twice}\nanchors:\n  - report: sample\n    paragraphs: [p1]\n"
        "  - report: sample\n    paragraphs: [p1, p2]\nnote: {ar: ملاحظة., en: A note.}\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/notes/twice.yaml:6:13: error: anchors.1.report: 'sample' is named twice (give its paragraphs in one "
        "anchor)"]


def test_a_counted_string_with_an_unknown_placeholder_is_reported_at_it(mini):
    path = mini / "templates/strings.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if "other:" in line and "{n}" in line and "en:" in lines[i - 1] + line)
    path.write_text("\n".join(lines[:number - 1] + [lines[number - 1].replace("{n}", "{n}{s}", 1)] + lines[number:]),
                    encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"templates/strings.yaml:{number}:")
    assert errors[0].endswith("unknown placeholder '{s}' (a counted string has only {n}, the number)"), errors


# An option that the way of running chosen would ignore, and two ways of running at once: refused
# before anything is read or written (build.py's parse_args), each as one line
MEANINGLESS = {
    ("--check", "--write-schemas"): "argument --write-schemas: not allowed with argument --check",
    ("--check", "--serve"): "argument --serve: not allowed with argument --check",
    ("--release", "--write-schemas"): "argument --write-schemas: not allowed with argument --release",
    ("--serve", "--release"): "argument --release: not allowed with argument --serve",
    ("-p", "8001"): "-p/--port goes with --serve",
    ("--check", "--port", "8001"): "-p/--port goes with --serve",
    ("-b", "0.0.0.0"): "-b/--bind goes with --serve",
    ("--release", "--open"): "--open goes with --serve",
    ("--open",): "--open goes with --serve",
    ("--check", "--out", "OUT"): "--out goes with a build or --serve; --check builds in memory and writes nothing",
    ("--release", "--out", "OUT"): "--out goes with a build or --serve; --release writes only the release archive "
                                   "(into dist/ or --dist)",
    ("--write-schemas", "--out", "OUT"): "--out goes with a build or --serve; --write-schemas writes only schemas/",
    ("--dist", "OUT"): "--dist goes with --release",
    ("--check", "--dist", "OUT"): "--dist goes with --release",
    ("--strict",): "--strict goes with --check",
    ("--release", "--strict"): "--strict goes with --check",
    ("--check", "-v"): "-v/--verbose goes with a build (it prints the mentions the build found), not with --check",
    ("--serve", "--verbose"): "-v/--verbose goes with a build (it prints the mentions the build found), not with --serve",
    ("--serve", "--base-url", "/edition/"): "--base-url is for publication builds; --serve previews the site at /",
    ("--write-schemas", "--base-url", "/edition/"): "--base-url goes with a build, --check or --release; "
                                                    "--write-schemas writes only schemas/",
}


@pytest.mark.parametrize("args", sorted(MEANINGLESS), ids=" ".join)
def test_a_meaningless_combination_of_options_is_a_usage_error(mini, tmp_path, args):
    out = tmp_path / "elsewhere"
    before = sorted(path.name for path in mini.iterdir())
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini),
                             *(str(out) if arg == "OUT" else arg for arg in args)],
                            capture_output=True, text=True, timeout=30)  # (a --serve that starts would not end)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [f"build.py: error: {MEANINGLESS[args]}"]
    assert result.stdout == ""
    assert sorted(path.name for path in mini.iterdir()) == before  # no site/, dist/ or schemas/
    assert not out.exists()


def parse_args():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_cli", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.parse_args


def documented_command_lines() -> list[list[str]]:
    """The arguments of every build.py command line shown in README.md and CONTRIBUTING.md."""
    found = []
    for doc in ("README.md", "CONTRIBUTING.md"):
        for line in (ROOT / doc).read_text(encoding="utf-8").splitlines():
            if line.startswith(".venv/bin/python build.py"):
                found.append(line.split(" #")[0].split()[2:])
    return found


def test_every_documented_command_line_and_meaningful_combination_is_accepted():
    parse = parse_args()
    lines = documented_command_lines()
    assert ["--check", "--strict"] in lines and ["--serve", "-p", "8001", "--open"] in lines
    for args in [*lines, ["--out", "x"], ["-v", "--out", "x", "--base-url", "/e/"], ["--check", "--base-url", "/e/"],
                 ["--release", "--dist", "x", "--base-url", "/e/"], ["--serve", "--out", "x", "-b", "0.0.0.0", "-p", "0"]]:
        parse(args)  # no SystemExit
    defaults = parse(["--serve"])
    assert (defaults.port, defaults.bind, defaults.open) == (8000, "127.0.0.1", False)


# A bracket or quote left open on the last line: PyYAML gives up after the end of the text, on a
# line no editor shows; the error is on the last line, at the opening bracket or quote
LAST_LINE = {
    "related: [mosul": (8, 10, "did not find expected ',' or ']'; the '[' opened on line 8, column 10 is not closed"),
    "country: {ar: سوريا, en: Syria": (8, 10, "did not find expected ',' or '}'; the '{' opened on line 8, "
                                               "column 10 is not closed"),
    'note: "unfinished': (8, 7, "found unexpected end of stream; the quote \" opened on line 8, column 7 is not closed"),
    "related: [": (8, 10, "did not find expected node content; the '[' opened on line 8, column 10 is not closed"),
    "related: [mosul,\n  raqqa": (9, 8, "did not find expected ',' or ']'; the '[' opened on line 8, column 10 is "
                                        "not closed"),
}


@pytest.mark.parametrize("ending", ["\n", "", "\n\n  \n"], ids=["newline", "no newline", "blank lines"])
@pytest.mark.parametrize("last", sorted(LAST_LINE))
def test_a_bracket_left_open_on_the_last_line_is_reported_on_that_line(mini, last, ending):
    from edition.pipeline import build
    from edition.problems import BuildFailed
    path = mini / ANN / "raqqa.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and text.count("\n") == 7
    path.write_text(text + last + ending, encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(mini)
    line, col, message = LAST_LINE[last]
    assert [str(problem) for problem in failed.value.problems.errors] == [
        f"content/annotations/raqqa.yaml:{line}:{col}: error: invalid YAML: {message}"]
    assert line <= len(path.read_text(encoding="utf-8").splitlines())  # a line the file has


# A quote left open in the middle of a file: PyYAML reads on, through the lines after it, to the next
# quote, and gives up after it; the error is at the quote left open, naming where the text ran to
HEAD = "id: mosul\nkind: place\nname:\n  ar: الموصل\n"
QUOTE_LEFT_OPEN = {
    "double": (HEAD + '  en: "Mosul\ngloss:\n  ar: "مدينة."\n  en: A city.\n',
               '5:7: error: invalid YAML: the quote " opened here is not closed on its line; YAML reads the lines after '
               'it as its text, up to the " on line 7, column 7, where it stops: did not find expected key'),
    "single": (HEAD + "  en: 'Mosul\ngloss:\n  ar: 'مدينة.'\n  en: A city.\n",
               "5:7: error: invalid YAML: the quote ' opened here is not closed on its line; YAML reads the lines after "
               "it as its text, up to the ' on line 7, column 7, where it stops: did not find expected key"),
    "in a list": (HEAD + '  en: Mosul\nrelated: ["raqqa]\nsources:\n  - citation: "A gazetteer."\n',
                  '6:11: error: invalid YAML: the quote " opened here is not closed on its line; YAML reads the lines '
                  'after it as its text, up to the " on line 8, column 15, where it stops: did not find expected \',\' or \']\''),
    "in an item": (HEAD + '  en: Mosul\nsources:\n  - citation: "A gazetteer.\n  - citation: "Another."\n',
                   '7:15: error: invalid YAML: the quote " opened here is not closed on its line; YAML reads the lines '
                   'after it as its text, up to the " on line 8, column 15, where it stops: did not find expected key'),
    # what it was not: a text on several lines, and then a slip of another kind
    "after a text on several lines": (HEAD + '  en: "Mosul,\n    the city" x\ngloss: A city.\n',
                                      "6:15: error: invalid YAML: did not find expected key"),
    "no quote": (HEAD + "  en: Mosul: x\n", "5:12: error: invalid YAML: mapping values are not allowed in this context"),
    # a text wrapped onto a line as deep as its key's, which PyYAML reads: the slip is a quote inside it
    "a quote inside a wrapped text": (HEAD + '  en: Mosul\ngloss:\n  en: "The statement says that\n  the so-called '
                                      '"Islamic State" lost it."\n', "8:18: error: invalid YAML: did not find expected key"),
    "words after a wrapped text": (HEAD + '  en: "The coalition\n  met in Kuwait" (2018)\ngloss: A city.\n',
                                   "6:18: error: invalid YAML: did not find expected key"),
    "at the end of the file": (HEAD + '  en: "Mosul\ngloss:\n  ar: x\n',
                               '7:8: error: invalid YAML: found unexpected end of stream; the quote " opened on line 5, '
                               'column 7 is not closed'),
}


@pytest.mark.parametrize("name", sorted(QUOTE_LEFT_OPEN))
def test_a_quote_left_open_in_the_middle_of_a_file_is_reported_where_it_opened(name):
    from edition.problems import Problems
    from edition.yamlsource import load_yaml
    text, expected = QUOTE_LEFT_OPEN[name]
    for offset in (0, 1):  # an annotation, or a report's front matter (after its line '---')
        problems = Problems()
        assert load_yaml(text, Path("mosul.yaml"), problems, line_offset=offset) is None
        line, rest = expected.split(":", 1)
        if offset:  # each line the error names is one further on
            rest = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + 1}", rest)
        assert [str(problem) for problem in problems.items] == [f"mosul.yaml:{int(line) + offset}:{rest}"]


@pytest.mark.parametrize("text", [HEAD + '  en: "Mosul,\n    the city"\ngloss: "A city\n  in Iraq."\n',
                                  HEAD + "  en: 'Mosul,\n    the city'\ngloss: {ar: \"مدينة\n  في العراق.\", en: 'A city\n  in Iraq.'}\n"])
def test_a_quoted_text_on_several_lines_is_read(text):
    from edition.problems import Problems
    from edition.yamlsource import load_yaml
    problems = Problems()
    located = load_yaml(text, Path("mosul.yaml"), problems)
    assert not problems.items
    assert located.data["name"]["en"] == "Mosul, the city"
    assert located.data["gloss"] in ("A city in Iraq.", {"ar": "مدينة في العراق.", "en": "A city in Iraq."})


def test_a_bracket_left_open_at_the_end_of_front_matter_is_reported_in_it():
    from edition.problems import Problems
    from edition.yamlsource import load_yaml
    problems = Problems()
    load_yaml("title: x\nomissions: [", Path("ar.md"), problems, line_offset=1)  # after the opening '---'
    assert [str(problem) for problem in problems.items] == [
        "ar.md:3:12: error: invalid YAML: did not find expected node content; the '[' opened on line 3, column 12 "
        "is not closed"]


def first_use(project: Path, template: str, used: str) -> str:
    """``file:line:col`` of the first ``used`` (such as ``t.skip``) in a template, at the string's name."""
    lines = (project / "templates" / template).read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if used in line)
    return f"templates/{template}:{number}:{lines[number - 1].index(used) + used.index('.') + 2}"


def test_every_missing_string_is_reported_where_it_is_needed(mini):
    """Three strings gone: three errors (before, only the first the build asked for), each where a
    template first uses it, or at the file for one only the engine uses."""
    for old, new in (("\nskip:", "\nskipp:"), ("\nlicence_name:", "\nlicence_nam:"), ("\ncite_accessed:", "\ncite_acc:")):
        edit(mini, "templates/strings.yaml", old, new)
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    needed = "the pages need it, with text in both ar and en"
    assert result.stderr.splitlines()[:-1] == [
        f"{first_use(mini, 'base.html', 't.skip')}: error: string 'skip' is missing from templates/strings.yaml: {needed}",
        f"{first_use(mini, 'base.html', 't.licence_name')}: error: string 'licence_name' is missing from "
        f"templates/strings.yaml: {needed}",
        f"templates/strings.yaml:1:1: error: string 'cite_accessed' is missing: {needed}",
    ]
    assert result.stderr.splitlines()[-1].startswith("build failed: 3 errors")


def test_an_empty_strings_file_reports_every_string_the_pages_need(mini):
    from edition.stringuse import engine_uses, template_uses
    (mini / "templates/strings.yaml").write_text("", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    missing = {re.search(r"string '([^']+)' is missing", line).group(1) for line in result.stderr.splitlines()[:-1]}
    assert missing >= set(template_uses(mini / "templates")) | set(engine_uses())
    assert len(missing) > 150, len(missing)
    assert not (mini / "site").exists()


STRINGS = "templates/strings.yaml"


def string_line(project: Path, name: str) -> int:
    lines = (project / STRINGS).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(name + ":"))


@pytest.mark.parametrize("old, new, expected", [
    ('cite_version: {ar: "النسخة {version}"', 'cite_version: {ar: "النسخة {versio}"',
     ":1: error: string 'cite_version': ar has the placeholders {versio} and en {version}; both languages take the same"),
    ('footer_version: {ar: "النسخة {version}"', 'footer_version: {ar: "النسخة {version"',
     ":22: error: string 'footer_version' in 'ar': a brace is not closed (write a brace itself as {{ or }})"),
    ('cite_version: {ar: "النسخة {version}", en: "version {version}"',
     'cite_version: {ar: "النسخة {versio}", en: "version {versio}"',
     ":20: error: string 'cite_version': {versio} is not one the pages fill in (they give {version})"),
    ('witness_heading: {ar: "الشاهد {seed}"', 'witness_heading: {ar: "الشاهد {seed:d}"',
     ":23: error: string 'witness_heading' in 'ar': write the placeholder as {seed}, without a conversion or format "
     "('{seed:d}')"),
    ('skip: {ar: "تخطَّ إلى المحتوى", en: "Skip to content"}', 'skip: {ar: "تخطَّ إلى المحتوى", en: "Skip", fr: "Passer"}',
     ":45: error: string 'skip': unknown language 'fr' (the languages are ar and en)"),
])
def test_a_strings_placeholder_slip_is_an_error_at_the_string(mini, old, new, expected):
    """A {placeholder} the pages do not fill in was a traceback (the engine's, for cite_version) or a
    template's KeyError at the template's line; a third language was passed over; a placeholder with
    a format ({seed:d}) was told as one the pages do not fill in, when they do."""
    edit(mini, "config.yaml", "base_url: /", "base_url: /\nversion: '1.0'")  # cite_version and footer_version are used
    edit(mini, STRINGS, old, new)
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    name = re.search(r"string '([^']+)'", expected).group(1)
    assert result.stderr.splitlines()[:-1] == [f"{STRINGS}:{string_line(mini, name)}{expected}"]
    assert not (mini / "site").exists()


PLURAL_FORMS = '{ar: {zero: "x", one: "x", two: "x", few: "x", many: "x", other: "x"}, en: {one: "x", other: "x"}}'
AS_TEXT = ("it has plural forms, but the pages show it as one text: write one text in each language, "
           '{ar: "…", en: "…"}')


@pytest.mark.parametrize("name, old, new, expected", [
    ("months", "September,October,November,December", "September,October,November",
     "in 'en': the names of the 12 months, January first, separated by commas (it gives 11 names)"),
    ("months", "October,November,December", "October,November,",
     "in 'en': the names of the 12 months, January first, separated by commas (it gives 11 names)"),
    ("skip", 'skip: {ar: "تخطَّ إلى المحتوى", en: "Skip to content"}', "skip: " + PLURAL_FORMS, AS_TEXT),
    ("paragraph_n", 'paragraph_n: {ar: "الفقرة {n}", en: "paragraph {n}"}', "paragraph_n: " + PLURAL_FORMS, AS_TEXT),
    ("report_count", '  ar: {zero: "لا فقرات", one: "فقرة واحدة", two: "فقرتان", few: "{n} فقرات", many: "{n} فقرةً", '
     'other: "{n} فقرة"}\n  en: {one: "{n} paragraph", other: "{n} paragraphs"}', '  ar: "فقرات"\n  en: "paragraphs"',
     'the pages count with it: give a form for each plural category of each language, such as en: {one: "{n} '
     'paragraph", other: "{n} paragraphs"}'),
])
def test_a_string_used_otherwise_than_it_is_written_is_an_error_at_the_string(mini, name, old, new, expected):
    """Month names short of twelve were an IndexError on the page of a date in a later month; plural
    forms where the pages show one text, the Python text of a mapping on the page (a crash where the
    engine fills it in: paragraph_n); one text where a page counts with it, a TypeError at the
    template's line."""
    edit(mini, STRINGS, old, new)
    result = run_build(mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    lines = (mini / STRINGS).read_text(encoding="utf-8").splitlines()
    first = string_line(mini, name)
    own = [first, *itertools.takewhile(lambda n: lines[n - 1].startswith(" "), range(first + 1, len(lines) + 1))]
    assert len(errors) == 1, errors
    found = re.fullmatch(rf"{STRINGS}:(\d+):\d+: error: string '{name}':? (.*)", errors[0])
    assert found and int(found.group(1)) in own and found.group(2) == expected, (errors, own)
