"""Typed data models: the one source of truth for config, report metadata and annotations.

The same models validate the sources and produce the JSON Schemas that contributors'
editors use (``schemas/``).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
import unicodedata
from typing import Annotated, Any, Literal, Optional

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints,
                      ValidationError, ValidationInfo)

from .problems import Problems
from .safety import not_ascii
from .urls import base_url_problem, http_url_problem
from .yamlsource import Located

LANGS = ("ar", "en")  # the edition's two languages, the original first: fixed facts of this edition
DIRS = {"ar": "rtl", "en": "ltr"}  # their text directions
OTHER = {"ar": "en", "en": "ar"}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
EntityId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


def _http_url(value: str) -> str:
    problem = http_url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _base_url(value: str) -> str:
    problem = base_url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _format_character(value: str) -> str:
    if not re.fullmatch(r"U\+[0-9A-F]{4,6}", value):
        raise ValueError(f"'{value}' is not a code point written as U+XXXX (e.g. U+200C)")
    code = int(value[2:], 16)
    if code > sys.maxunicode or unicodedata.category(chr(code)) != "Cf":  # any other is never flagged: a slip
        raise ValueError(f"'{value}' is not an invisible format character (Unicode category Cf, e.g. U+200C), "
                         "the only characters flagged")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]


def _calendar_date(value: Any) -> Any:
    """A date is written YYYY-MM-DD; a number would be read as seconds since 1970."""
    if isinstance(value, (int, float)):  # bool among them
        raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2018-02-14 "
                         "(a number would be read as seconds since 1970)")
    return value


Date = Annotated[dt.date, BeforeValidator(_calendar_date)]


def _ends_after_its_date(value: dt.date, info: ValidationInfo) -> dt.date:
    """An end_date ends the entry's date: it needs that date, and does not come before it (the
    chronology and the TEI's from/to would show a span that runs backwards, or drop the end)."""
    if "date" not in info.data:  # the date is invalid: its own error says so
        return value
    start = info.data["date"]
    if start is None:
        raise ValueError("an end date needs the date it ends: give date (YYYY-MM-DD) too")
    if value < start:
        raise ValueError(f"{value.isoformat()} comes before date {start.isoformat()}")
    return value


EndDate = Annotated[dt.date, BeforeValidator(_calendar_date), AfterValidator(_ends_after_its_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    ar: Text
    en: Text

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


class Aliases(Strict):
    ar: list[Text] = Field(default_factory=list)
    en: list[Text] = Field(default_factory=list)

    def __getitem__(self, lang: str) -> list[str]:
        return getattr(self, lang)


# ---------------------------------------------------------------- config

class Responsibility(Strict):
    """Who did what in the edition: one statement of responsibility (TEI ``respStmt``)."""

    resp: Bilingual = Field(description="What was done, e.g. translation into English.")
    name: Bilingual = Field(description="Who did it.")


# a report's folder name under content/reports/
ReportSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Config(Strict):
    """``config.yaml``."""

    title: Bilingual
    subtitle: Bilingual
    base_url: Annotated[str, AfterValidator(_base_url), Field(json_schema_extra={  # for editors; the validator says why
        "pattern": r"^(https?://[A-Za-z0-9.-]+(:[0-9]+)?)?/([A-Za-z0-9._~!$&'()*+,;=:@%-]+/)*$"})] = "/"
    version: Optional[Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$")]] = Field(
        None, description="The edition's version, e.g. 1.0 (letters, digits, '.', '+' and '-': it names the release archive).")
    date: Optional[Date] = Field(None, description="The date of this version of the edition.")
    responsibility: list[Responsibility] = Field(default_factory=list, description=(
        "Who established the text, translated and annotated it, in both languages (the TEI headers' respStmt)."))
    format_characters: dict[Annotated[str, AfterValidator(_format_character)], Text] = Field(
        default_factory=dict, description=(
            "Invisible format characters (Unicode category Cf, e.g. U+200C ZERO WIDTH NON-JOINER) that the "
            "sources may contain, each with the reason the edition needs it; any other is flagged."))
    report_order: list[ReportSlug] = Field(default_factory=list, description=(
        "The reports' folder names in the edition's reading order (Report 1 of N, previous and next, the "
        "lists of reports, the exports); reports not named follow in the order of their folder names."))


# ---------------------------------------------------------------- reports

Certainty = Literal["printed", "inferred", "unknown"]


class Title(Bilingual):
    supplied: bool = False


class Publisher(Strict):
    ar: Optional[Text] = None
    en: Optional[Text] = None
    certainty: Certainty
    evidence: Optional[Bilingual] = None

    def __getitem__(self, lang: str) -> str | None:
        return getattr(self, lang)


class Printed(Strict):
    printed: Text
    en: Text


class DateInfo(Strict):
    value: Optional[Date] = None
    certainty: Certainty
    evidence: Optional[Bilingual] = None


class Omission(Strict):
    after: Optional[Text]
    text: Text
    reason: Bilingual


class Provenance(Strict):
    """What is known of a witness: how it was captured, what is not known of it, what the capture lost."""

    known: Bilingual = Field(description="What is known of where and when the witness was captured, and the clues.")
    unknown: Bilingual = Field(description="What is not known (e.g. that no address of the page was recorded).")
    lost: Bilingual = Field(description="What the capture lost of the page (titles, images, captions …).")


NoteId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class ReportMeta(Strict):
    """Front matter of a report's ``ar.md``."""

    seed: Annotated[str, StringConstraints(pattern=r"^[\w-][\w.-]*\.txt$")] = Field(description=(
        "The witness's file name in content/witnesses/, e.g. 000_907d811416d42409.txt."))
    meeting: EntityId
    title: Title
    publisher: Publisher
    dateline: Optional[Printed] = None
    byline: Optional[Printed] = None
    date: DateInfo
    omissions: list[Omission] = Field(default_factory=list)
    provenance: Optional[Provenance] = None
    correction_notes: dict[NoteId, Bilingual] = Field(default_factory=dict, description=(
        "Notes on corrections, in both languages, keyed by the id a correction names: [x]{corr=\"y\" note=\"id\"}."))


class TranslationMeta(Strict):
    """Front matter of a report's ``en.md``."""

    translation_of: Literal["ar.md"]


# ---------------------------------------------------------------- annotations

class Source(Strict):
    citation: Text
    url: Optional[HttpUrl] = None


def _number_as_text(value: Any) -> Any:
    """A VIAF or GeoNames number written unquoted in YAML is read as its digits."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Identifiers(Strict):
    """Authority identifiers of an entry, each checked by form; give only those verified in a cited source."""
    wikidata: Optional[Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")]] = Field(
        None, description="A Wikidata item, e.g. Q42.")
    viaf: Optional[Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,21}$"), BeforeValidator(_number_as_text)]] = Field(
        None, description="A VIAF cluster number.")
    geonames: Optional[Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,9}$"), BeforeValidator(_number_as_text)]] = Field(
        None, description="A GeoNames feature id.")


class EntityBase(Strict):
    id: EntityId
    name: Bilingual
    aliases: Aliases = Field(default_factory=Aliases)
    exclude: Aliases = Field(default_factory=Aliases, description=(
        "Words of the texts that look like an alias but are not this entity (e.g. «وزير» for an alias «زير»); "
        "they are never linked to it."))
    gloss: Bilingual
    related: list[EntityId] = Field(default_factory=list)
    sources: Annotated[list[Source], Field(min_length=1)]
    identifiers: Identifiers = Field(default_factory=Identifiers, description=(
        "Authority identifiers (Wikidata, VIAF, GeoNames), only those verified in a public source."))


class Resolution(EntityBase):
    kind: Literal["resolution"]
    symbol: Annotated[str, StringConstraints(pattern=r"^S/RES/\d+ \(\d{4}\)$")]
    adopted: Date
    subject: Bilingual


class Document(EntityBase):
    kind: Literal["document"]
    date: Optional[Date] = None


class WorkingGroup(EntityBase):
    kind: Literal["working-group"]
    remit: Bilingual


class Person(EntityBase):
    kind: Literal["person"]
    office: Bilingual


class Organization(EntityBase):
    kind: Literal["organization"]


class Place(EntityBase):
    kind: Literal["place"]
    country: Optional[Bilingual] = None


class Event(EntityBase):
    kind: Literal["event"]
    date: Optional[Date] = None
    end_date: Optional[EndDate] = None


class Meeting(EntityBase):
    kind: Literal["meeting"]
    date: Date
    end_date: Optional[EndDate] = None


ENTITY_KINDS: dict[str, type[EntityBase]] = {
    "resolution": Resolution,
    "document": Document,
    "working-group": WorkingGroup,
    "person": Person,
    "organization": Organization,
    "place": Place,
    "event": Event,
    "meeting": Meeting,
}

# ---------------------------------------------------------------- validation

def validate(model: type[BaseModel], located: Located, problems: Problems) -> Any | None:
    """Validate located YAML data against ``model``; record each error at its line:col."""
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors()
        # a misspelt key is one problem, not two: drop "missing 'gloss'" when 'glos' says so
        suggested = {tuple(e["loc"][:-1]) + (_did_you_mean(tuple(e["loc"]), model),)
                     for e in errors if e["type"] == "extra_forbidden"}
        for error in errors:
            if not (error["type"] == "missing" and tuple(error["loc"]) in suggested):
                _report(error, model, located, problems)
        return None


def _report(error: dict, model: type[BaseModel], located: Located, problems: Problems) -> None:
    loc = tuple(part for part in error["loc"] if not str(part).startswith("function-"))
    kind = error["type"]
    dotted = ".".join(str(part) for part in loc)
    if kind == "extra_forbidden":
        line, col = located.where(loc, key=True)
        message = f"unknown key '{dotted}'{not_ascii(str(loc[-1]))}"
        message += did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
    elif kind == "missing":
        line, col = located.where(loc[:-1])
        message = f"missing required field '{dotted}'"
    elif kind == "model_type" and not loc:
        line, col = located.where(())
        message = "expected a mapping of keys and values"
    else:
        # a key's own error (loc ends in "[key]") is told at the key, not at its value
        line, col = located.where(loc[:-1], key=True) if loc[-1:] == ("[key]",) else located.where(loc)
        text = error["msg"].removeprefix("Value error, ")
        if kind == "string_type":
            text += _unquoted(error.get("input"))
        elif kind == "literal_error":
            text = "must be one of " + error["ctx"]["expected"]
        elif kind == "string_pattern_mismatch":
            described = _description(model, loc)
            text = f"{error['input']!r} does not have the expected form" + (
                not_ascii(str(error["input"])) if "\\w" not in error["ctx"]["pattern"] else "") + (
                f": {described[:1].lower()}{described[1:]}" if described else "")
        message = f"{dotted}: {text}" if dotted else text
    problems.error(located.file, line, col, message)


def _unquoted(value: Any) -> str:
    """Why a text written unquoted was not read as text: YAML takes yes, no, on, off (any case) for
    true or false, a bare number for a number, and null or ~ for nothing."""
    if isinstance(value, bool):
        return " (YAML reads an unquoted yes, no, on, off, true or false as true or false: put the text in quotes)"
    if isinstance(value, (int, float)):
        return " (YAML reads it as a number: put the text in quotes)"
    if value is None:
        return " (YAML reads an unquoted null or ~, or nothing at all, as no value: write the text, in quotes if it is null or ~)"
    return ""


def _did_you_mean(loc: tuple, model: type[BaseModel]) -> str | None:
    return close_match(str(loc[-1]), _fields_at(model, loc[:-1]))


def close_match(written: str, known) -> str | None:
    """The one of ``known`` that ``written`` is most likely a slip for, or None."""
    matches = difflib.get_close_matches(written, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(written: str, known) -> str:
    """The clause " (did you mean '…'?)" for a name (an id, a key) that is a slip for one of ``known``, or ''."""
    hint = close_match(written, known)
    return f" (did you mean '{hint}'?)" if hint else ""


def _description(model: Any, loc: tuple) -> str | None:
    """The description of the field at ``loc`` (the schema's, which says its form), without its full stop."""
    field = getattr(_model_at(model, loc[:-1]), "model_fields", {}).get(loc[-1]) if loc else None
    return field.description.rstrip(".") if field is not None and field.description else None


def _model_at(model: Any, loc: tuple) -> Any:
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model


def _fields_at(model: Any, loc: tuple) -> list[str]:
    return list(getattr(_model_at(model, loc), "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- editorial notes

BlockId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][\w-]*$")]


class Anchor(Strict):
    report: EntityId = Field(description="The report's folder name (its slug).")
    paragraphs: Annotated[list[BlockId], Field(min_length=1, description="Block ids of that report, e.g. [p12].")]


class Note(Strict):
    """An editorial note (``content/notes/<id>.yaml``): commentary on one or more paragraphs of one
    or more reports, in both languages, sourced like a gloss."""

    id: NoteId
    title: Bilingual
    anchors: Annotated[list[Anchor], Field(min_length=1)]
    note: Bilingual
    sources: list[Source] = Field(default_factory=list, description=(
        "What the note rests on outside the edition; a note on how the edition's own texts relate may have none."))


class PageMeta(Strict):
    """Front matter of a prose page (``content/pages/<name>.<lang>.md``)."""

    title: Text


# ---------------------------------------------------------------- collations


class CollationGroup(Strict):
    """A group of witnesses collated together (``content/collations/<id>.yaml``): the reports of
    one meeting, one of them the base text the apparatus reads against."""

    id: NoteId
    meeting: EntityId = Field(description="The meeting whose reports these are.")
    witnesses: Annotated[list[ReportSlug], Field(min_length=2, description=(
        "The reports collated (their folder names), in the order their columns are shown."))]
    base: ReportSlug = Field(description="The witness whose text is the reading text (one of the witnesses).")
    kind: Literal["word", "passage"] = Field(description=(
        "word: aligned word by word (texts of one statement); passage: near-duplicate passages found "
        "across independent accounts."))
    title: Optional[Bilingual] = Field(None, description="A title for the collation's page.")
