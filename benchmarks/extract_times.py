"""The time phrases issue 16 measured, read by dateparser alone and by routes' rules.

    python benchmarks/extract_times.py

Each row: the phrase, the dateline (a Tuesday or a Wednesday), what dateparser returns
with PREFER_DATES_FROM='past' (the setting the issue measured) and with its default, what
``dateparser.search.search_dates`` finds, and what :func:`routes.trips.when.read_times`
reads (with the tense of the sentence the phrase stands in).
"""

from __future__ import annotations

import time
from datetime import date, datetime

import dateparser
from dateparser.search import search_dates

from routes.trips.when import read_times

CASES = [
    ("6 a.m. Tuesday", date(2023, 9, 12), "past"),
    ("Wednesday", date(2023, 9, 12), "future"),
    ("late Tuesday", date(2023, 9, 13), "past"),
    ("early Wednesday", date(2023, 9, 13), "past"),
    ("late on the 12th", date(2023, 9, 13), "past"),
    ("at 6 a", date(2023, 9, 13), ""),
    ("10 p.m. Moscow time on Sept. 12", date(2023, 9, 13), "past"),
    ("Sept. 13", date(2023, 1, 5), ""),
]


def _dp(text: str, base: date, **settings: object) -> str:
    got = dateparser.parse(text, settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day, 12), **settings})
    return got.isoformat(timespec="minutes") if got else "no result"


def _ours(text: str, base: date, tense: str) -> str:
    hits = read_times(text, base, tense)
    if not hits:
        return "not a time"
    s = hits[0].spec
    if s.instant is not None:
        return s.instant.isoformat(timespec="minutes")
    if s.day is not None:
        return s.day.isoformat()
    assert s.earliest is not None and s.latest is not None
    return f"{s.earliest.isoformat(timespec='minutes')} – {s.latest.isoformat(timespec='minutes')}"


def main() -> int:
    for text, base, tense in CASES:
        found = search_dates(text, settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day, 12)})
        print(f"{text!r} (dateline {base:%a %d %b %Y}, tense {tense or 'none'})")
        print(f"  dateparser, past:    {_dp(text, base, PREFER_DATES_FROM='past')}")
        print(f"  dateparser, default: {_dp(text, base)}")
        print(f"  search_dates:        {[(t, d.isoformat(timespec='minutes')) for t, d in found or []]}")
        print(f"  routes:              {_ours(text, base, tense)}")
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for text, base, tense in CASES * 20:
            read_times(text, base, tense)
        runs.append((time.perf_counter() - t0) / (len(CASES) * 20) * 1000)
    print(f"\nroutes read_times: {sorted(runs)[2]:.2f} ms per phrase (median of 5 runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
