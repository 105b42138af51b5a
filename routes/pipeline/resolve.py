"""Resolve every place a trip names — events and claims — once, before routing, with the
trip's other places as context; and turn event times into aware windows in each place's
own zone. Nothing after this stage looks a name up again.
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import NoRoute, PlaceNotFound, TripError
from ..model import Place, Point, Resolution, Trip, Window
from ..places.index import Gazetteer, Match, distinct, near_array
from ..places.timezones import tz_for, zone
from ..routing.rail import RailNetwork
from ..settings import DEFAULT, Settings
from ..sources.bundled import Area
from .infer import km_between

__all__ = ["ResolvedTrip", "resolve_trip", "resolve_events", "event_windows", "point_place", "preferences"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolvedTrip:
    """Every place of a trip, found once: per event (with how it was found), per claim,
    and the bundled region each ``in_region`` claim names (None when it names no region
    with an outline)."""

    places: tuple[Place, ...]
    resolutions: tuple[Resolution, ...]
    claim_places: tuple[tuple[Place, ...], ...]
    claim_regions: tuple[tuple[str, Area | None] | None, ...]
    notes: tuple[str, ...] = ()
    # per event, when the trip flies: the airport a flight from or to it uses and how far
    # away it lies (the place itself when it is an airport); None = none near enough
    airports: tuple[tuple[Place, float] | None, ...] = ()


def point_place(p: Point, pid: str) -> Place:
    """A place for coordinates given in a trip file: labelled by its ``name`` (or its
    coordinates), in the time zone the boundaries put it in."""
    return Place(
        id=pid,
        name=p.label,
        kind="point",
        lat=p.lat,
        lon=p.lon,
        tz=tz_for(p.lat, p.lon),
        source="given as coordinates in the trip file",
    )


_COORDINATES = Resolution("coordinates", 1.0, "given as coordinates in the trip file")


def _unambiguous(ms: list[Match]) -> bool:
    return len(ms) == 1 or ms[0].score - ms[1].score >= 0.05 or not distinct(ms[0].place, ms[1].place)


def preferences(trip: Trip) -> list[str | None]:
    """The kind of place each event's name most likely means: an airport where a listed
    neighbouring leg flies, a station where one goes by rail, else no preference."""
    n = len(trip.events)
    out: list[str | None] = []
    for i in range(n):
        near_modes = {trip.mode_of(i) if i > 0 else None, trip.mode_of(i + 1) if i + 1 < n else None}
        out.append("airport" if "air" in near_modes else "station" if "rail" in near_modes else None)
    return out


def flies(trip: Trip) -> bool:
    return any(trip.mode_of(i) == "air" for i in range(1, len(trip.events)))


def resolve_trip(
    trip: Trip,
    gz: Gazetteer,
    net: RailNetwork | None = None,
    near: Sequence[tuple[float, float]] = (),
    near_countries: Iterable[str] = (),
    settings: Settings = DEFAULT,
) -> ResolvedTrip:
    """Resolve every event and every claim of ``trip``.

    A first pass takes what matches without context (no typos); the places it settles
    are the context of a second pass, where names shared by several places are ranked by
    closeness to the other events (and ``near``), and a typo may match near them.
    Bridges found by river are chosen by the least detour on the network between the
    neighbouring events. What a reader should check goes into ``notes``. When the trip
    flies, each event also gets the airport a flight from or to it would use.
    """
    prefers = preferences(trip)
    prefer = "station" if trip.mode == "rail" else None  # for the claims' places
    near = list(near)
    near_countries = set(near_countries)
    first: list[list[Match] | Place | None] = []
    for i, ev in enumerate(trip.events):
        if isinstance(ev.place, Point):
            first.append(point_place(ev.place, f"point:{i}"))
            continue
        try:
            first.append(
                gz.resolve(
                    ev.place,
                    near=near,
                    prefer=prefers[i],
                    country=ev.country or trip.country or None,
                    near_countries=near_countries,
                    allow_fuzzy=False,
                )
            )
        except PlaceNotFound:
            first.append(None)
    anchors: list[tuple[int, Place]] = []
    for i, x in enumerate(first):
        if isinstance(x, Place):
            anchors.append((i, x))
        elif x and _unambiguous(x):
            anchors.append((i, x[0].place))
    anchor_idx = np.array([j for j, _ in anchors], dtype=int)
    anchor_arr = near_array([(p.lat, p.lon) for _, p in anchors])
    near_arr = near_array(near)
    anchor_countries = Counter(p.country for _, p in anchors if p.country)
    places: list[Place] = []
    resolutions: list[Resolution] = []
    notes: list[str] = []
    for i, x in enumerate(first):
        if isinstance(x, Place):
            places.append(x)
            resolutions.append(_COORDINATES)
            continue
        ev = trip.events[i]
        assert isinstance(ev.place, str)
        others = anchor_idx != i
        # the neighbours: the place just resolved before this one, the next settled one after
        prev = places[-1] if places else None
        k = bisect.bisect_right(anchor_idx, i)
        after = anchors[k][1] if k < len(anchors) else None
        between = ((prev.lat, prev.lon), (after.lat, after.lon)) if prev is not None and after is not None else None
        own = _own_country(i, anchors, anchor_idx)
        countries = {c for c, n in anchor_countries.items() if n - (c == own) > 0}
        matches = gz.resolve(
            ev.place,
            near=np.vstack([anchor_arr[others], near_arr]),
            prefer=prefers[i],
            country=ev.country or trip.country or None,
            near_countries=countries | near_countries,
            between=between,
        )
        bridges = [m for m in matches if m.place.kind == "bridge"]
        if net is not None and len(bridges) > 1:
            chosen = _pick_bridge(bridges, i, first, net)
            best = next(m for m in bridges if m.place.id == chosen.id)
            rivals = [m.place for m in bridges if distinct(chosen, m.place)]
            if rivals:
                others = "; ".join(f"{p.name} ({p.lat:.2f}, {p.lon:.2f})" for p in rivals[:3])
                notes.append(
                    f"'{ev.place}' is ambiguous: chose {chosen.name} as the crossing with the least detour "
                    f"between the neighbouring events; also {others} — name it more exactly if that is wrong"
                )
        else:
            best = matches[0]
            if best.note:
                notes.append(best.note)
        places.append(best.place)
        resolutions.append(best.resolution)
    claim_places, claim_regions = _resolve_claims(trip, gz, places, prefer, notes)
    airports: tuple[tuple[Place, float] | None, ...] = ()
    if flies(trip):
        airports = tuple(
            (p, 0.0) if p.kind == "airport" else gz.nearest_airport(p, settings.airport_snap_km) for p in places
        )
    return ResolvedTrip(tuple(places), tuple(resolutions), claim_places, claim_regions, tuple(notes), airports)


def _resolve_claims(
    trip: Trip, gz: Gazetteer, places: Sequence[Place], prefer: str | None, notes: list[str]
) -> tuple[tuple[tuple[Place, ...], ...], tuple[tuple[str, Area | None] | None, ...]]:
    """The places each claim names: a name an event uses is that event's place; any other
    is resolved with all the events' places as context."""
    by_query = {ev.place: p for ev, p in zip(trip.events, places) if isinstance(ev.place, str)}
    ctx = near_array([(p.lat, p.lon) for p in places])
    countries = {p.country for p in places if p.country}
    out: list[tuple[Place, ...]] = []
    regions: list[tuple[str, Area | None] | None] = []
    for n, c in enumerate(trip.claims, start=1):
        found = []
        for k, name in enumerate(c.places):
            if isinstance(name, Point):
                found.append(point_place(name, f"claim:{n}:{k}"))
            elif name in by_query:
                found.append(by_query[name])
            else:
                m = gz.resolve(name, near=ctx, prefer=prefer, country=trip.country or None, near_countries=countries)
                if m[0].note:
                    notes.append(m[0].note)
                found.append(m[0].place)
        out.append(tuple(found))
        if c.kind == "in_region":
            region = gz.resolve(c.region)[0].place
            regions.append((region.name, gz.regions.get(region.id)))
        else:
            regions.append(None)
    return tuple(out), tuple(regions)


def resolve_events(
    trip: Trip,
    gz: Gazetteer,
    net: RailNetwork | None = None,
    near: Sequence[tuple[float, float]] = (),
    notes: list[str] | None = None,
) -> list[Place]:
    """One place per event (see :func:`resolve_trip`, which also resolves the claims)."""
    resolved = resolve_trip(trip, gz, net, near)
    if notes is not None:
        notes.extend(resolved.notes)
    return list(resolved.places)


def _own_country(i: int, anchors: Sequence[tuple[int, Place]], idx: np.ndarray) -> str:
    """The country of event ``i``'s own anchor (it is not its own context), if it has one."""
    k = int(np.searchsorted(idx, i))
    return anchors[k][1].country if k < len(anchors) and anchors[k][0] == i else ""


def _pick_bridge(bridges: list[Match], i: int, first: list, net: RailNetwork) -> Place:
    def anchor(j: int) -> Place | None:
        x = first[j]
        if isinstance(x, Place):
            return x
        return x[0].place if x and x[0].place.kind != "bridge" else None

    prev = next((anchor(j) for j in range(i - 1, -1, -1) if anchor(j)), None)
    nxt = next((anchor(j) for j in range(i + 1, len(first)) if anchor(j)), None)
    candidates = [m.place for m in bridges]
    if prev is None and nxt is None:
        return candidates[0]

    def detour(b: Place) -> float:
        total = 0.0
        for a in (prev, nxt):
            if a is None:
                continue
            try:
                total += km_between(net, a, b)
            except NoRoute:
                total += 1e6
        return total

    return min(candidates, key=detour)


def event_windows(trip: Trip, places: Sequence[Place]) -> list[Window | None]:
    """Each event's time as an aware window; a bare date is that whole local day."""
    out: list[Window | None] = []
    for ev, p in zip(trip.events, places):
        if ev.time is None:
            out.append(None)
            continue
        try:
            out.append(ev.time.to_window(zone(p)))
        except ValueError as err:
            raise TripError(f"event at {ev.label}: {err}") from err
    return out
