"""The few functions a report-writing script calls.

>>> from routes import check_trip
>>> report = check_trip()            # the bundled September 2023 journey
>>> [leg.verdict for leg in report.legs]   # doctest: +SKIP
['feasible', 'feasible', 'feasible']
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import folium

from .errors import RoutesError
from .model import Report, Trip
from .pipeline.claims import judge_claims
from .pipeline.infer import doubling_back, infer_legs, order_events
from .pipeline.resolve import event_windows, resolve_trip
from .pipeline.timing import judge_timing
from .pipeline.where import WhereAt, where_at
from .places.index import Gazetteer, Match
from .places.resolvers import default_gazetteer, with_geocoder
from .places.spot import PlaceSpotter
from .present.folium import render_map
from .routing.rail import RailNetwork, build_network
from .sources.bundled import load_lines, load_places
from .trips import example_trip_path, load_trip
from .trips.extract import Draft, draft_trip

__all__ = ["load_network", "resolve", "check_trip", "build_map", "where", "trip_from", "extract"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def load_network() -> RailNetwork:
    """The bundled rail network (built once per process, then kept out of the GC's way)."""
    net = build_network(load_lines(), load_places())
    gc.freeze()
    return net


def trip_from(trip: Trip | str | Path | None) -> Trip:
    """A trip object from a trip, a path, or ``None`` for the bundled example."""
    if trip is None:
        return load_trip(example_trip_path())
    if isinstance(trip, Trip):
        return trip
    return load_trip(trip)


def resolve(
    names: Sequence[str],
    near: str | None = None,
    gazetteer: Gazetteer | None = None,
    geocoder: object | None = None,
) -> list[list[Match]]:
    """Matches for each name, best first; ``near`` is a place name giving context.

    ``near`` gives context to every tier: it ranks places of one name (bundled and world
    gazetteer), and a typo is only taken near it.

    Raises
    ------
    PlaceNotFound
        A name matched nothing well enough; the error lists candidates.
    """
    gz = gazetteer or default_gazetteer()
    if geocoder is not None:
        gz = with_geocoder(gz, geocoder)
    ctx: list[tuple[float, float]] = []
    countries: set[str] = set()
    if near:
        p = gz.resolve(near)[0].place
        ctx = [(p.lat, p.lon)]
        countries = {p.country} if p.country else set()
    return [gz.resolve(n, near=ctx, near_countries=countries) for n in names]


def check_trip(
    trip: Trip | str | Path | None = None,
    respect_claims: bool = False,
    alternatives: int = 2,
    gazetteer: Gazetteer | None = None,
    network: RailNetwork | None = None,
    geocoder: object | None = None,
) -> Report:
    """Run the whole pipeline on a trip: resolve, route, and judge every leg and claim.

    Parameters
    ----------
    trip
        A :class:`~routes.model.Trip`, a path to a trip file, or ``None`` for the bundled
        example (the September 2023 journey to the Vostochny Cosmodrome).
    respect_claims
        Make ``via`` and ``not_via`` claims constrain the route instead of only
        being judged against it.
    alternatives
        How many materially different alternatives to find per leg.
    """
    t = trip_from(trip)
    gz = gazetteer or default_gazetteer()
    if geocoder is not None:
        gz = with_geocoder(gz, geocoder)
    net = network or load_network()
    resolved = resolve_trip(t, gz, net)
    places = list(resolved.places)
    windows = event_windows(t, places)
    order = order_events(t, places, net)
    avoid: list[str] = []
    via = []
    if respect_claims:
        for c, cp in zip(t.claims, resolved.claim_places):
            for p in cp if c.kind in ("via", "not_via") else ():
                if c.kind == "not_via":
                    avoid.append(p.id if p.id in net.graph else (p.station or p.id))
                else:
                    via.append(p)
    legs = infer_legs(t, places, net, order=order, k=alternatives, avoid=avoid, via=via)
    leg_verdicts, spans, inferred = judge_timing(t, places, windows, order, legs)
    claims = judge_claims(t, resolved, legs, spans, net, respected=respect_claims)
    warnings = list(resolved.notes) + (doubling_back(t, places, order, legs, net) if t.order == "listed" else [])
    for leg in legs:
        if leg.route is None:
            warnings.append(f"leg {leg.start_name} → {leg.end_name}: {leg.note}")
    return Report(
        trip=t,
        places=tuple(places),
        windows=tuple(windows),
        legs=tuple(leg_verdicts),
        spans=tuple(spans),
        claims=tuple(claims),
        warnings=tuple(warnings),
        order=tuple(order),
        inferred=tuple(inferred),
        resolutions=resolved.resolutions,
        claim_places=resolved.claim_places,
    )


def build_map(
    trip: Trip | str | Path | Report | None = None,
    where_at_time: datetime | None = None,
    network: RailNetwork | None = None,
) -> folium.Map:
    """The interactive folium map of a checked trip (displays in Jupyter)."""
    report = trip if isinstance(trip, Report) else check_trip(trip, network=network)
    net = network or load_network()
    prism = where(report, where_at_time) if where_at_time is not None else None
    return render_map(report, net, prism=prism)


def where(report: Report, at: datetime) -> WhereAt:
    """Where the traveller of a checked trip could have been at ``at``."""
    legs = [lv.leg for lv in report.legs]
    return where_at(report.trip, report.windows, report.order, legs, at)


@lru_cache(maxsize=2)
def _spotter(gz: Gazetteer) -> PlaceSpotter:
    return PlaceSpotter(gz)


def extract(
    text: str,
    dateline: date | None = None,
    tz: str | None = None,
    name: str = "",
    gazetteer: Gazetteer | None = None,
    network: str | None = None,
) -> Draft:
    """Draft a trip from the text of a news report (see :mod:`routes.trips.extract`).

    Places are spotted in every offline tier of the gazetteer (bundled, and the world
    gazetteer when installed). ``network`` names the network whose stations are searched
    too; only the bundled network exists in this version.
    """
    if network not in (None, "bundled"):
        raise RoutesError(
            f"no network named '{network}': this version has only the bundled network (--network bundled)"
        )
    gz = gazetteer or default_gazetteer()
    return draft_trip(text, _spotter(gz), dateline=dateline, tz=tz, name=name)
