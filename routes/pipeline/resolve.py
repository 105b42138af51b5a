"""Resolve every event of a trip to a place, with the trip's other places as context,
and turn event times into aware windows in each place's own zone."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from ..errors import NoRoute, TripError
from ..geo import haversine_km
from ..model import Place, Point, Trip, Window
from ..places.index import Gazetteer, Match, near_array
from ..places.timezones import tz_for, zone
from ..routing.rail import RailNetwork
from .infer import route_between

__all__ = ["resolve_events", "event_windows"]

log = logging.getLogger(__name__)


def _point_place(p: Point, i: int) -> Place:
    return Place(
        id=f"point:{i}",
        name=f"{p.lat:.4f}, {p.lon:.4f}",
        kind="point",
        lat=p.lat,
        lon=p.lon,
        tz=tz_for(p.lat, p.lon),
        source="given as coordinates in the trip file",
    )


def resolve_events(
    trip: Trip,
    gz: Gazetteer,
    net: RailNetwork | None = None,
    near: Sequence[tuple[float, float]] = (),
    notes: list[str] | None = None,
) -> list[Place]:
    """One place per event, chosen with the context of the trip's other places.

    A name that several places share is ranked by closeness to the other events'
    places (and ``near``); bridges found by river are chosen by the least detour
    on the network between the neighbouring events. When two distinct places match a
    name equally well, a line saying which was chosen goes into ``notes``.
    """
    prefer = "station" if trip.mode == "rail" else None
    first: list[list[Match] | Place] = []
    for i, ev in enumerate(trip.events):
        if isinstance(ev.place, Point):
            first.append(_point_place(ev.place, i))
            continue
        first.append(gz.resolve(ev.place, near=near, prefer=prefer))
    anchors = [
        (x.lat, x.lon) if isinstance(x, Place) else (x[0].place.lat, x[0].place.lon)
        for x in first
        if isinstance(x, Place) or (len(x) == 1 or x[0].score - x[1].score >= 0.05)
    ]
    anchor_arr = near_array(anchors)
    near_arr = near_array(near)
    out: list[Place] = []
    for i, x in enumerate(first):
        if isinstance(x, Place):
            out.append(x)
            continue
        ev = trip.events[i]
        assert isinstance(ev.place, str)
        own = (x[0].place.lat, x[0].place.lon)
        ctx = np.vstack([anchor_arr[(anchor_arr != own).any(axis=1)], near_arr])
        matches = gz.resolve(ev.place, near=ctx, prefer=prefer)
        if net is not None and len([m for m in matches if m.place.kind == "bridge"]) > 1:
            chosen = _pick_bridge(matches, i, first, net)
        else:
            chosen = matches[0].place
        out.append(chosen)
        rivals = [m.place for m in matches[1:] if m.score >= matches[0].score - 0.05 and _distinct(chosen, m.place)]
        if notes is not None and rivals:
            others = "; ".join(f"{p.name} ({p.kind}, {p.lat:.2f}, {p.lon:.2f})" for p in rivals[:3])
            notes.append(
                f"'{ev.place}' is ambiguous: chose {chosen.name} ({chosen.kind}, {chosen.lat:.2f}, {chosen.lon:.2f}) "
                f"as the closest fit to the trip; also {others} — name it more exactly if that is wrong"
            )
    return out


def _distinct(a: Place, b: Place) -> bool:
    """Two matches are different places (not a town and its own station, not 20 km apart)."""
    if a.station == b.id or b.station == a.id or a.id == b.id:
        return False
    if (a.kind == "region") != (b.kind == "region"):  # a city and the region named after it
        return False
    return haversine_km(a.lat, a.lon, b.lat, b.lon) > 20


def _pick_bridge(matches: list[Match], i: int, first: list, net: RailNetwork) -> Place:
    def anchor(j: int) -> Place | None:
        x = first[j]
        if isinstance(x, Place):
            return x
        return x[0].place if x and x[0].place.kind != "bridge" else None

    prev = next((anchor(j) for j in range(i - 1, -1, -1) if anchor(j)), None)
    nxt = next((anchor(j) for j in range(i + 1, len(first)) if anchor(j)), None)
    bridges = [m.place for m in matches if m.place.kind == "bridge"]
    if prev is None and nxt is None:
        return bridges[0]

    def detour(b: Place) -> float:
        total = 0.0
        for a in (prev, nxt):
            if a is None:
                continue
            try:
                total += route_between(net, a, b).km
            except NoRoute:
                total += 1e6
        return total

    return min(bridges, key=detour)


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
