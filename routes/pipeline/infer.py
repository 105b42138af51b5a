"""Infer the route of each leg by its mode, with materially different rail alternatives.

Functions, not objects: :func:`order_events` may reorder untimed sightings along the
route, :func:`infer_legs` routes each leg by its mode (rail on the network, air on the
great circle between airports, road, sea and foot as estimates), :func:`doubling_back`
warns when the listed order runs the same track twice.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Iterable, Sequence

from ..errors import NoAirport, NoRoute
from ..geo import geodesic_km, haversine_km
from ..model import Leg, Place, Route, Trip
from ..routing.air import AirRouter
from ..routing.base import Router
from ..routing.modes import leg_terms
from ..routing.rail import Position, RailNetwork, alternatives, assemble, find_path, join_routes, route, snap
from ..routing.road import DetourRouter
from ..settings import DEFAULT, Settings

__all__ = [
    "order_events",
    "infer_legs",
    "route_between",
    "km_between",
    "claim_rail_km",
    "doubling_back",
    "SNAP_NOTE_KM",
    "router_for",
]

log = logging.getLogger(__name__)


def _snapped(net: RailNetwork, a: Place, b: Place, max_snap_km: float) -> tuple[Position, Position]:
    pa, pb = snap(net, a, max_snap_km), snap(net, b, max_snap_km)
    if pa is None or pb is None:
        far = a if pa is None else b
        raise NoRoute(f"{far.name} is more than {max_snap_km:.0f} km from any bundled railway")
    return pa, pb


def route_between(net: RailNetwork, a: Place, b: Place, avoid: Sequence[str] = (), max_snap_km: float = 50.0) -> Route:
    pa, pb = _snapped(net, a, b, max_snap_km)
    return route(net, pa, pb, avoid=avoid)


def km_between(net: RailNetwork, a: Place, b: Place, max_snap_km: float = 50.0) -> float:
    """Rail km of the shortest route, without building its geometry."""
    pa, pb = _snapped(net, a, b, max_snap_km)
    return sum(abs(t - s) for _, s, t in find_path(net, pa, pb).pieces)


def claim_rail_km(trip: Trip, claim_places: Sequence[Sequence[Place]], net: RailNetwork) -> tuple[float | None, ...]:
    """The rail km between the two places of each distance claim (None for other claims and
    where no rail route joins them): routed here, before any claim is judged."""
    out: list[float | None] = []
    for c, cp in zip(trip.claims, claim_places):
        km = None
        if c.kind == "distance" and len(cp) == 2:
            try:
                km = km_between(net, cp[0], cp[1])
            except NoRoute:
                km = None
        out.append(km)
    return tuple(out)


def order_events(trip: Trip, places: Sequence[Place], net: RailNetwork) -> list[int]:
    """The order of events to route through.

    With ``order: listed`` (the default) the trip's own order. With ``order: route``,
    untimed sightings between two timed ones are put in the order that makes the
    shortest rail route (every permutation for up to 7, else by distance from the
    first anchor), since a report that lists them says nothing of which came first.
    """
    n = len(trip.events)
    idx = list(range(n))
    if trip.order != "route":
        return idx
    timed = [i for i in idx if trip.events[i].time is not None]
    bounds = [0, *timed, n - 1] if timed else [0, n - 1]
    bounds = sorted(set(bounds))
    cache: dict[tuple[int, int], float] = {}

    def km(i: int, j: int) -> float:
        if (i, j) not in cache:
            straight = geodesic_km(places[i].lat, places[i].lon, places[j].lat, places[j].lon)
            if trip.mode_of(j) != "rail":  # other modes go about straight: order them by distance
                cache[(i, j)] = straight
                return straight
            try:
                cache[(i, j)] = km_between(net, places[i], places[j])
            except NoRoute:  # unconnected: make that order very unattractive
                cache[(i, j)] = straight * 10
        return cache[(i, j)]

    result: list[int] = []
    for a, b in zip(bounds, bounds[1:]):
        inner = [i for i in range(a + 1, b) if trip.events[i].time is None]
        if not result:
            result.append(a)
        result.extend(_best_order(a, b, inner, km))
        result.append(b)
    return result


def _best_order(a: int, b: int, inner: list[int], km: Callable[[int, int], float]) -> list[int]:
    """The order of ``inner`` events between anchors ``a`` and ``b`` with the least rail km."""
    if len(inner) <= 1:
        return inner
    if len(inner) <= 7:

        def total(perm: Iterable[int]) -> float:
            return sum(km(x, y) for x, y in zip((a, *perm), (*perm, b)))

        perms: list[tuple[int, ...]] = list(itertools.permutations(inner))
        return list(min(perms, key=total))
    return sorted(inner, key=lambda i: km(a, i))


def doubling_back(
    trip: Trip, places: Sequence[Place], order: Sequence[int], legs: Sequence[Leg], net: RailNetwork
) -> list[str]:
    """Warnings for events whose place in the order forces the route to double back."""
    out = []
    by_ends = {(leg.start, leg.end): leg for leg in legs}
    for prev, mid, nxt in zip(order, order[1:], order[2:]):
        l1, l2 = by_ends.get((prev, mid)), by_ends.get((mid, nxt))
        if l1 is None or l2 is None or l1.route is None or l2.route is None:
            continue
        shared = {_undirected(e) for e in l1.route.edges} & {_undirected(e) for e in l2.route.edges}
        back_km = math.fsum(net.edge_km(e[2]) for e in shared)  # exact: the same whatever the set's order
        if back_km >= 1.0:  # only then is the direct route worth a search, for the message
            try:
                direct = km_between(net, places[prev], places[nxt])
            except NoRoute:
                continue
            via = l1.route.km + l2.route.km
            out.append(
                f"the listed order makes the route double back at "
                f"{trip.events[mid].label}: {trip.events[prev].label} → {trip.events[mid].label} → "
                f"{trip.events[nxt].label} runs {back_km:,.0f} km of track twice ({via:,.0f} km by rail "
                f"against {direct:,.0f} km direct); if the report does not say which came first, set 'order: route'"
            )
    return out


SNAP_NOTE_KM = DEFAULT.snap_note_km


def _undirected(e: tuple[str, str, int]) -> tuple[str, str, int]:
    u, v, k = e
    return (u, v, k) if u <= v else (v, u, k)


def router_for(trip: Trip, end: int, settings: Settings = DEFAULT) -> Router | None:
    """The router of a leg that is not rail: air, or an estimate for road, sea and foot with
    the leg's own detour band; None for a leg of unknown mode."""
    terms = leg_terms(trip, end, settings)
    if terms.mode == "air":
        return AirRouter()
    if terms.mode in ("road", "sea", "foot"):
        return DetourRouter(terms.mode, terms.detour)
    return None


def infer_legs(
    trip: Trip,
    places: Sequence[Place],
    net: RailNetwork,
    order: Sequence[int] | None = None,
    k: int = 2,
    avoid: Sequence[str] = (),
    via: Sequence[Place] = (),
    airports: Sequence[tuple[Place, float] | None] = (),
    settings: Settings = DEFAULT,
) -> list[Leg]:
    """Route each pair of consecutive events by the mode of the leg (the mode of the event
    it reaches); rail alternatives differ materially.

    ``avoid`` holds station ids no rail route may pass (``not_via`` claims, when they are
    to be respected); ``via`` places a route must pass are inserted into the rail leg that
    would otherwise come closest to them. ``airports`` gives, per event, the airport a
    flight from or to it uses and how far away it lies (from
    :func:`~routes.pipeline.resolve.resolve_trip`).

    Raises
    ------
    NoAirport
        An air leg touches a place with no airport within ``Settings.airport_snap_km``.
    """
    order = list(order) if order is not None else list(range(len(places)))
    legs: list[Leg] = []
    via_left = list(via)
    pairs = [(i, j) for i, j in zip(order, order[1:]) if not _same_spot(places[i], places[j])]
    memo: dict[tuple[Position, Position], tuple[Route, tuple[Route, ...]]] = {}  # a leg the trip runs again
    for n, (i, j) in enumerate(pairs):
        a, b = places[i], places[j]
        straight = geodesic_km(a.lat, a.lon, b.lat, b.lon)
        mode = trip.mode_of(j)
        if mode == "rail":
            legs.append(_rail_leg(n, i, j, a, b, straight, net, k, avoid, via_left, memo))
        elif mode == "air":
            legs.append(_air_leg(trip, n, i, j, a, b, straight, airports, settings))
        elif mode == "unknown":
            note = "mode unknown: judged by the straight line at the fastest plausible speed"
            legs.append(Leg(n, i, j, a.name, b.name, straight, None, note=note, mode=mode))
        else:
            router = router_for(trip, j, settings)
            assert router is not None
            r = router.shortest(a, b)
            legs.append(Leg(n, i, j, a.name, b.name, straight, r, note=r.estimate, mode=mode))
    return legs


def _rail_leg(
    n: int,
    i: int,
    j: int,
    a: Place,
    b: Place,
    straight: float,
    net: RailNetwork,
    k: int,
    avoid: Sequence[str],
    via_left: list[Place],
    memo: dict[tuple[Position, Position], tuple[Route, tuple[Route, ...]]],
) -> Leg:
    pa, pb = snap(net, a), snap(net, b)
    if pa is None or pb is None:
        far = a if pa is None else b
        note = f"{far.name} is not near any railway of the network {net.name}"
        return Leg(n, i, j, a.name, b.name, straight, None, note=note)
    free = not via_left  # no via place may claim this leg: its routes depend on its ends alone
    if free and (pa, pb) in memo:  # the same ends, the same options: the same routes
        route, alts = memo[(pa, pb)]
    else:
        try:
            found = find_path(net, pa, pb, avoid=avoid)  # searched once: the route, and the alternatives' start
            shortest = assemble(net, found.pieces, pa, pb, found.reversals)
            route = _route_via(net, pa, pb, via_left, avoid, shortest)
            alts = tuple(alternatives(net, pa, pb, k, avoid=avoid, best=found, best_route=shortest)) if k > 0 else ()
        except NoRoute as err:
            return Leg(n, i, j, a.name, b.name, straight, None, note=f"no rail connection: {err}")
        if free:
            memo[(pa, pb)] = (route, alts)
    notes = [
        f"{p.name} lies {pos.snap_km:,.1f} km from the nearest track of the {net.name} network; the route ends there"
        for p, pos in ((a, pa), (b, pb))
        if pos.snap_km > SNAP_NOTE_KM
    ]
    return Leg(n, i, j, a.name, b.name, straight, route, alts, "; ".join(notes), (pa.snap_km, pb.snap_km))


def _air_leg(
    trip: Trip,
    n: int,
    i: int,
    j: int,
    a: Place,
    b: Place,
    straight: float,
    airports: Sequence[tuple[Place, float] | None],
    settings: Settings,
) -> Leg:
    ends = []
    notes = []
    for k, p in ((i, a), (j, b)):
        if trip.events[k].kind == "passed":  # flown over, not landed at: the place itself
            ends.append((p, 0.0))
            continue
        found = airports[k] if k < len(airports) else ((p, 0.0) if p.kind == "airport" else None)
        if found is None:
            raise NoAirport(
                f"event {k + 1} ({trip.events[k].label}) is flown {'from' if k == i else 'to'}, but no airport lies "
                f"within {settings.airport_snap_km:g} km of {p.name}; name the airport (e.g. its ICAO code) or give "
                "the leg another mode"
            )
        airport, km = found
        ends.append((airport, km))
        if airport.id != p.id and km >= 1.0:  # a bundled airfield is the airport it names
            code = airport.meta("iata") or airport.meta("icao")
            notes.append(f"{p.name} is not an airport: the flight uses {airport.name} ({code}), {km:,.0f} km away")
    (fa, ka), (fb, kb) = ends
    r = AirRouter().shortest(fa, fb)
    return Leg(n, i, j, a.name, b.name, straight, r, note="; ".join(notes), snap_km=(ka, kb), mode="air")


def _same_spot(a: Place, b: Place) -> bool:
    """Two consecutive events at one place (an arrival and a departure): a stay, not a leg."""
    return a.id == b.id or haversine_km(a.lat, a.lon, b.lat, b.lon) < 0.01


def _route_via(
    net: RailNetwork, pa: Position, pb: Position, via: list[Place], avoid: Sequence[str], base: Route
) -> Route:
    """The shortest route ``base``, forced through any ``via`` place that lies close to this leg."""
    for p in list(via):
        pv = snap(net, p)
        if pv is None:
            continue
        try:
            r1, r2 = route(net, pa, pv, avoid=avoid), route(net, pv, pb, avoid=avoid)
        except NoRoute:
            continue
        if r1.km + r2.km <= base.km * 1.5 + 50:
            via.remove(p)
            return join_routes([r1, r2])
    return base
