"""What the HTML map's time slider shows, computed here once: the space-time prism per step.

Each step is a moment between the first and the last timed event; for it
:func:`~routes.pipeline.where.where_at` gives the stretch of the route where the traveller
could have been (km ``lo``–``hi`` from the start of the span of timed events it falls in).
The page's script only cuts that stretch out of the legs it already draws (each leg
carries rail-km anchors at some of its vertices) and puts a marker at its middle: the
prism is never computed twice, and no leg's geometry is carried twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import Report, Route
from ..pipeline.where import where_at

__all__ = ["Step", "Span", "Timeline", "build_timeline"]


@dataclass(frozen=True)
class Span:
    """Consecutive legs (indices into ``Scene.legs``) between two timed events, and the
    UTC offset (minutes) of the first event, in which the slider shows times."""

    legs: tuple[int, ...]
    km: float
    offset_min: int
    label: str


@dataclass(frozen=True)
class Step:
    """At ``t`` (Unix seconds): somewhere on km ``lo``–``hi`` of span ``span`` (``-1``: no prism)."""

    t: int
    span: int
    lo: float
    hi: float


@dataclass(frozen=True)
class Timeline:
    spans: tuple[Span, ...]
    steps: tuple[Step, ...]


def _times(first: datetime, last: datetime, max_steps: int, min_step_min: int) -> list[datetime]:
    minutes = max(min_step_min, math.ceil((last - first).total_seconds() / 60 / max_steps / 5) * 5)
    out, t = [], first
    while t < last:
        out.append(t)
        t += timedelta(minutes=minutes)
    out.append(last)
    return out


def build_timeline(report: Report, max_steps: int = 200, min_step_min: int = 10) -> Timeline | None:
    """The slider's steps from the first timed event to the last (``None`` when fewer than two are timed)."""
    timed = [w for w in report.windows if w is not None]
    if len(timed) < 2:
        return None
    order = report.order or tuple(range(len(report.places)))
    pos = {ev: n for n, ev in enumerate(order)}
    legs = [lv.leg for lv in report.legs]
    spans: dict[tuple[int, int], int] = {}
    span_list: list[Span] = []
    steps: list[Step] = []
    first, last = min(w.earliest for w in timed), max(w.latest for w in timed)
    joined: dict[tuple[int, int], Route] = {}  # each span's route, joined once
    for t in _times(first, last, max_steps, min_step_min):
        try:
            w = where_at(report.trip, report.windows, order, legs, t, joined, geometry=False)
        except ValueError:
            steps.append(Step(int(t.timestamp()), -1, 0.0, 0.0))
            continue
        key = (w.start, w.end)
        if key not in spans:
            inside = sorted(
                (k for k, leg in enumerate(legs) if pos[w.start] <= pos[leg.start] and pos[leg.end] <= pos[w.end]),
                key=lambda k: pos[legs[k].start],
            )
            start_w = report.windows[w.start]
            offset = start_w.earliest.utcoffset() if start_w is not None else None
            spans[key] = len(span_list)
            span_list.append(
                Span(
                    tuple(inside),
                    round(w.route_km, 1),
                    int(offset.total_seconds() // 60) if offset is not None else 0,
                    f"{report.trip.events[w.start].label} → {report.trip.events[w.end].label}",
                )
            )
        steps.append(Step(int(t.timestamp()), spans[key], w.km_from_start[0], w.km_from_start[1]))
    return Timeline(tuple(span_list), tuple(steps))
