"""Where the traveller could have been at a given moment: a space-time prism on the route."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..model import Leg, Route, Trip, Window
from ..routing.rail import join_routes
from .timing import arrival, departure, hours

__all__ = ["WhereAt", "where_at"]


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
    joined: dict[tuple[int, int], Route] | None = None,
    geometry: bool = True,
) -> WhereAt:
    """The stretch of track the traveller could have been on at ``at`` (a space-time prism).

    Between consecutive timed events i and j with route length L (km), leaving i no
    earlier than ``e_i`` and reaching j no later than ``l_j``, at top speed ``v``:
    ``max(0, L - v·(l_j - t)) <= x <= min(L, v·(t - e_i))``. The traveller may stop,
    so the minimum speed gives no bound.

    ``joined``, a dict the caller owns, keeps each span's joined route between calls (the
    time slider asks for a couple of hundred moments on the same spans); with
    ``geometry=False`` the stretch's coordinates are left empty (only its km are wanted).

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
    starting = {pos[leg.start]: leg for leg in legs}  # each span takes its legs in one pass, not a scan of all
    for a, b in zip(timed, timed[1:]):
        i, j = order[a], order[b]
        wi, wj = windows[i], windows[j]
        assert wi is not None and wj is not None
        dep, arr = departure(trip, i, wi), arrival(trip, j, wj)
        if not (wi.earliest <= at <= arr.latest):
            continue
        inside = [leg for n in range(a, b) if (leg := starting.get(n)) is not None and pos[leg.end] <= b]
        if any(leg.route is None for leg in inside):
            raise ValueError("a leg of that stretch has no rail route")
        whole = joined.get((i, j)) if joined is not None else None
        if whole is None:
            whole = join_routes([leg.route for leg in inside if leg.route is not None])
            if joined is not None:
                joined[(i, j)] = whole
        L = whole.km
        hi = min(L, max(0.0, vmax * hours(at - dep.earliest)))
        lo = max(0.0, L - vmax * hours(arr.latest - at))
        if lo > hi + 1e-9:
            raise ValueError(
                f"no position fits: at {vmax:g} km/h the train cannot be on time at both ends "
                f"({lo:,.0f} km needed, {hi:,.0f} km reachable)"
            )
        why = (
            f"between {trip.events[i].label} and {trip.events[j].label} ({L:,.0f} km): at most "
            f"{vmax:g} km/h from {dep.earliest.isoformat()} and arriving by {arr.latest.isoformat()}"
        )
        coords = whole.cut(lo, hi) if geometry else ()
        return WhereAt(at, i, j, (round(lo, 1), round(hi, 1)), coords, L, why)
    raise ValueError("that time is not between two timed events of the trip")
