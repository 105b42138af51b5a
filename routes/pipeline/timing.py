"""Timing verdicts with numbers, judged per span between consecutive timed events.

Untimed sightings inside a span shape the route and get windows inferred from the span.
With ``h_avail`` the widest time available and ``h_need`` the time needed at the
traveller's top speed (plus stated dwell times and a bogie-exchange allowance at each
break of gauge):

* **infeasible** — ``h_need > h_avail``: even at top speed over the widest window;
* **tight** — ``h_need > 0.8 × h_avail``: possible only with less than 20 % slack;
* **feasible** — otherwise;
* **unknown** — a side has no time, or a leg has no rail route and the span is possible
  by the straight-line bound.

Where a leg of a span has no rail route the span is still judged by a lower bound: the
great-circle distance through its sightings at the traveller's top speed. A span that is
impossible even so is **infeasible**; otherwise it is **unknown**, with the bound in the why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from ..model import Leg, LegVerdict, Place, Span, Trip, Window
from ..places.timezones import zone
from ..settings import DEFAULT

__all__ = ["TIGHT_RATIO", "judge_timing", "departure", "arrival", "hours"]

log = logging.getLogger(__name__)

TIGHT_RATIO = DEFAULT.tight_ratio


def _minute(t: datetime, tz: tzinfo, up: bool) -> datetime:
    """``t`` in zone ``tz``, rounded outwards to the whole minute."""
    t = t.astimezone(tz)
    base = t.replace(second=0, microsecond=0)
    return base + timedelta(minutes=1) if up and base != t else base


def hours(td: timedelta) -> float:
    return td.total_seconds() / 3600.0


def departure(trip: Trip, i: int, w: Window) -> Window:
    ev = trip.events[i]
    if ev.kind == "departed":
        return w
    return w.shifted(ev.dwell_hours, ev.dwell_hours)


def arrival(trip: Trip, j: int, w: Window) -> Window:
    ev = trip.events[j]
    if ev.kind == "departed":
        return w.shifted(-ev.dwell_hours, -ev.dwell_hours)
    return w


def _verdict(
    km: float, avail: tuple[float, float], extra_h: float, vmin: float, vmax: float
) -> tuple[str, tuple[float, float], tuple[float | None, float | None]]:
    need = (km / vmax + extra_h, km / vmin + extra_h)
    lo, hi = avail
    run_hi, run_lo = hi - extra_h, lo - extra_h
    implied = (
        round(km / run_hi, 1) if run_hi > 0 else None,
        round(km / run_lo, 1) if run_lo > 0 else None,
    )
    if hi <= 0 or need[0] > hi:
        return "infeasible", need, implied
    if need[0] > TIGHT_RATIO * hi:
        return "tight", need, implied
    return "feasible", need, implied


def _stay(trip: Trip, i: int, j: int, avail: tuple[float, float]) -> Span:
    """Two timed events at one place: a dwell there, judged only for the order of the times."""
    place = trip.events[i].label
    if avail[1] < 0:
        why = f"a stay at {place}: the later sighting is timed {-avail[1]:.1f} h before the earlier one (check the times and zones)"
        return Span(i, j, (), 0.0, avail, (0.0, 0.0), None, "infeasible", why)
    why = f"a stay at {place} of {avail[0]:.1f}–{avail[1]:.1f} h (no travel)"
    return Span(i, j, (), 0.0, avail, (0.0, 0.0), None, "feasible", why)


def _straight_line_span(
    i: int, j: int, inside: Sequence[Leg], avail: tuple[float, float], dwell: float, vmax: float
) -> Span:
    """A span with a leg off the network, judged by the great-circle lower bound."""
    straight = sum(leg.straight_km for leg in inside)
    need = straight / vmax + dwell
    missing = sum(1 for leg in inside if leg.route is None)
    what = f"{missing} leg{'s' if missing > 1 else ''} with no rail route"
    bound = f"{straight:,.0f} km in a straight line at {vmax:g} km/h needs ≥ {need:.1f} h"
    if dwell:
        bound += f" (with {dwell:g} h stated dwell)"
    if avail[1] <= 0 or need > avail[1]:
        verdict = "infeasible"
        why = f"{what}; impossible even in a straight line: {bound}, more than the {avail[1]:.1f} h available"
    else:
        verdict = "unknown"
        why = f"{what}; possible in a straight line: needs ≥ {need:.1f} h of {avail[1]:.1f} h ({bound})"
    implied = (
        round(straight / avail[1], 1) if avail[1] > 0 else None,
        round(straight / avail[0], 1) if avail[0] > 0 else None,
    )
    return Span(i, j, tuple(leg.index for leg in inside), None, avail, None, implied, verdict, why, need)


def judge_timing(
    trip: Trip,
    places: Sequence[Place],
    windows: Sequence[Window | None],
    order: Sequence[int],
    legs: Sequence[Leg],
) -> tuple[list[LegVerdict], list[Span], list[Window | None]]:
    """Verdicts per span of consecutive timed events, shared by the legs inside it.

    Returns the leg verdicts, the spans, and every event's window — given, or inferred
    for untimed events from the span and the top speed.
    """
    vmin, vmax = trip.speed_min, trip.speed_max
    inferred: list[Window | None] = list(windows)
    pos = {ev: n for n, ev in enumerate(order)}
    timed = [n for n, ev in enumerate(order) if windows[ev] is not None]
    starting = {pos[leg.start]: leg for leg in legs}  # each span takes its legs in one pass, not a scan of all
    spans: list[Span] = []
    span_of_leg: dict[int, Span] = {}
    for a, b in zip(timed, timed[1:]):
        i, j = order[a], order[b]
        inside = [leg for n in range(a, b) if (leg := starting.get(n)) is not None and pos[leg.end] <= b]
        wi, wj = windows[i], windows[j]
        assert wi is not None and wj is not None
        dep, arr = departure(trip, i, wi), arrival(trip, j, wj)
        avail = (max(0.0, hours(arr.earliest - dep.latest)), hours(arr.latest - dep.earliest))
        if not inside:
            span = _stay(trip, i, j, avail)
        elif any(leg.route is None for leg in inside):
            dwell = sum(trip.events[order[n]].dwell_hours for n in range(a + 1, b))
            span = _straight_line_span(i, j, inside, avail, dwell, vmax)
        else:
            km = sum(leg.route.km for leg in inside if leg.route is not None)
            dwell = sum(trip.events[order[n]].dwell_hours for n in range(a + 1, b))
            breaks = sum(len(leg.route.gauge_breaks) for leg in inside if leg.route is not None)
            extra = dwell + breaks * trip.gauge_change_hours
            verdict, need, implied = _verdict(km, avail, extra, vmin, vmax)
            extras = []
            if dwell:
                extras.append(f"{dwell:g} h stated dwell")
            if breaks:
                extras.append(f"{breaks} break(s) of gauge × {trip.gauge_change_hours:g} h")
            extra_txt = f" plus {', '.join(extras)}" if extras else ""
            why = (
                f"{km:,.0f} km by rail in {avail[0]:.1f}–{avail[1]:.1f} h available; "
                f"needs {need[0]:.1f} h at {vmax:g} km/h{extra_txt}"
            )
            if verdict == "infeasible" and avail[1] <= 0:
                why += " — the later sighting is timed before the earlier one (check the times and zones)"
            elif verdict == "infeasible":
                why += f" — more than the {avail[1]:.1f} h available"
            elif verdict == "tight":
                why += f" — over {TIGHT_RATIO:.0%} of the {avail[1]:.1f} h available"
            span = Span(i, j, tuple(leg.index for leg in inside), km, avail, need, implied, verdict, why)
            # windows for the untimed events inside, from the top speed
            run = 0.0
            for leg in inside:
                run += leg.route.km if leg.route else 0.0
                e = leg.end
                if e != j and windows[e] is None:
                    tz = zone(places[e])
                    early = _minute(dep.earliest + timedelta(hours=run / vmax), tz, up=False)
                    late = _minute(arr.latest - timedelta(hours=(km - run) / vmax), tz, up=True)
                    if late >= early:
                        inferred[e] = Window(early, late)
        spans.append(span)
        for leg in inside:
            span_of_leg[leg.index] = span
    verdicts = []
    for leg in legs:
        owner = span_of_leg.get(leg.index)
        if leg.route is None:
            if owner is not None:
                why = f"{leg.note}; {owner.why}" if leg.note else owner.why
                verdicts.append(LegVerdict(leg, owner.hours_available, None, None, owner.verdict, why))
            else:
                verdicts.append(LegVerdict(leg, None, None, None, "unknown", leg.note or "no rail route"))
            continue
        allowance = len(leg.route.gauge_breaks) * trip.gauge_change_hours
        leg_need = (leg.route.km / vmax + allowance, leg.route.km / vmin + allowance)
        ws, we = inferred[leg.start], inferred[leg.end]
        leg_avail: tuple[float, float] | None = None
        leg_implied: tuple[float | None, float | None] | None = None
        if ws is not None and we is not None:
            dep, arr = departure(trip, leg.start, ws), arrival(trip, leg.end, we)
            leg_avail = (max(0.0, hours(arr.earliest - dep.latest)), hours(arr.latest - dep.earliest))
            leg_implied = (
                round(leg.route.km / leg_avail[1], 1) if leg_avail[1] > 0 else None,
                round(leg.route.km / leg_avail[0], 1) if leg_avail[0] > 0 else None,
            )
        if owner is None:
            verdicts.append(
                LegVerdict(
                    leg, leg_avail, leg_need, leg_implied, "unknown", "no time at one end and no timed events around it"
                )
            )
            continue
        whole = owner.start == leg.start and owner.end == leg.end
        why = (
            owner.why
            if whole
            else f"judged over {trip.events[owner.start].label} → {trip.events[owner.end].label}: {owner.why}"
        )
        if leg.route.gauge_breaks:
            why += f"; bogies change at {', '.join(leg.route.gauge_breaks)}"
        if leg.note:
            why += f"; {leg.note}"
        verdicts.append(LegVerdict(leg, leg_avail, leg_need, leg_implied, owner.verdict, why))
    return verdicts, spans, inferred
