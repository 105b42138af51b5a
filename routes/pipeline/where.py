"""Where the traveller could have been at a given moment: a space-time prism on the route."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..model import Leg, Route, Trip, Window
from ..routing.rail import join_routes
from ..settings import DEFAULT, Settings
from .timing import arrival, changes, departure, hours, leg_times

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


# a stretch of a span in travel order: ("wait", hours, 0) or ("move", km, top km/h)
_Step = tuple[str, float, float]


def _reach(steps: Sequence[_Step], h: float) -> float:
    """The most km covered in ``h`` hours along ``steps``, waiting where they wait."""
    km = 0.0
    for kind, amount, v in steps:
        if h <= 0:
            break
        if kind == "wait":
            h -= amount
            continue
        go = min(amount, v * h)
        km += go
        h -= go / v
    return km


def where_at(
    trip: Trip,
    windows: Sequence[Window | None],
    order: Sequence[int],
    legs: Sequence[Leg],
    at: datetime,
    joined: dict[tuple[int, int], Route] | None = None,
    geometry: bool = True,
    settings: Settings = DEFAULT,
) -> WhereAt:
    """The stretch of route the traveller could have been on at ``at`` (a space-time prism).

    Between consecutive timed events i and j with route length L (km), leaving i no
    earlier than ``e_i`` and reaching j no later than ``l_j``, each leg at its mode's top
    speed (waiting out stated dwell times, changes of mode and a flight's taxi, climb and
    descent): the traveller is no further than the route reachable from ``e_i`` by ``at``,
    and no nearer the start than the route that still reaches j by ``l_j``. The traveller
    may stop, so the minimum speeds give no bound. For one mode at speed ``v`` and no stops:
    ``max(0, L - v·(l_j - t)) <= x <= min(L, v·(t - e_i))``.

    ``joined``, a dict the caller owns, keeps each span's joined route between calls (the
    time slider asks for a couple of hundred moments on the same spans); with
    ``geometry=False`` the stretch's coordinates are left empty (only its km are wanted).

    Raises
    ------
    ValueError
        ``at`` lies outside every span between timed events, a leg of the span has no
        route or only an estimated one (road, sea), or the prism is empty.
    """
    if at.tzinfo is None:
        raise ValueError("the time needs a zone, e.g. 2023-09-12T18:00+10:00")
    pos = {ev: n for n, ev in enumerate(order)}
    timed = [n for n, ev in enumerate(order) if windows[ev] is not None]
    starting = {pos[leg.start]: leg for leg in legs}  # each span takes its legs in one pass, not a scan of all
    change = {k: h for k, (_, _, h) in changes(trip, legs, settings).items()}
    for a, b in zip(timed, timed[1:]):
        i, j = order[a], order[b]
        wi, wj = windows[i], windows[j]
        assert wi is not None and wj is not None
        dep, arr = departure(trip, i, wi, change.get(i, 0.0)), arrival(trip, j, wj, change.get(j, 0.0))
        if not (wi.earliest <= at <= arr.latest):
            continue
        inside = [leg for n in range(a, b) if (leg := starting.get(n)) is not None and pos[leg.end] <= b]
        if any(leg.route is None for leg in inside):
            raise ValueError("a leg of that stretch has no route")
        estimated = [leg for leg in inside if leg.route is not None and leg.route.estimated]
        if estimated:
            raise ValueError(f"a leg of that stretch goes by {estimated[0].mode}, whose route is only estimated")
        times = leg_times(trip, inside, settings)
        steps: list[_Step] = []
        for leg in inside:
            assert leg.route is not None
            lt = times[leg.index]
            if lt.flight_hours:
                steps.append(("wait", lt.flight_hours, 0.0))
            steps.append(("move", leg.route.km, lt.terms.vmax))
            if leg.end != j:
                steps.append(("wait", trip.events[leg.end].dwell_hours + change.get(leg.end, 0.0), 0.0))
        whole = joined.get((i, j)) if joined is not None else None
        if whole is None:
            whole = join_routes([leg.route for leg in inside if leg.route is not None])
            if joined is not None:
                joined[(i, j)] = whole
        L = whole.km
        hi = min(L, _reach(steps, hours(at - dep.earliest)))
        lo = max(0.0, L - _reach(steps[::-1], hours(arr.latest - at)))
        if lo > hi + 1e-9:
            raise ValueError(
                f"no position fits: at top speed the traveller cannot be on time at both ends "
                f"({lo:,.0f} km needed, {hi:,.0f} km reachable)"
            )
        tops = sorted({f"{times[leg.index].terms.vmax:g} km/h by {leg.mode}" for leg in inside})
        why = (
            f"between {trip.events[i].label} and {trip.events[j].label} ({L:,.0f} km): at most "
            f"{', '.join(tops)} from {dep.earliest.isoformat()} and arriving by {arr.latest.isoformat()}"
        )
        coords = whole.cut(lo, hi) if geometry else ()
        return WhereAt(at, i, j, (round(lo, 1), round(hi, 1)), coords, L, why)
    raise ValueError("that time is not between two timed events of the trip")
