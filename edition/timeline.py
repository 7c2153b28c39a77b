"""A time axis drawn at build time: where each date of the chronology sits along it.

The dated entries of this edition span 1945 to 2018 but crowd into 2012–2018, so the axis gives
each year that has an entry an equal segment, with a short break where years are skipped, and
places a date within its year by its day. Dates closer than a dot apart are stacked. Right to left
(Arabic) mirrors the axis. Pure geometry: the chronology template draws it as SVG.
"""
from __future__ import annotations

import datetime as dt

WIDTH, MARGIN, BREAK = 600, 24, 28  # viewBox units
STEP, NEAR = 13, 9  # the rise of each stacked dot; how close two dates are to stack


def axis(dates: list[dt.date], rtl: bool = False) -> dict:
    """The segments of the years, the breaks between them and a mark per date (dates in order)."""
    years = sorted({date.year for date in dates})
    breaks = sum(1 for a, b in zip(years, years[1:]) if b != a + 1)
    segment = (WIDTH - 2 * MARGIN - BREAK * breaks) / max(len(years), 1)
    starts, x = {}, MARGIN
    for i, year in enumerate(years):
        if i and year != years[i - 1] + 1:
            x += BREAK
        starts[year] = x
        x += segment
    place = (lambda v: round(WIDTH - v, 1)) if rtl else (lambda v: round(v, 1))
    marks = []
    for date in dates:
        days = 366 if date.year % 4 == 0 and (date.year % 100 or date.year % 400 == 0) else 365
        at = starts[date.year] + segment * (date.timetuple().tm_yday - 0.5) / days
        row = sum(1 for m in marks if abs(m["at"] - at) < NEAR)
        marks.append({"at": at, "row": row})
    rows = max((m["row"] for m in marks), default=0)
    axis_y = STEP * (rows + 1) + 4
    return {
        "width": WIDTH, "height": axis_y + 28, "axis_y": axis_y, "label_y": axis_y + 22,
        "years": [{"label": str(year), "x1": place(starts[year]), "x2": place(starts[year] + segment),
                   "middle": place(starts[year] + segment / 2)} for year in years],
        "breaks": [place(starts[b] - BREAK / 2) for a, b in zip(years, years[1:]) if b != a + 1],
        "marks": [{"x": place(m["at"]), "y": axis_y - 8 - STEP * m["row"]} for m in marks],
    }
