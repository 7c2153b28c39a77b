"""Counted phrases in each language's own grammar: "1 mention", "2 mentions"; «موضع واحد»,
«موضعان», «3 مواضع», «11 موضعًا», «100 موضع». The plural categories and the rule choosing one for
a number come from CLDR through Babel, at build time: Arabic has six (zero, one, two, few, many,
other), English two (one, other). A counted string in ``strings.yaml`` gives a form for each
category of its language, each with ``{n}`` where the number goes (a form may leave it out:
«موضعان» says two by itself).

Numbers are written with Western digits in both editions, as the Arabic reports themselves print
them (``2016``, ``2254``): the interface follows the texts it frames.
"""
from __future__ import annotations

import string

from functools import cache

from babel import Locale


@cache
def categories(lang: str) -> frozenset[str]:
    """The CLDR plural categories of a language, "other" included."""
    return frozenset(Locale.parse(lang).plural_form.tags) | {"other"}


@cache
def _rule(lang: str):
    return Locale.parse(lang).plural_form


def category(number: int, lang: str) -> str:
    """The CLDR plural category of ``number`` in ``lang`` (e.g. 11 in Arabic: "many")."""
    return _rule(lang)(number)


def phrase(forms: dict[str, str], number: int, lang: str) -> str:
    """The form of ``forms`` for ``number``, with the number in it."""
    return forms[category(number, lang)].format(n=number)


def form_problem(forms, lang: str) -> str | None:
    """Why ``forms`` is not a counted string of ``lang`` (one form per category), or None."""
    if not isinstance(forms, dict) or not all(isinstance(v, str) for v in forms.values()):
        return "needs a form (text) for each plural category"
    wanted = categories(lang)
    missing, unknown = sorted(wanted - forms.keys()), sorted(forms.keys() - wanted)
    if missing or unknown:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(unknown)}"] if unknown else [])
        return f"plural forms in '{lang}' are {', '.join(sorted(wanted))} ({'; '.join(parts)})"
    for category_name, form in forms.items():
        try:
            fields = {field for _text, field, _spec, _conv in string.Formatter().parse(form) if field is not None}
        except ValueError:
            return f"form '{category_name}' in '{lang}': a brace is not closed (write the number as {{n}})"
        unknown = sorted(fields - {"n"})
        if unknown:
            return (f"form '{category_name}' in '{lang}': unknown placeholder '{{{unknown[0]}}}' "
                    "(a counted string has only {n}, the number)")
        formatted = formatted_placeholder(form)
        if formatted:
            return (f"form '{category_name}' in '{lang}': write the number as {{n}}, without a conversion or "
                    f"format ('{formatted[1]}')")
    return None


def formatted_placeholder(text: str) -> tuple[str, str] | None:
    """The first placeholder of ``text`` written with a conversion or a format (``{n:s}``, ``{n!r}``):
    its name and how it is written; or None (None too when a brace is not closed: that slip is told
    apart). The pages fill a placeholder in as it stands: a format made for another kind of value
    fails only there, on the page that uses the string ('{n:s}' for a number), and a width of
    millions makes a text of that size."""
    for _text, field, spec, conversion in string.Formatter().parse(text):
        if field is not None and (spec or conversion):
            return field, "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    return None
