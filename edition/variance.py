"""The variance strip of a collation: where along the text its variant places fall, drawn as SVG
at build time. One lane per kind of place (so the kind is told by position and label as well as
by colour), each band at its place's share of the alignment, mirrored for Arabic."""
from __future__ import annotations

from .collation import KINDS, Collation

WIDTH, LANE, GAP, LABEL = 1000, 14, 4, 0  # viewBox units


def strip(result: Collation, rtl: bool) -> dict:
    """Each band's lane, x and width, and the strip's size (in viewBox units)."""
    lengths = [max(len(reading) for reading in place.readings) for place in result.places]
    total = max(sum(lengths), 1)
    bands, at = [], 0
    for place, length in zip(result.places, lengths):
        if place.kind:
            width = max(length / total * WIDTH, 3)
            x = at / total * WIDTH
            bands.append({"number": place.number, "kind": place.kind, "lane": KINDS.index(place.kind),
                          "x": round(WIDTH - x - width if rtl else x, 1), "y": KINDS.index(place.kind) * (LANE + GAP),
                          "width": round(width, 1), "height": LANE})
        at += length
    return {"bands": bands, "width": WIDTH, "height": len(KINDS) * (LANE + GAP) - GAP,
            "lanes": [{"kind": kind, "y": index * (LANE + GAP)} for index, kind in enumerate(KINDS)]}
