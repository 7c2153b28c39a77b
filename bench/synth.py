#!/usr/bin/env python3
"""Generate a synthetic edition project of N reports, for the benchmark (bench/run.py).

    .venv/bin/python bench/synth.py 1000 /tmp/edition-1000          # generate
    .venv/bin/python build.py --project /tmp/edition-1000 --out /tmp/site-1000
    .venv/bin/python bench/synth.py --refresh-vocab                   # re-read bench/vocab.json from content/

The project is a copy of the real one's config.yaml (less its report_order), templates/ and content/pages/, a
node_modules symlink to this checkout's (lunr.js), and in content/:

- reports/<slug>/ar.md + en.md in the real format: front matter (seed, meeting, title, publisher,
  dateline, byline, date with certainty and evidence, omissions), an optional printed title block,
  a dateline block, 8-12 paragraphs `{#p1}` … (some `.editorial-break`, sometimes a `.heading`),
  Arabic paragraphs of 14-95 words (mean ~43, as in the real reports) and English ones ~1.35x
  longer; ~20 mentions of entities per report and language (names and aliases, auto-linked by
  the engine, one explicit `[…]{ref="id"}` span), a `[…]{corr="…" type="misprint"}` correction in half of them;
- annotations/*.yaml: ~500 entities (person, place, organization) with made-up but plausible
  Arabic names and their transliterations, aliases, glosses, related ids and sources, plus the
  2 meeting entities the reports belong to;
- witnesses/<seed>.txt: the report's generated Arabic text and the residue its omissions leave out,
  each where it was cut, so every `seed:` resolves and every text is its witness (the build checks).

Text comes from a bigram chain over the words of the real reports and glosses (frozen in
bench/vocab.json so the corpus does not change when the real content does), with ~2 % made-up
proper names, so the vocabulary keeps growing with N as a real corpus's does. Everything is
drawn from one seeded random generator: the same N and seed give byte-identical files.

Next to content/ the generator writes bench-corpus.json, the same corpus in a neutral form
(paragraph segments with the mentions resolved) from which bench/peers.py makes the Hugo,
Pelican and MkDocs projects.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import textwrap
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCAB = Path(__file__).resolve().parent / "vocab.json"
ENTITIES = 500
MENTIONS = 20  # per report and language

# ------------------------------------------------------------------ vocabulary

_SPAN = re.compile(r"\[([^\]]*)\]\{[^}]*\}")
_STRIP = str.maketrans("", "", "*_`#<>[]{}«»“”\"()|\\")


def _tokens(text: str) -> list[str]:
    text = _SPAN.sub(r"\1", text).translate(_STRIP)
    return [t for t in text.split() if re.search(r"\w", t)]


def refresh_vocab() -> None:
    """Read the real reports' paragraphs and the glosses into bench/vocab.json."""
    import yaml
    out: dict[str, list[list[str]]] = {"ar": [], "en": []}
    for folder in sorted((ROOT / "content" / "reports").iterdir()):
        for lang in ("ar", "en"):
            text = (folder / f"{lang}.md").read_text(encoding="utf-8")
            body = text.split("\n---\n", 1)[1]
            for chunk in body.split("\n\n"):
                lines = chunk.strip().split("\n")
                if lines and re.match(r"^\{#p\d+", lines[0]):
                    out[lang].append(_tokens(" ".join(lines[1:])))
    for path in sorted((ROOT / "content" / "annotations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang in ("ar", "en"):
            for sentence in re.split(r"(?<=[.!?؟])\s+", data["gloss"][lang]):
                if len(sentence.split()) > 4:
                    out[lang].append(_tokens(sentence))
    VOCAB.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {VOCAB}: " + ", ".join(f"{lang} {sum(map(len, s))} words, {len({w for x in s for w in x})} distinct"
                                        for lang, s in out.items()))


class Chain:
    """A bigram chain over real sentences: plausible word sequences, not sense."""

    def __init__(self, sentences: list[list[str]]):
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for words in sentences:
            if not words:
                continue
            self.starts.append(words[0])
            for a, b in zip(words, words[1:]):
                self.next[a].append(b)
                if a[-1] in ".؟?!":
                    self.starts.append(b)

    def words(self, rng: random.Random, count: int) -> list[str]:
        out = [rng.choice(self.starts)]
        while len(out) < count:
            follow = self.next.get(out[-1])
            out.append(rng.choice(follow) if follow and rng.random() > 0.03 else rng.choice(self.starts))
        return out

    def sentence(self, rng: random.Random, count: int, stop: str = ".") -> list[str]:
        words = self.words(rng, count)
        words[-1] = words[-1].rstrip(".,،:;؛") + stop
        return words


# ------------------------------------------------------------------ made-up names

CONSONANTS = [("ب", "b"), ("ت", "t"), ("ج", "j"), ("د", "d"), ("ر", "r"), ("ز", "z"), ("س", "s"), ("ش", "sh"),
              ("ف", "f"), ("ق", "q"), ("ك", "k"), ("ل", "l"), ("م", "m"), ("ن", "n"), ("خ", "kh"), ("ح", "h"),
              ("غ", "gh")]
VOWELS = [("ا", "a"), ("ي", "i"), ("و", "u"), ("", "a"), ("", "e")]
GIVEN = [("سامر", "Samer"), ("خالد", "Khalid"), ("ليلى", "Layla"), ("عمر", "Omar"), ("نادية", "Nadia"),
         ("يوسف", "Yusuf"), ("هدى", "Huda"), ("طارق", "Tariq"), ("منى", "Mona"), ("كريم", "Karim"),
         ("سلمى", "Salma"), ("فيصل", "Faisal"), ("رنا", "Rana"), ("ماجد", "Majid"), ("دينا", "Dina"),
         ("عادل", "Adel"), ("ريم", "Reem"), ("حسن", "Hassan"), ("لينا", "Lina"), ("وليد", "Walid"),
         ("جمال", "Jamal"), ("سعاد", "Suad"), ("نبيل", "Nabil"), ("هالة", "Hala"), ("زياد", "Ziad"),
         ("أمل", "Amal"), ("باسل", "Basel"), ("غادة", "Ghada"), ("مازن", "Mazen"), ("سهى", "Suha")]
OFFICES = [("وزير الخارجية", "Minister of Foreign Affairs"), ("وزير الدفاع", "Minister of Defence"),
           ("المتحدث باسم الحكومة", "Government spokesperson"), ("قائد العمليات المشتركة", "Commander of joint operations"),
           ("المبعوث الخاص", "Special envoy"), ("رئيس الوزراء", "Prime Minister"), ("محافظ المدينة", "Governor of the city"),
           ("مستشار الأمن الوطني", "National security adviser"), ("سفير لدى الأمم المتحدة", "Ambassador to the United Nations"),
           ("رئيس البرلمان", "Speaker of parliament")]
COUNTRIES = [("العراق", "Iraq"), ("سوريا", "Syria"), ("الأردن", "Jordan"), ("لبنان", "Lebanon"), ("مصر", "Egypt"),
             ("ليبيا", "Libya"), ("تونس", "Tunisia"), ("اليمن", "Yemen"), ("الكويت", "Kuwait"), ("تركيا", "Turkey")]
ORG_FORMS = [("هيئة {a}", "{e} Authority"), ("مجلس {a}", "{e} Council"), ("حركة {a}", "{e} Movement"),
             ("وكالة {a} للأنباء", "{e} News Agency"), ("مؤسسة {a}", "{e} Foundation"), ("جبهة {a}", "{e} Front"),
             ("لجنة {a} الوطنية", "{e} National Committee"), ("صحيفة {a}", "{e} newspaper")]
PUBLISHER_FORMS = [("صحيفة {a}", "{e} newspaper"), ("موقع {a}", "{e} website"), ("وكالة {a}", "{e} Agency")]
OMITTED = [("مشاركة :", "The website's “share” button, captured with the text.", "زر «مشاركة» من واجهة الموقع."),
           ("آخر تحديث:", "Page residue: an empty “Last updated:” field.", "بقايا من قالب الصفحة: حقل «آخر تحديث» بلا قيمة."),
           ("اترك تعليقاً", "The website's comment form, not part of the report.", "نموذج التعليقات في الموقع، وليس جزءًا من الخبر.")]


class Names:
    """Made-up Arabic words with their transliterations, never the same form twice in either script."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen_ar: set[str] = set()
        self.seen_en: set[str] = set()

    def make(self, syllables: int) -> tuple[str, str]:
        rng = self.rng
        ar, en = "", ""
        for i in range(syllables):
            c, v = rng.choice(CONSONANTS), rng.choice(VOWELS)
            if i == 0 and not v[0]:
                v = VOWELS[0]
            ar, en = ar + c[0] + v[0], en + c[1] + v[1]
        c = rng.choice(CONSONANTS)
        return ar + c[0], (en + c[1]).capitalize()

    def unique(self, syllables: int = 2) -> tuple[str, str]:
        while True:
            ar, en = self.make(syllables)
            if ar not in self.seen_ar and en not in self.seen_en and len(ar) >= 3:
                self.seen_ar.add(ar)
                self.seen_en.add(en)
                return ar, en


# ------------------------------------------------------------------ generation

def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def folded(text: str, indent: int = 4) -> str:
    pad = " " * indent
    return ">-\n" + "\n".join(pad + line for line in textwrap.wrap(text, 100, break_long_words=False,
                                                                   break_on_hyphens=False))


def make_entities(rng: random.Random, names: Names, chains: dict[str, Chain], count: int) -> list[dict]:
    entities = []
    ids = set()
    kinds = ["person"] * 40 + ["place"] * 35 + ["organization"] * 25
    for _ in range(count):
        kind = rng.choice(kinds)
        core_ar, core_en = names.unique(2)
        entity: dict = {"kind": kind, "aliases": {"ar": [], "en": []}}
        if kind == "person":
            given = rng.choice(GIVEN)
            family_ar, family_en = ("ال" + core_ar, "al-" + core_en) if rng.random() < 0.4 else (core_ar, core_en)
            entity["name"] = {"ar": f"{given[0]} {family_ar}", "en": f"{given[1]} {family_en}"}
            entity["aliases"] = {"ar": [family_ar], "en": [family_en]}
            entity["office"] = dict(zip(("ar", "en"), rng.choice(OFFICES)))
            base = f"{given[1]}-{core_en}"
        elif kind == "place":
            entity["name"] = {"ar": ("ال" + core_ar) if rng.random() < 0.3 else core_ar, "en": core_en}
            if rng.random() < 0.2:
                entity["aliases"] = {"ar": [f"مدينة {entity['name']['ar']}"], "en": [f"{core_en} city"]}
            if rng.random() < 0.8:
                entity["country"] = dict(zip(("ar", "en"), rng.choice(COUNTRIES)))
            base = core_en
        else:
            form = rng.choice(ORG_FORMS)
            entity["name"] = {"ar": form[0].format(a=core_ar), "en": form[1].format(e=core_en)}
            if rng.random() < 0.5:
                entity["aliases"] = {"ar": [core_ar], "en": [core_en]}
            base = form[1].format(e=core_en)
        entity_id = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
        assert entity_id not in ids, entity_id
        ids.add(entity_id)
        entity["id"] = entity_id
        entity["gloss"] = {lang: " ".join(chains[lang].sentence(rng, rng.randint(40, 90) if lang == "ar" else rng.randint(55, 120)))
                           for lang in ("ar", "en")}
        entity["sources"] = [{"citation": f"{entity['name']['en']}, entry in a synthetic reference work ({rng.randint(1990, 2024)})."}]
        if rng.random() < 0.5:
            entity["sources"].append({"citation": "Synthetic news archive, article on " + entity["name"]["en"] + ".",
                                      "url": f"https://example.org/archive/{entity_id}"})
        entities.append(entity)
    for entity in entities:
        others = rng.sample(entities, min(len(entities), rng.randint(0, 4)))
        entity["related"] = sorted({o["id"] for o in others if o is not entity})
    return entities


def make_meetings(rng: random.Random, names: Names, chains: dict[str, Chain], places: list[dict]) -> list[dict]:
    meetings = []
    for number, day in enumerate((date(2019, 3, 12), date(2021, 10, 5)), start=1):
        core_ar, core_en = names.unique(2)
        place = places[number]
        meetings.append({
            "id": f"{core_en.lower()}-{day.year}", "kind": "meeting",
            "name": {"ar": f"اجتماع {core_ar} الوزاري في {place['name']['ar']} ({day.year})",
                     "en": f"{core_en} ministerial meeting, {place['name']['en']} ({day.year})"},
            "aliases": {"ar": [f"اجتماع {core_ar}"], "en": [f"{core_en} meeting"]},
            "gloss": {lang: " ".join(chains[lang].sentence(rng, 70 if lang == "ar" else 95)) for lang in ("ar", "en")},
            "date": day.isoformat(), "related": [place["id"]],
            "sources": [{"citation": f"Synthetic communiqué of the {core_en} ministerial meeting ({day.year}).",
                         "url": f"https://example.org/meetings/{core_en.lower()}"}],
        })
    return meetings


def entity_yaml(e: dict) -> str:
    lines = [f"id: {e['id']}", f"kind: {e['kind']}", "name:", f"  ar: {q(e['name']['ar'])}", f"  en: {q(e['name']['en'])}",
             "aliases:", f"  ar: {json.dumps(e['aliases']['ar'], ensure_ascii=False)}",
             f"  en: {json.dumps(e['aliases']['en'], ensure_ascii=False)}",
             "gloss:", f"  ar: {folded(e['gloss']['ar'])}", f"  en: {folded(e['gloss']['en'])}"]
    for key in ("office", "country"):
        if key in e:
            lines += [f"{key}:", f"  ar: {q(e[key]['ar'])}", f"  en: {q(e[key]['en'])}"]
    if "date" in e:
        lines.append(f"date: {e['date']}")
    lines.append(f"related: [{', '.join(e['related'])}]")
    lines.append("sources:")
    for source in e["sources"]:
        lines.append(f"  - citation: {q(source['citation'])}")
        if "url" in source:
            lines.append(f"    url: {source['url']}")
    return "\n".join(lines) + "\n"


class Picker:
    """Entities by a Zipf-like weight: a few are everywhere, most appear now and then."""

    def __init__(self, rng: random.Random, entities: list[dict]):
        order = entities[:]
        rng.shuffle(order)
        self.entities = order
        self.cum = []
        total = 0.0
        for rank in range(len(order)):
            total += 1.0 / (rank + 1) ** 0.7
            self.cum.append(total)

    def pick(self, rng: random.Random) -> dict:
        import bisect
        return self.entities[min(bisect.bisect(self.cum, rng.random() * self.cum[-1]), len(self.entities) - 1)]


def forms(entity: dict, rng: random.Random) -> tuple[str, str]:
    """One way the text names the entity, in Arabic and in English (the same choice in both)."""
    options = [(entity["name"]["ar"], entity["name"]["en"])]
    options += list(zip(entity["aliases"]["ar"], entity["aliases"]["en"]))
    ar, en = options[0] if rng.random() < 0.55 or len(options) == 1 else rng.choice(options[1:])
    if rng.random() < 0.1 and not ar.startswith("ال"):
        ar = "و" + ar  # a proclitic the matcher must see through
    return ar, en


def make_report(index: int, rng: random.Random, names: Names, chains: dict[str, Chain], picker: Picker,
                meetings: list[dict], places: list[dict], rare_pool: list[tuple[str, str]]) -> dict:
    meeting = meetings[index % len(meetings)]
    slug = f"r{index:05d}-" + rng.choice(rare_pool)[1].lower()
    n_par = rng.randint(8, 12)
    blocks: list[dict] = []  # {id, classes, ar: [segments], en: [segments]}; a segment is str or {"e","t"}

    title_ar = " ".join(chains["ar"].words(rng, rng.randint(7, 13))).rstrip(".,،:;؛")
    title_en = " ".join(chains["en"].words(rng, rng.randint(9, 16))).rstrip(".,،:;؛")
    printed_title = rng.random() < 0.2
    if printed_title:
        blocks.append({"id": "t", "classes": ["title"], "ar": [title_ar], "en": [title_en]})
    dateline_place = places[rng.randrange(len(places))]
    byline = None
    if rng.random() < 0.4:
        given = rng.choice(GIVEN)
        family = rng.choice(rare_pool)
        byline = (f"{given[0]} {family[0]}", f"{given[1]} {family[1]}")
    if rng.random() < 0.75:
        pa, pe = dateline_place["name"]["ar"], dateline_place["name"]["en"]
        if byline:
            dateline = (pa, pe)
            blocks.append({"id": "d", "classes": ["dateline"], "ar": [{"e": dateline_place["id"], "t": pa}, f" - {byline[0]}:"],
                           "en": [{"e": dateline_place["id"], "t": pe}, f" – {byline[1]}:"]})
        else:
            dateline = (f"{pa}: الوكالات", f"{pe}: news agencies")
            blocks.append({"id": "d", "classes": ["dateline"], "ar": [{"e": dateline_place["id"], "t": pa}, ": الوكالات"],
                           "en": [{"e": dateline_place["id"], "t": pe}, ": news agencies"]})
    else:
        dateline, byline = None, None

    # Mentions: which paragraph gets which entity (the meeting once, one explicit ref).
    mentions: list[list[dict]] = [[] for _ in range(n_par)]
    mentions[rng.randrange(n_par)].append({"entity": meeting, "ref": False})
    for k in range(MENTIONS - 1 - (1 if dateline else 0)):
        mentions[rng.randrange(n_par)].append({"entity": picker.pick(rng), "ref": k == 0})
    corr_at = rng.randrange(n_par) if rng.random() < 0.5 else None
    heading_after = rng.randint(3, n_par - 2) if rng.random() < 0.3 else None

    for p in range(n_par):
        length_ar = max(14, min(95, int(rng.gauss(43, 18))))
        length_en = max(19, min(132, int(length_ar * rng.uniform(1.15, 1.55))))
        text = {"ar": chains["ar"].sentence(rng, length_ar), "en": chains["en"].sentence(rng, length_en)}
        segs: dict[str, list] = {"ar": [], "en": []}
        # rare made-up names, the same in both languages
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            ar, en = rng.choice(rare_pool)
            text["ar"].insert(rng.randrange(len(text["ar"])), ar)
            text["en"].insert(rng.randrange(len(text["en"])), en)
        # mentions go between words
        items = {lang: list(text[lang]) for lang in ("ar", "en")}
        for mention in mentions[p]:
            entity = mention["entity"]
            if mention["ref"]:
                phrase_ar = " ".join(chains["ar"].words(rng, 2)).rstrip(".,،:;؛")
                phrase_en = " ".join(chains["en"].words(rng, 2)).rstrip(".,;:")
                seg = {"ar": {"e": entity["id"], "t": phrase_ar, "ref": True},
                       "en": {"e": entity["id"], "t": phrase_en, "ref": True}}
            else:
                ar, en = forms(entity, rng)
                seg = {"ar": {"e": entity["id"], "t": ar}, "en": {"e": entity["id"], "t": en}}
            for lang in ("ar", "en"):
                items[lang].insert(rng.randrange(len(items[lang])), seg[lang])
        if corr_at == p:
            # a word printed without its last letter, with the editors' reading
            candidates = [i for i, w in enumerate(items["ar"]) if isinstance(w, str) and len(w.rstrip(PUNCT)) > 3]
            if candidates:
                i = rng.choice(candidates)
                word = items["ar"][i].rstrip(PUNCT)
                tail = items["ar"][i][len(word):]
                items["ar"][i:i + 1] = [{"corr": word, "t": word[:-1]}] + ([tail] if tail else [])
        segs = {lang: assemble(items[lang]) for lang in ("ar", "en")}
        classes = ["editorial-break"] if rng.random() < 0.1 else []
        blocks.append({"id": f"p{p + 1}", "classes": classes, "ar": segs["ar"], "en": segs["en"]})
        if heading_after == p + 1:
            blocks.append({"id": "s1", "classes": ["heading"], "ar": [" ".join(chains["ar"].words(rng, 3)).rstrip(".,،:;؛")],
                           "en": [" ".join(chains["en"].words(rng, 4)).rstrip(".,;:")]})

    # Front matter
    roll = rng.random()
    if roll < 0.5:
        pub_ar, pub_en = (f.format(a=v, e=w) for f, (v, w) in zip(rng.choice(PUBLISHER_FORMS), [rng.choice(rare_pool)] * 2))
        publisher = {"ar": pub_ar, "en": pub_en, "certainty": "printed"}
    elif roll < 0.75:
        pub_ar, pub_en = (f.format(a=v, e=w) for f, (v, w) in zip(rng.choice(PUBLISHER_FORMS), [rng.choice(rare_pool)] * 2))
        publisher = {"ar": pub_ar, "en": pub_en, "certainty": "inferred", "evidence": evidence(rng, chains)}
    else:
        publisher = {"certainty": "unknown", "evidence": evidence(rng, chains)}
    day = date.fromisoformat(meeting["date"]) + timedelta(days=rng.randint(0, 3))
    roll = rng.random()
    if roll < 0.4:
        when = {"value": day.isoformat(), "certainty": "printed"}
    elif roll < 0.75:
        when = {"value": day.isoformat(), "certainty": "inferred", "evidence": evidence(rng, chains)}
    else:
        when = {"certainty": "unknown", "evidence": evidence(rng, chains)}
    omissions = []
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        text, en, ar = rng.choice(OMITTED)
        omissions.append({"after": rng.choice([None, f"p{rng.randint(1, n_par)}"]), "text": text, "reason": {"ar": ar, "en": en}})
    return {"slug": slug, "meeting": meeting["id"], "title": {"ar": title_ar, "en": title_en, "supplied": not printed_title},
            "publisher": publisher, "dateline": dateline, "byline": byline, "date": when, "omissions": omissions,
            "blocks": blocks}


PUNCT = ".,،:;؛"


def assemble(items: list) -> list:
    """Words and segments into segments: text runs joined by spaces, punctuation attached."""
    segments: list = []
    buffer = ""
    for i, item in enumerate(items):
        sep = "" if i == 0 or (isinstance(item, str) and item[:1] in PUNCT) else " "
        if isinstance(item, str):
            buffer += sep + item
        else:
            buffer += sep
            if buffer:
                segments.append(buffer)
            buffer = ""
            segments.append(item)
    if buffer:
        segments.append(buffer)
    return segments


def evidence(rng: random.Random, chains: dict[str, Chain]) -> dict:
    return {lang: " ".join(chains[lang].sentence(rng, rng.randint(15, 35))) for lang in ("ar", "en")}


def markdown(segments: list) -> str:
    out = []
    for seg in segments:
        if isinstance(seg, str):
            out.append(seg)
        elif "corr" in seg:
            out.append(f'[{seg["t"]}]{{corr="{seg["corr"]}" type="misprint"}}')
        elif seg.get("ref"):
            out.append(f'[{seg["t"]}]{{ref="{seg["e"]}"}}')
        else:
            out.append(seg["t"])  # a plain name: the engine links it by itself
    return "".join(out)


def plain(segments: list) -> str:
    return "".join(seg if isinstance(seg, str) else seg["t"] for seg in segments)


def witness_of(report: dict) -> str:
    """The report's witness: its Arabic text and the residue its omissions leave out, each where it
    was cut (before the text, or after its block), as the build requires (reports.check_fidelity)."""
    def cut(after):
        return [omission["text"] for omission in report["omissions"] if omission["after"] == after]
    parts = cut(None)
    for block in report["blocks"]:
        parts += [plain(block["ar"]), *cut(block["id"])]
    return "\n\n".join(parts) + "\n"


def report_files(report: dict, seed: str) -> tuple[str, str]:
    front = [f"seed: {seed}", f"meeting: {report['meeting']}", "title:",
             f"  ar: {q(report['title']['ar'])}", f"  en: {q(report['title']['en'])}",
             f"  supplied: {'true' if report['title']['supplied'] else 'false'}", "publisher:"]
    pub = report["publisher"]
    for key in ("ar", "en"):
        if key in pub:
            front.append(f"  {key}: {q(pub[key])}")
    front.append(f"  certainty: {pub['certainty']}")
    if "evidence" in pub:
        front += ["  evidence:", f"    ar: {q(pub['evidence']['ar'])}", f"    en: {q(pub['evidence']['en'])}"]
    if report["dateline"]:
        front += ["dateline:", f"  printed: {q(report['dateline'][0])}", f"  en: {q(report['dateline'][1])}"]
    if report["byline"]:
        front += ["byline:", f"  printed: {q(report['byline'][0])}", f"  en: {q(report['byline'][1])}"]
    when = report["date"]
    front.append("date:")
    if "value" in when:
        front.append(f"  value: {when['value']}")
    front.append(f"  certainty: {when['certainty']}")
    if "evidence" in when:
        front += ["  evidence:", f"    ar: {q(when['evidence']['ar'])}", f"    en: {q(when['evidence']['en'])}"]
    if report["omissions"]:
        front.append("omissions:")
        for o in report["omissions"]:
            front += [f"  - after: {o['after'] or 'null'}", f"    text: {q(o['text'])}", "    reason:",
                      f"      ar: {q(o['reason']['ar'])}", f"      en: {q(o['reason']['en'])}"]
    else:
        front.append("omissions: []")
    bodies = {}
    for lang in ("ar", "en"):
        chunks = []
        for block in report["blocks"]:
            head = "{#" + block["id"] + "".join(" ." + c for c in block["classes"]) + "}"
            chunks.append(head + "\n" + markdown(block[lang]))
        bodies[lang] = "\n\n".join(chunks) + "\n"
    ar = "---\n" + "\n".join(front) + "\n---\n" + bodies["ar"]
    en = "---\ntranslation_of: ar.md\n---\n" + bodies["en"]
    return ar, en


def generate(n: int, target: Path, seed: int = 1, entities: int = ENTITIES) -> dict:
    """Write the project; return a summary (counts)."""
    rng = random.Random(f"edition-bench-{seed}")
    vocab = json.loads(VOCAB.read_text(encoding="utf-8"))
    chains = {lang: Chain(vocab[lang]) for lang in ("ar", "en")}
    names = Names(rng)
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    for sub in ("reports", "annotations", "witnesses", "pages"):
        (content / sub).mkdir(parents=True)
    # the real edition's config, without its report_order (it names the real reports; here the
    # reports follow by folder name)
    config = re.sub(r"(?:#[^\n]*\n)*report_order:\n(?:  - [^\n]*\n)+", "", (ROOT / "config.yaml").read_text(encoding="utf-8"))
    (target / "config.yaml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "templates", target / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    for page in sorted((ROOT / "content" / "pages").glob("*.md")):
        shutil.copy2(page, content / "pages" / page.name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")

    glossed = make_entities(rng, names, chains, entities - 2)
    places = [e for e in glossed if e["kind"] == "place"]
    meetings = make_meetings(rng, names, chains, places)
    all_entities = glossed + meetings
    for entity in all_entities:
        (content / "annotations" / f"{entity['id']}.yaml").write_text(entity_yaml(entity), encoding="utf-8")
    # made-up proper names (not glossed): the pool grows with N, as a real corpus's vocabulary does
    rare_pool = [names.unique(3) for _ in range(max(200, 2 * n))]
    picker = Picker(rng, glossed)
    reports = []
    for index in range(n):
        report = make_report(index, rng, names, chains, picker, meetings, places, rare_pool)
        witness_text = witness_of(report)
        seed_name = f"{index:05d}_{hashlib.sha256(witness_text.encode()).hexdigest()[:16]}.txt"
        (content / "witnesses" / seed_name).write_text(witness_text, encoding="utf-8")
        ar, en = report_files(report, seed_name)
        folder = content / "reports" / report["slug"]
        folder.mkdir()
        (folder / "ar.md").write_text(ar, encoding="utf-8")
        (folder / "en.md").write_text(en, encoding="utf-8")
        report["seed"] = seed_name
        reports.append(report)
    corpus = {"n": n, "seed": seed, "entities": all_entities, "reports": reports}
    (target / "bench-corpus.json").write_text(json.dumps(corpus, ensure_ascii=False, default=list), encoding="utf-8")
    words = {lang: sum(len(plain(b[lang]).split()) for r in reports for b in r["blocks"]) for lang in ("ar", "en")}
    mentions = sum(1 for r in reports for b in r["blocks"] for s in b["ar"] if isinstance(s, dict) and "e" in s)
    return {"reports": n, "entities": len(all_entities), "words_ar": words["ar"], "words_en": words["en"],
            "mentions_ar": mentions}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic edition project of N reports.")
    parser.add_argument("n", type=int, nargs="?", help="number of reports")
    parser.add_argument("target", type=Path, nargs="?", help="project folder to create (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--entities", type=int, default=ENTITIES, help=f"glossed entities incl. 2 meetings (default {ENTITIES})")
    parser.add_argument("--refresh-vocab", action="store_true", help="re-read bench/vocab.json from the real content/")
    args = parser.parse_args(argv)
    if args.refresh_vocab:
        refresh_vocab()
        if args.n is None:
            return 0
    if args.n is None or args.target is None:
        parser.error("give N and a target folder")
    summary = generate(args.n, args.target.resolve(), args.seed, args.entities)
    print(f"generated {args.target}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
