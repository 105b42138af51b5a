"""Verdicts with numbers: timing of every leg and span, and every claim.

Timing is judged between consecutive *timed* events (a span); untimed sightings between
them shape the route and get windows inferred from the span. With ``h_avail`` the widest
time available and ``h_need`` the time needed at the traveller's top speed (plus stated
dwell times and a bogie-exchange allowance at each break of gauge):

* **infeasible** — ``h_need > h_avail``: even at top speed over the widest window;
* **tight** — ``h_need > 0.8 × h_avail``: possible only with less than 20 % slack;
* **feasible** — otherwise;
* **unknown** — a side has no time, or the leg has no rail route.

Distance claims are supported when the straight-line or the rail distance (as the claim
allows) is within its tolerance — by default :data:`DEFAULT_TOLERANCE_PCT` %, the reading
we give round figures such as "some 1,000 km".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from shapely.geometry import Point as SPoint

from .errors import NoRoute
from .gazetteer import Gazetteer
from .infer import route_between, zone
from .model import Claim, ClaimVerdict, Leg, LegVerdict, Place, Route, Span, Trip, Window
from .network import RailNetwork, geodesic_km, join_routes, nearest_vertex

__all__ = [
    "DEFAULT_TOLERANCE_PCT",
    "TIGHT_RATIO",
    "judge_timing",
    "judge_claims",
    "where_at",
    "WhereAt",
]

log = logging.getLogger(__name__)

DEFAULT_TOLERANCE_PCT = 10.0
TIGHT_RATIO = 0.8
VIA_KM = 3.0  # a non-station place counts as passed within this distance of the route


def _minute(t: datetime, tz: tzinfo, up: bool) -> datetime:
    """``t`` in zone ``tz``, rounded outwards to the whole minute."""
    t = t.astimezone(tz)
    base = t.replace(second=0, microsecond=0)
    return base + timedelta(minutes=1) if up and base != t else base


def _hours(td: timedelta) -> float:
    return td.total_seconds() / 3600.0


def _departure(trip: Trip, i: int, w: Window) -> Window:
    ev = trip.events[i]
    if ev.kind == "departed":
        return w
    return w.shifted(ev.dwell_hours, ev.dwell_hours)


def _arrival(trip: Trip, j: int, w: Window) -> Window:
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
    spans: list[Span] = []
    span_of_leg: dict[int, Span] = {}
    for a, b in zip(timed, timed[1:]):
        i, j = order[a], order[b]
        inside = [leg for leg in legs if a <= pos[leg.start] and pos[leg.end] <= b]
        wi, wj = windows[i], windows[j]
        assert wi is not None and wj is not None
        dep, arr = _departure(trip, i, wi), _arrival(trip, j, wj)
        avail = (max(0.0, _hours(arr.earliest - dep.latest)), _hours(arr.latest - dep.earliest))
        if any(leg.route is None for leg in inside):
            span = Span(
                i,
                j,
                tuple(leg.index for leg in inside),
                None,
                avail,
                None,
                None,
                "unknown",
                "a leg in this span has no rail route",
            )
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
            verdicts.append(LegVerdict(leg, None, None, None, "unknown", leg.note or "no rail route"))
            continue
        allowance = len(leg.route.gauge_breaks) * trip.gauge_change_hours
        leg_need = (leg.route.km / vmax + allowance, leg.route.km / vmin + allowance)
        ws, we = inferred[leg.start], inferred[leg.end]
        leg_avail: tuple[float, float] | None = None
        leg_implied: tuple[float | None, float | None] | None = None
        if ws is not None and we is not None:
            dep, arr = _departure(trip, leg.start, ws), _arrival(trip, leg.end, we)
            leg_avail = (max(0.0, _hours(arr.earliest - dep.latest)), _hours(arr.latest - dep.earliest))
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


# ---------------------------------------------------------------------------- claims


def _resolve(gz: Gazetteer, name: str, near: Sequence[tuple[float, float]]) -> Place:
    return gz.resolve(name, near=near, prefer="station")[0].place


def _route_distance_to(route_coords: Sequence[tuple[float, float]], p: Place) -> tuple[float, int]:
    return nearest_vertex(route_coords, p.lat, p.lon)


def judge_claims(
    trip: Trip,
    places: Sequence[Place],
    legs: Sequence[Leg],
    spans: Sequence[Span],
    gz: Gazetteer,
    net: RailNetwork,
    respected: bool = False,
) -> list[ClaimVerdict]:
    """A verdict for every claim of the trip, each with a one-line why and its numbers."""
    near = [(p.lat, p.lon) for p in places]
    whole = join_routes([leg.route for leg in legs if leg.route is not None])
    return [_judge(c, trip, places, legs, spans, gz, net, near, whole, respected) for c in trip.claims]


def _judge(
    c: Claim,
    trip: Trip,
    places: Sequence[Place],
    legs: Sequence[Leg],
    spans: Sequence[Span],
    gz: Gazetteer,
    net: RailNetwork,
    near: Sequence[tuple[float, float]],
    whole: Route,
    respected: bool,
) -> ClaimVerdict:
    if c.kind == "distance":
        a, b = (_resolve(gz, n, near) for n in c.places)
        assert c.value is not None
        tol = c.tolerance_pct if c.tolerance_pct is not None else DEFAULT_TOLERANCE_PCT
        straight = geodesic_km(a.lat, a.lon, b.lat, b.lon)
        try:
            rail: float | None = route_between(net, a, b).km
        except NoRoute:
            rail = None
        nums: list[tuple[str, float]] = [("claimed_km", c.value), ("straight_km", round(straight, 1))]
        if rail is not None:
            nums.append(("rail_km", round(rail, 1)))
        readings: dict[str, list[tuple[str, float | None]]] = {
            "straight": [("straight-line", straight)],
            "rail": [("rail", rail)],
        }
        measures = readings.get(c.qualifier, [("straight-line", straight), ("rail", rail)])
        claimed = c.value
        hits = [(name, x) for name, x in measures if x is not None and abs(x - claimed) <= claimed * tol / 100]
        parts = [f"{name} {x:,.0f} km" for name, x in measures if x is not None]
        if hits:
            name, x = hits[0]
            why = (
                f"matches as {name} distance: {x:,.0f} km is within {tol:g}% of {claimed:,.0f} km ({'; '.join(parts)})"
            )
            return ClaimVerdict(c, "supported", why, tuple(nums))
        if all(x is None for _, x in measures):
            return ClaimVerdict(c, "unverifiable", "no rail route between the places", tuple(nums))
        why = f"neither reading is within {tol:g}% of {c.value:,.0f} km: {'; '.join(parts)}"
        return ClaimVerdict(c, "contradicted", why, tuple(nums))

    if c.kind in ("via", "not_via"):
        verdicts = []
        for name in c.places:
            p = _resolve(gz, name, near)
            station = p.id if p.id in net.graph else (p.station if p.station in net.graph else None)
            passed = station in whole.nodes if station else False
            dist, _ = _route_distance_to(whole.coords, p) if whole.coords else (float("inf"), 0)
            if not station:
                passed = dist <= VIA_KM
            verdicts.append((p, passed, dist))
        want = c.kind == "via"
        ok = all(passed == want for _, passed, _ in verdicts)
        desc = "; ".join(
            f"{p.name}: {'on' if passed else 'not on'} the inferred route"
            + ("" if passed else f" (nearest point {d:,.0f} km away)")
            for p, passed, d in verdicts
        )
        if respected:
            desc += " (route constrained by this claim: --respect-claims)"
        return ClaimVerdict(c, "supported" if ok else "contradicted", desc)

    if c.kind == "order":
        positions = []
        for name in c.places:
            p = _resolve(gz, name, near)
            d, n = _route_distance_to(whole.coords, p) if whole.coords else (float("inf"), 0)
            if d > 25:
                return ClaimVerdict(c, "unverifiable", f"{p.name} is {d:,.0f} km from the inferred route")
            positions.append((p.name, whole.cum_km[n] if whole.cum_km else 0.0))
        ok = all(x[1] <= y[1] for x, y in zip(positions, positions[1:]))
        desc = ", ".join(f"{n} at km {k:,.0f}" for n, k in positions)
        return ClaimVerdict(
            c,
            "supported" if ok else "contradicted",
            f"along the inferred route: {desc}",
            tuple((f"km_{n}", round(k, 1)) for n, k in positions),
        )

    if c.kind == "speed":
        assert c.value is not None
        tol = c.tolerance_pct if c.tolerance_pct is not None else DEFAULT_TOLERANCE_PCT
        chosen = _spans_between(c, trip, places, spans, gz, near)
        if not chosen:
            return ClaimVerdict(c, "unverifiable", "no two timed events to measure a speed between")
        km = sum(s.rail_km or 0.0 for s in chosen)
        lo_h = sum(s.hours_available[0] for s in chosen if s.hours_available)
        hi_h = sum(s.hours_available[1] for s in chosen if s.hours_available)
        if hi_h <= 0:
            return ClaimVerdict(c, "unverifiable", "no time elapsed between the events")
        v_lo = km / hi_h
        v_hi = km / lo_h if lo_h > 0 else float("inf")
        rng = f"{v_lo:,.0f}–{v_hi:,.0f} km/h" if v_hi != float("inf") else f"at least {v_lo:,.0f} km/h"
        speed_nums = (("claimed_kmh", c.value), ("implied_min_kmh", round(v_lo, 1)))
        if c.qualifier == "top":
            if c.value < v_lo * (1 - tol / 100):
                return ClaimVerdict(
                    c,
                    "contradicted",
                    f"a top speed of {c.value:g} km/h is below the average of {rng} the timings need over {km:,.0f} km",
                    speed_nums,
                )
            return ClaimVerdict(
                c,
                "supported",
                f"a top speed of {c.value:g} km/h allows the average of {rng} over {km:,.0f} km",
                speed_nums,
            )
        if v_lo * (1 - tol / 100) <= c.value <= v_hi * (1 + tol / 100):
            return ClaimVerdict(
                c, "supported", f"average {c.value:g} km/h lies in the implied {rng} over {km:,.0f} km", speed_nums
            )
        return ClaimVerdict(
            c, "contradicted", f"average {c.value:g} km/h is outside the implied {rng} over {km:,.0f} km", speed_nums
        )

    # in_region
    p = _resolve(gz, c.places[0], near)
    region = gz.resolve(c.region)[0].place
    if region.id not in gz.regions:
        return ClaimVerdict(c, "unverifiable", f"{region.name} is not a bundled region with an outline")
    inside = gz.region_geometry(region.id).covers(SPoint(p.lon, p.lat))
    return ClaimVerdict(
        c,
        "supported" if inside else "contradicted",
        f"{p.name} ({p.lat:.3f}, {p.lon:.3f}) is {'inside' if inside else 'outside'} {region.name}",
    )


def _spans_between(
    c: Claim,
    trip: Trip,
    places: Sequence[Place],
    spans: Sequence[Span],
    gz: Gazetteer,
    near: Sequence[tuple[float, float]],
) -> list[Span]:
    if len(c.places) < 2:
        return [s for s in spans if s.rail_km is not None]
    want = [_resolve(gz, n, near).id for n in c.places[:2]]
    ids = [p.id for p in places]
    try:
        i, j = ids.index(want[0]), ids.index(want[1])
    except ValueError:
        return []
    out, inside = [], False
    for s in spans:
        if s.start == i:
            inside = True
        if inside and s.rail_km is not None:
            out.append(s)
        if s.end == j:
            break
    return out


# ---------------------------------------------------------------------------- where


@dataclass(frozen=True)
class WhereAt:
    at: datetime
    start: int
    end: int
    km_from_start: tuple[float, float]
    coords: tuple[tuple[float, float], ...]
    route_km: float
    why: str


def where_at(
    trip: Trip,
    windows: Sequence[Window | None],
    order: Sequence[int],
    legs: Sequence[Leg],
    at: datetime,
) -> WhereAt:
    """The stretch of track the traveller could have been on at ``at`` (a space-time prism).

    Between consecutive timed events i and j with route length L (km), leaving i no
    earlier than ``e_i`` and reaching j no later than ``l_j``, at top speed ``v``:
    ``max(0, L - v·(l_j - t)) <= x <= min(L, v·(t - e_i))``. The traveller may stop,
    so the minimum speed gives no bound.

    Raises
    ------
    ValueError
        ``at`` lies outside every span between timed events, or the prism is empty.
    """
    if at.tzinfo is None:
        raise ValueError("the time needs a zone, e.g. 2023-09-12T18:00+10:00")
    vmax = trip.speed_max
    pos = {ev: n for n, ev in enumerate(order)}
    timed = [n for n, ev in enumerate(order) if windows[ev] is not None]
    for a, b in zip(timed, timed[1:]):
        i, j = order[a], order[b]
        wi, wj = windows[i], windows[j]
        assert wi is not None and wj is not None
        dep, arr = _departure(trip, i, wi), _arrival(trip, j, wj)
        if not (wi.earliest <= at <= arr.latest):
            continue
        inside = [leg for leg in legs if a <= pos[leg.start] and pos[leg.end] <= b]
        if any(leg.route is None for leg in inside):
            raise ValueError("a leg of that stretch has no rail route")
        whole = join_routes([leg.route for leg in inside if leg.route is not None])
        L = whole.km
        hi = min(L, max(0.0, vmax * _hours(at - dep.earliest)))
        lo = max(0.0, L - vmax * _hours(arr.latest - at))
        if lo > hi + 1e-9:
            raise ValueError(
                f"no position fits: at {vmax:g} km/h the train cannot be on time at both ends "
                f"({lo:,.0f} km needed, {hi:,.0f} km reachable)"
            )
        why = (
            f"between {trip.events[i].label} and {trip.events[j].label} ({L:,.0f} km): at most "
            f"{vmax:g} km/h from {dep.earliest.isoformat()} and arriving by {arr.latest.isoformat()}"
        )
        return WhereAt(at, i, j, (round(lo, 1), round(hi, 1)), whole.cut(lo, hi), L, why)
    raise ValueError("that time is not between two timed events of the trip")
