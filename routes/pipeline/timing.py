"""Timing verdicts with numbers, judged per span between consecutive timed events.

Every leg is judged by its own mode's physics (:mod:`routes.routing.modes`): its speed
range, the band of an estimated length (road, sea), the taxi, climb and descent of a
flight. With ``h_avail`` the widest time available and ``h_need`` the least time the legs
need at their top speeds over their shortest lengths, plus stated dwell times, a transfer
at each change of mode and a bogie exchange at each break of gauge:

* **infeasible** — ``h_need > h_avail``: even at top speed over the widest window;
* **tight** — the same at the *longest* estimate of each length is over 80 % of
  ``h_avail`` (for a route measured on a network the two are one);
* **feasible** — otherwise;
* **unknown** — a side has no time, or a leg has no route and the span is possible by
  the straight-line bound.

Where a leg of a span has no route the span is still judged by a lower bound: the
great-circle distance of each leg at its mode's top speed (a leg of unknown mode: the
fastest plausible speed of any mode). A span that is impossible even so is
**infeasible**; otherwise it is **unknown**, with the bound in the why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from ..model import Leg, LegVerdict, Place, Span, Trip, Window
from ..places.timezones import zone
from ..routing.modes import Terms, leg_terms, pair_hours, transfer_hours
from ..settings import DEFAULT, Settings

__all__ = ["TIGHT_RATIO", "judge_timing", "departure", "arrival", "hours", "LegTime", "leg_times", "changes"]

log = logging.getLogger(__name__)

TIGHT_RATIO = DEFAULT.tight_ratio


def _minute(t: datetime, tz: tzinfo, up: bool) -> datetime:
    """``t`` in zone ``tz``, rounded outwards to the whole minute."""
    t = t.astimezone(tz)
    base = t.replace(second=0, microsecond=0)
    return base + timedelta(minutes=1) if up and base != t else base


def hours(td: timedelta) -> float:
    return td.total_seconds() / 3600.0


def departure(trip: Trip, i: int, w: Window, change: float = 0.0) -> Window:
    """When the traveller left event ``i``: after its dwell and any change of mode there,
    unless the event is itself the departure."""
    ev = trip.events[i]
    if ev.kind == "departed":
        return w
    stop = ev.dwell_hours + change
    return w.shifted(stop, stop)


def arrival(trip: Trip, j: int, w: Window, change: float = 0.0) -> Window:
    """When the traveller reached event ``j``: a departure time less its dwell and change."""
    ev = trip.events[j]
    if ev.kind == "departed":
        stop = ev.dwell_hours + change
        return w.shifted(-stop, -stop)
    return w


@dataclass(frozen=True)
class LegTime:
    """The least and most hours a leg's travel takes at its mode's speeds (its allowances in)."""

    terms: Terms
    least: float  # shortest length at the top speed, plus allowances
    longest: float  # longest length at the top speed, plus allowances (for "tight")
    most: float  # longest length at the slowest speed, plus allowances
    allowance: float  # flight allowance and bogie exchanges
    flight: bool  # a flight starts on this leg (its allowance counted)
    flight_hours: float = 0.0  # the flight's taxi, climb and descent alone


def leg_times(trip: Trip, legs: Sequence[Leg], settings: Settings = DEFAULT) -> dict[int, LegTime]:
    """Each routed leg's times, by leg index. A flight through a ``passed`` event (an
    overflight) is one flight: its taxi, climb and descent count once."""
    out: dict[int, LegTime] = {}
    for leg in legs:
        if leg.route is None:
            continue
        t = leg_terms(trip, leg.end, settings)
        through = leg.mode == "air" and trip.events[leg.start].kind == "passed" and trip.mode_of(leg.start) == "air"
        flight = leg.mode == "air" and not through
        flight_h = t.allowance_hours if flight else 0.0
        allowance = flight_h + len(leg.route.gauge_breaks) * pair_hours(trip, "rail", "rail", settings)
        lo, hi = leg.route.km_range
        out[leg.index] = LegTime(
            t, lo / t.vmax + allowance, hi / t.vmax + allowance, hi / t.vmin + allowance, allowance, flight, flight_h
        )
    return out


def changes(trip: Trip, legs: Sequence[Leg], settings: Settings = DEFAULT) -> dict[int, tuple[str, str, float]]:
    """The changes of mode, by event: (mode in, mode out, hours), where the leg reaching an
    event and the leg leaving it differ in mode."""
    into = {leg.end: leg.mode for leg in legs}
    out: dict[int, tuple[str, str, float]] = {}
    for leg in legs:
        m_in = into.get(leg.start)
        if m_in is not None and m_in != leg.mode:
            h = transfer_hours(trip, leg.start, m_in, leg.mode, settings)
            if h > 0:
                out[leg.start] = (m_in, leg.mode, h)
    return out


def _stay(trip: Trip, i: int, j: int, avail: tuple[float, float]) -> Span:
    """Two timed events at one place: a dwell there, judged only for the order of the times."""
    place = trip.events[i].label
    if avail[1] < 0:
        why = f"a stay at {place}: the later sighting is timed {-avail[1]:.1f} h before the earlier one (check the times and zones)"
        return Span(i, j, (), 0.0, avail, (0.0, 0.0), None, "infeasible", why, km=(0.0, 0.0))
    why = f"a stay at {place} of {avail[0]:.1f}–{avail[1]:.1f} h (no travel)"
    return Span(i, j, (), 0.0, avail, (0.0, 0.0), None, "feasible", why, km=(0.0, 0.0))


def _speeds(terms: Sequence[Terms]) -> str:
    tops = {(t.mode, t.vmax) for t in terms}
    if len({v for _, v in tops}) == 1:
        return f"{next(iter(tops))[1]:g} km/h"
    order = list(dict.fromkeys((t.mode, t.vmax) for t in terms))
    return ", ".join(f"{v:g} km/h by {m}" for m, v in order)


def _straight_line_span(
    trip: Trip, i: int, j: int, inside: Sequence[Leg], avail: tuple[float, float], extra: float, settings: Settings
) -> Span:
    """A span with a leg off the network, judged by the great-circle lower bound."""
    terms = [leg_terms(trip, leg.end, settings) for leg in inside]
    straight = sum(leg.straight_km for leg in inside)
    need = sum(leg.straight_km / t.vmax for leg, t in zip(inside, terms)) + extra
    missing = [leg for leg in inside if leg.route is None]
    modes = {leg.mode for leg in missing}
    what = f"{len(missing)} leg{'s' if len(missing) > 1 else ''} with no {'rail ' if modes == {'rail'} else ''}route"
    bound = f"{straight:,.0f} km in a straight line at {_speeds(terms)} needs ≥ {need:.1f} h"
    if extra:
        bound += f" (with {extra:g} h stated dwell and changes)"
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
    return Span(
        i,
        j,
        tuple(leg.index for leg in inside),
        None,
        avail,
        None,
        implied,
        verdict,
        why,
        need,
        modes=tuple(leg.mode for leg in inside),
        fastest_kmh=max(t.vmax for t in terms),
    )


def _distance_words(inside: Sequence[Leg]) -> str:
    """'1,677 km by rail', '154–220 km by road (estimated) and 4,737 km by air'."""
    by_mode: dict[str, list[float]] = {}
    for leg in inside:
        assert leg.route is not None
        lo, hi = leg.route.km_range
        acc = by_mode.setdefault(leg.mode, [0.0, 0.0])
        acc[0] += lo
        acc[1] += hi
    parts = []
    for mode, (lo, hi) in by_mode.items():
        if round(hi) > round(lo):
            parts.append(f"{lo:,.0f}–{hi:,.0f} km by {mode} (estimated)")
        else:
            parts.append(f"{lo:,.0f} km by {mode}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _routed_span(
    trip: Trip,
    i: int,
    j: int,
    inside: Sequence[Leg],
    times: dict[int, LegTime],
    avail: tuple[float, float],
    dwell: float,
    moves: Sequence[tuple[int, tuple[str, str, float]]],
) -> Span:
    parts = [times[leg.index] for leg in inside]
    change_h = sum(h for _, (_, _, h) in moves)
    stops = dwell + change_h
    need = (sum(p.least for p in parts) + stops, sum(p.most for p in parts) + stops)
    longest = sum(p.longest for p in parts) + stops
    km_lo = sum(leg.route.km_range[0] for leg in inside if leg.route is not None)
    km_hi = sum(leg.route.km_range[1] for leg in inside if leg.route is not None)
    extra_h = stops + sum(p.allowance for p in parts)
    lo, hi = avail
    run_hi, run_lo = hi - extra_h, lo - extra_h
    implied = (round(km_lo / run_hi, 1) if run_hi > 0 else None, round(km_hi / run_lo, 1) if run_lo > 0 else None)
    if hi <= 0 or need[0] > hi:
        verdict = "infeasible"
    elif longest > TIGHT_RATIO * hi:
        verdict = "tight"
    else:
        verdict = "feasible"
    extras = []
    if dwell:
        extras.append(f"{dwell:g} h stated dwell")
    flights = [p for p in parts if p.flight and p.terms.allowance_hours]
    if flights:
        n = len(flights)
        extras.append(
            f"{n} flight{'s' if n > 1 else ''} × {flights[0].terms.allowance_hours:g} h taxi, climb and descent"
        )
    breaks = sum(len(leg.route.gauge_breaks) for leg in inside if leg.route is not None)
    if breaks:
        extras.append(f"{breaks} break(s) of gauge × {pair_hours(trip, 'rail', 'rail'):g} h")
    for k, (a, b, h) in moves:
        extras.append(f"{h:g} h {a}→{b} at {trip.events[k].label}")
    extra_txt = f" plus {', '.join(extras)}" if extras else ""
    why = (
        f"{_distance_words(inside)} in {lo:.1f}–{hi:.1f} h available; "
        f"needs {need[0]:.1f} h at {_speeds([p.terms for p in parts])}{extra_txt}"
    )
    if verdict == "infeasible" and hi <= 0:
        why += " — the later sighting is timed before the earlier one (check the times and zones)"
    elif verdict == "infeasible":
        why += f" — more than the {hi:.1f} h available"
    elif verdict == "tight" and need[0] > TIGHT_RATIO * hi:
        why += f" — over {TIGHT_RATIO:.0%} of the {hi:.1f} h available"
    elif verdict == "tight":
        why += f" — over {TIGHT_RATIO:.0%} of the {hi:.1f} h available at the longest estimate ({longest:.1f} h)"
    all_rail = all(leg.mode == "rail" for leg in inside)
    return Span(
        i,
        j,
        tuple(leg.index for leg in inside),
        km_lo if all_rail else None,
        avail,
        need,
        implied,
        verdict,
        why,
        km=(km_lo, km_hi),
        modes=tuple(leg.mode for leg in inside),
        fastest_kmh=max(p.terms.vmax for p in parts),
    )


def judge_timing(
    trip: Trip,
    places: Sequence[Place],
    windows: Sequence[Window | None],
    order: Sequence[int],
    legs: Sequence[Leg],
    settings: Settings = DEFAULT,
) -> tuple[list[LegVerdict], list[Span], list[Window | None]]:
    """Verdicts per span of consecutive timed events, shared by the legs inside it.

    Returns the leg verdicts, the spans, and every event's window — given, or inferred
    for untimed events from the span and the legs' top speeds.
    """
    inferred: list[Window | None] = list(windows)
    pos = {ev: n for n, ev in enumerate(order)}
    timed = [n for n, ev in enumerate(order) if windows[ev] is not None]
    starting = {pos[leg.start]: leg for leg in legs}  # each span takes its legs in one pass, not a scan of all
    times = leg_times(trip, legs, settings)
    moved = changes(trip, legs, settings)
    change = {k: h for k, (_, _, h) in moved.items()}
    spans: list[Span] = []
    span_of_leg: dict[int, Span] = {}
    for a, b in zip(timed, timed[1:]):
        i, j = order[a], order[b]
        inside = [leg for n in range(a, b) if (leg := starting.get(n)) is not None and pos[leg.end] <= b]
        wi, wj = windows[i], windows[j]
        assert wi is not None and wj is not None
        dep, arr = departure(trip, i, wi, change.get(i, 0.0)), arrival(trip, j, wj, change.get(j, 0.0))
        avail = (max(0.0, hours(arr.earliest - dep.latest)), hours(arr.latest - dep.earliest))
        inner = [order[n] for n in range(a + 1, b)]
        dwell = sum(trip.events[k].dwell_hours for k in inner)
        moves = [(k, moved[k]) for k in inner if k in moved]
        if not inside:
            span = _stay(trip, i, j, avail)
        elif any(leg.route is None for leg in inside):
            span = _straight_line_span(trip, i, j, inside, avail, dwell + sum(m[2] for _, m in moves), settings)
        else:
            span = _routed_span(trip, i, j, inside, times, avail, dwell, moves)
            # windows for the untimed events inside, from each leg's least time
            total = span.hours_needed[0] if span.hours_needed else 0.0
            run = 0.0
            for leg in inside:
                run += times[leg.index].least
                e = leg.end
                if e != j and windows[e] is None:
                    tz = zone(places[e])
                    early = _minute(dep.earliest + timedelta(hours=run), tz, up=False)
                    late = _minute(arr.latest - timedelta(hours=total - run), tz, up=True)
                    if late >= early:
                        inferred[e] = Window(early, late)
                run += trip.events[e].dwell_hours + change.get(e, 0.0)
        spans.append(span)
        for leg in inside:
            span_of_leg[leg.index] = span
    verdicts = [_leg_verdict(trip, leg, span_of_leg.get(leg.index), times, inferred, change) for leg in legs]
    return verdicts, spans, inferred


def _leg_verdict(
    trip: Trip,
    leg: Leg,
    owner: Span | None,
    times: dict[int, LegTime],
    inferred: Sequence[Window | None],
    change: dict[int, float],
) -> LegVerdict:
    if leg.route is None:
        if owner is not None:
            why = f"{leg.note}; {owner.why}" if leg.note else owner.why
            return LegVerdict(leg, owner.hours_available, None, None, owner.verdict, why)
        return LegVerdict(leg, None, None, None, "unknown", leg.note or "no route")
    lt = times[leg.index]
    leg_need = (lt.least, lt.most)
    lo_km, hi_km = leg.route.km_range
    ws, we = inferred[leg.start], inferred[leg.end]
    leg_avail: tuple[float, float] | None = None
    leg_implied: tuple[float | None, float | None] | None = None
    if ws is not None and we is not None:
        dep = departure(trip, leg.start, ws, change.get(leg.start, 0.0))
        arr = arrival(trip, leg.end, we, change.get(leg.end, 0.0))
        leg_avail = (max(0.0, hours(arr.earliest - dep.latest)), hours(arr.latest - dep.earliest))
        leg_implied = (
            round(lo_km / leg_avail[1], 1) if leg_avail[1] > 0 else None,
            round(hi_km / leg_avail[0], 1) if leg_avail[0] > 0 else None,
        )
    if owner is None:
        return LegVerdict(
            leg, leg_avail, leg_need, leg_implied, "unknown", "no time at one end and no timed events around it"
        )
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
    return LegVerdict(leg, leg_avail, leg_need, leg_implied, owner.verdict, why)
