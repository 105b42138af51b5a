"""Claim verdicts with numbers: distance, via, not_via, order, speed and region.

Distance claims are supported when the straight-line or the rail distance (as the claim
allows) is within its tolerance — by default :data:`DEFAULT_TOLERANCE_PCT` %, the reading
we give round figures such as "some 1,000 km".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Point as SPoint

from ..geo import geodesic_km, haversine_km, haversine_km_many, nearest_vertex
from ..model import Claim, ClaimVerdict, Leg, Place, Route, Span, Trip
from ..routing.modes import mode_terms
from ..routing.rail import RailNetwork
from ..settings import DEFAULT, Settings
from .resolve import ResolvedTrip

__all__ = ["DEFAULT_TOLERANCE_PCT", "VIA_KM", "judge_claims"]

log = logging.getLogger(__name__)

DEFAULT_TOLERANCE_PCT = DEFAULT.default_tolerance_pct
VIA_KM = DEFAULT.via_km


@dataclass(frozen=True)
class Inferred:
    """The inferred route as its legs' routes, in order, never joined into one: joining
    a 2,000-leg trip copied 2.6 million vertices (and measuring it twice that)."""

    routes: tuple[Route, ...]
    starts: tuple[float, ...]  # km from the first leg's start where each route begins
    nodes: frozenset[str]

    @classmethod
    def of(cls, legs: Sequence[Leg]) -> Inferred:
        routes = tuple(leg.route for leg in legs if leg.route is not None)
        starts = tuple(np.concatenate([[0.0], np.cumsum([r.km for r in routes])])[:-1].tolist())
        return cls(routes, starts, frozenset(n for r in routes for n in r.nodes))

    def nearest(self, p: Place) -> tuple[float, float]:
        """(km from ``p`` to the nearest vertex of the route, km along the route there);
        ``inf`` when there is no route. Ranked on the sphere leg by leg, measured exactly
        on the ellipsoid among the legs that could hold the nearest vertex."""
        return self.nearest_on(p)[:2]  # type: ignore[return-value]

    def nearest_on(self, p: Place) -> tuple[float, float, Route | None]:
        """:meth:`nearest`, and the route the nearest vertex lies on."""
        ranked = [
            (float(haversine_km_many(p.lat, p.lon, r.coords[:, 0], r.coords[:, 1]).min()), k)
            for k, r in enumerate(self.routes)
            if len(r.coords) and r.mode != "air"  # a flight passes over places; it goes to its ends only
        ]
        if not ranked:
            return float("inf"), 0.0, None
        floor = min(d for d, _ in ranked)
        best: tuple[float, float, Route | None] = (float("inf"), 0.0, None)
        for d, k in ranked:
            if d <= floor * 1.012 + 1e-6:
                dist, i = nearest_vertex(self.routes[k].coords, p.lat, p.lon)
                if dist < best[0]:
                    cum = self.routes[k].cum_km
                    best = (dist, self.starts[k] + (float(cum[i]) if len(cum) else 0.0), self.routes[k])
        return best

    def could_pass(self, p: Place) -> list[Route]:
        """The estimated legs (road, sea) whose way could run through ``p``: those where
        going through ``p`` is no longer than the estimate's upper end. Their real path is
        not known, so whether they passed ``p`` is not either."""
        out = []
        for r in self.routes:
            if r.km_max is None or not len(r.coords):
                continue
            (alat, alon), (blat, blon) = r.coords[0].tolist(), r.coords[-1].tolist()
            through = haversine_km(alat, alon, p.lat, p.lon) + haversine_km(p.lat, p.lon, blat, blon)
            if through <= r.km_max:
                out.append(r)
        return out


def judge_claims(
    trip: Trip,
    resolved: ResolvedTrip,
    legs: Sequence[Leg],
    spans: Sequence[Span],
    net: RailNetwork,
    rail_km: Sequence[float | None],
    respected: bool = False,
    settings: Settings = DEFAULT,
) -> list[ClaimVerdict]:
    """A verdict for every claim of the trip, each with a one-line why and its numbers.

    The claims' places come resolved (:func:`~routes.pipeline.resolve.resolve_trip`) and
    the rail km of each distance claim routed (:func:`~routes.pipeline.infer.claim_rail_km`):
    no judge looks a name up or searches a route."""
    whole = Inferred.of(legs)
    return [
        _judge(c, cp, region, resolved.places, spans, net, whole, respected, legs, trip, settings, km)
        for c, cp, region, km in zip(trip.claims, resolved.claim_places, resolved.claim_regions, rail_km)
    ]


def _judge(
    c: Claim,
    cp: tuple[Place, ...],
    region: tuple[str, object] | None,
    places: Sequence[Place],
    spans: Sequence[Span],
    net: RailNetwork,
    whole: Inferred,
    respected: bool,
    legs: Sequence[Leg] = (),
    trip: Trip | None = None,
    settings: Settings = DEFAULT,
    rail_km: float | None = None,
) -> ClaimVerdict:
    if c.kind == "distance":
        return _distance(c, cp, rail_km, legs, trip, settings)

    if c.kind in ("via", "not_via"):
        verdicts = []
        for p in cp:
            station = p.id if p.id in net else (p.station if p.station in net else None)
            passed = station in whole.nodes if station else False
            dist, _ = whole.nearest(p)
            if not station:
                passed = dist <= VIA_KM
            verdicts.append((p, passed, dist))
        unknown = [(p, r) for p, passed, _ in verdicts if not passed for r in whole.could_pass(p)[:1]]
        if unknown:
            why = "; ".join(
                f"{p.name}: the {r.mode} leg near it is an estimate (up to {r.km_max:,.0f} km), and a way that "
                "long could run through it; its real path is not known"
                for p, r in unknown
            )
            return ClaimVerdict(c, "unverifiable", why)
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
        for p in cp:
            d, along = whole.nearest(p)
            if d > 25:
                return ClaimVerdict(c, "unverifiable", f"{p.name} is {d:,.0f} km from the inferred route")
            positions.append((p.name, along))
        ok = all(x[1] <= y[1] for x, y in zip(positions, positions[1:]))
        desc = ", ".join(f"{n} at km {k:,.0f}" for n, k in positions)
        return ClaimVerdict(
            c,
            "supported" if ok else "contradicted",
            f"along the inferred route: {desc}",
            tuple((f"km_{n}", round(k, 1)) for n, k in positions),
        )

    if c.kind == "speed":
        return _speed(c, cp, places, spans)

    # in_region
    p = cp[0]
    assert region is not None
    region_name, area = region
    if area is None:
        return ClaimVerdict(c, "unverifiable", f"{region_name} is not a bundled region with an outline")
    inside = area.geometry.covers(SPoint(p.lon, p.lat))  # type: ignore[attr-defined]
    return ClaimVerdict(
        c,
        "supported" if inside else "contradicted",
        f"{p.name} ({p.lat:.3f}, {p.lon:.3f}) is {'inside' if inside else 'outside'} {region_name}",
    )


def _distance(
    c: Claim, cp: tuple[Place, ...], rail: float | None, legs: Sequence[Leg], trip: Trip | None, settings: Settings
) -> ClaimVerdict:
    """A distance, read as the claim allows: straight-line, by rail on the network, and by
    each other mode the trip travels (a road or sea length is an estimated band; the length
    of a leg that joins the two places is that leg's own)."""
    a, b = cp
    assert c.value is not None
    tol = c.tolerance_pct if c.tolerance_pct is not None else DEFAULT_TOLERANCE_PCT
    straight = geodesic_km(a.lat, a.lon, b.lat, b.lon)
    nums: list[tuple[str, float]] = [("claimed_km", c.value), ("straight_km", round(straight, 1))]
    if rail is not None:
        nums.append(("rail_km", round(rail, 1)))
    readings: list[tuple[str, tuple[float, float] | None]] = []
    if c.qualifier in ("any", "straight"):
        readings.append(("straight-line", (straight, straight)))
    if c.qualifier in ("any", "rail"):
        readings.append(("rail", None if rail is None else (rail, rail)))
    used = [leg.mode for leg in legs if leg.route is not None]
    for mode in ("road", "sea", "air"):
        if c.qualifier == mode or (c.qualifier == "any" and mode in used and mode != "air"):
            band = _mode_km(mode, a, b, straight, legs, trip, settings)
            readings.append((f"{mode} (estimated)" if band[1] > band[0] else mode, band))
            nums.append((f"{mode}_km", round(band[0], 1)))
    claimed = c.value
    lo_ok, hi_ok = claimed * (1 - tol / 100), claimed * (1 + tol / 100)

    def words(name: str, rng: tuple[float, float]) -> str:
        return (
            f"{name} {rng[0]:,.0f} km" if round(rng[1]) == round(rng[0]) else f"{name} {rng[0]:,.0f}–{rng[1]:,.0f} km"
        )

    parts = [words(name, rng) for name, rng in readings if rng is not None]
    for name, rng in readings:
        if rng is not None and rng[0] <= hi_ok and rng[1] >= lo_ok:
            what = words(name, rng).removeprefix(name + " ")
            within = "is within" if round(rng[1]) == round(rng[0]) else "reaches within"
            why = f"matches as {name} distance: {what} {within} {tol:g}% of {claimed:,.0f} km ({'; '.join(parts)})"
            return ClaimVerdict(c, "supported", why, tuple(nums))
    if not parts:
        return ClaimVerdict(c, "unverifiable", "no rail route between the places", tuple(nums))
    why = f"neither reading is within {tol:g}% of {c.value:,.0f} km: {'; '.join(parts)}"
    return ClaimVerdict(c, "contradicted", why, tuple(nums))


def _mode_km(
    mode: str, a: Place, b: Place, straight: float, legs: Sequence[Leg], trip: Trip | None, settings: Settings
) -> tuple[float, float]:
    for leg in legs:
        if leg.mode == mode and leg.route is not None and {leg.start_name, leg.end_name} == {a.name, b.name}:
            return leg.route.km_range
    if trip is None:
        return (straight, straight)
    lo, hi = mode_terms(trip, mode, settings).detour
    return (straight * lo, straight * hi)


def _speed(c: Claim, cp: tuple[Place, ...], places: Sequence[Place], spans: Sequence[Span]) -> ClaimVerdict:
    """A speed, against the timings of the spans it covers and the top speed of their modes."""
    assert c.value is not None
    tol = c.tolerance_pct if c.tolerance_pct is not None else DEFAULT_TOLERANCE_PCT
    chosen = _spans_between(cp, places, spans)
    if not chosen:
        return ClaimVerdict(c, "unverifiable", "no two timed events to measure a speed between")
    km_lo = sum(s.km[0] for s in chosen if s.km is not None)
    km_hi = sum(s.km[1] for s in chosen if s.km is not None)
    lo_h = sum(s.hours_available[0] for s in chosen if s.hours_available)
    hi_h = sum(s.hours_available[1] for s in chosen if s.hours_available)
    if hi_h <= 0:
        return ClaimVerdict(c, "unverifiable", "no time elapsed between the events")
    modes = list(dict.fromkeys(m for s in chosen for m in s.modes))
    fastest = max((s.fastest_kmh for s in chosen if s.fastest_kmh is not None), default=None)
    v_lo = km_lo / hi_h
    v_hi = km_hi / lo_h if lo_h > 0 else float("inf")
    rng = f"{v_lo:,.0f}–{v_hi:,.0f} km/h" if v_hi != float("inf") else f"at least {v_lo:,.0f} km/h"
    dist = f"{km_lo:,.0f} km" if round(km_hi) == round(km_lo) else f"{km_lo:,.0f}–{km_hi:,.0f} km (estimated)"
    by = f" by {' and '.join(modes)}" if modes else ""
    speed_nums = (("claimed_kmh", c.value), ("implied_min_kmh", round(v_lo, 1)))
    if fastest is not None and c.value > fastest * (1 + tol / 100):
        return ClaimVerdict(
            c,
            "contradicted",
            f"{c.value:g} km/h is faster than the top speed{by} ({fastest:g} km/h); the timings imply {rng} over {dist}",
            (*speed_nums, ("top_kmh", fastest)),
        )
    if c.qualifier == "top":
        if c.value < v_lo * (1 - tol / 100):
            return ClaimVerdict(
                c,
                "contradicted",
                f"a top speed of {c.value:g} km/h is below the average of {rng} the timings need over {dist}{by}",
                speed_nums,
            )
        return ClaimVerdict(
            c, "supported", f"a top speed of {c.value:g} km/h allows the average of {rng} over {dist}{by}", speed_nums
        )
    if v_lo * (1 - tol / 100) <= c.value <= v_hi * (1 + tol / 100):
        return ClaimVerdict(
            c, "supported", f"average {c.value:g} km/h lies in the implied {rng} over {dist}{by}", speed_nums
        )
    return ClaimVerdict(
        c, "contradicted", f"average {c.value:g} km/h is outside the implied {rng} over {dist}{by}", speed_nums
    )


def _spans_between(cp: tuple[Place, ...], places: Sequence[Place], spans: Sequence[Span]) -> list[Span]:
    if len(cp) < 2:
        return [s for s in spans if s.km is not None]
    want = [p.id for p in cp[:2]]
    ids = [p.id for p in places]
    try:
        i, j = ids.index(want[0]), ids.index(want[1])
    except ValueError:
        return []
    out, inside = [], False
    for s in spans:
        if s.start == i:
            inside = True
        if inside and s.km is not None:
            out.append(s)
        if s.end == j:
            break
    return out
