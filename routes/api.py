"""The few functions a report-writing script calls.

>>> from routes import check_trip
>>> report = check_trip()            # the bundled September 2023 journey
>>> [leg.verdict for leg in report.legs]   # doctest: +SKIP
['feasible', 'feasible', 'feasible']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OptionError
from .geo import geodesic_km
from .model import Place, Report, Route, Trip
from .pipeline.claims import judge_claims
from .pipeline.infer import claim_rail_km, doubling_back, infer_legs, order_events
from .pipeline.resolve import event_windows, resolve_trip
from .pipeline.timing import judge_timing
from .pipeline.where import WhereAt, where_at
from .places.index import Gazetteer, Match
from .places.layer import LAYER_FILE
from .places.resolvers import default_gazetteer, network_gazetteer, with_geocoder
from .places.timezones import tz_for
from .present.tiles import TileSource, tile_source
from .routing.rail import BUNDLED, RailNetwork, RailRouter, list_networks, open_network, remove_network
from .settings import DEFAULT, Settings
from .trips import example_trip_path, load_trip

if TYPE_CHECKING:  # folium, the report reader and the importer are imported only when used
    import folium

    from .pipeline.osm_import import Imported, import_network
    from .places.spot import PlaceSpotter
    from .trips.extract import Draft

__all__ = [
    "open_network",
    "import_network",
    "list_networks",
    "remove_network",
    "gazetteer_for",
    "Imported",
    "load_network",
    "resolve",
    "check_trip",
    "build_map",
    "where",
    "trip_from",
    "shortest_route",
    "alternative_routes",
    "plan_route",
    "RoutePlan",
    "extract",
]

log = logging.getLogger(__name__)

NetworkLike = RailNetwork | str | os.PathLike[str] | None
PlaceLike = Place | str | tuple[float, float]


def load_network(name_or_path: str | os.PathLike[str] | None = None) -> RailNetwork:
    """The network by name or path (default: the bundled one); see :func:`open_network`."""
    return open_network(name_or_path)


def _network(network: NetworkLike) -> RailNetwork:
    return network if isinstance(network, RailNetwork) else open_network(network)


def gazetteer_for(network: NetworkLike = None) -> Gazetteer:
    """The gazetteer for routing on ``network``: its own stations first (an imported
    network's gazetteer layer), then the bundled data, then the world gazetteer."""
    if network is None or (isinstance(network, str) and network == BUNDLED):
        return default_gazetteer()
    net = _network(network)
    if net.path is None or not (net.path / LAYER_FILE).is_file():
        return default_gazetteer()
    return network_gazetteer(net.path, net.name)


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
    network: NetworkLike = None,
) -> list[list[Match]]:
    """Matches for each name, best first; ``near`` is a place name giving context.

    ``near`` gives context to every tier: it ranks places of one name (bundled and world
    gazetteer), and a typo is only taken near it. ``network`` (a name, path or network)
    puts its own stations first.

    Raises
    ------
    PlaceNotFound
        A name matched nothing well enough; the error lists candidates.
    """
    gz = gazetteer or gazetteer_for(network)
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
    network: NetworkLike = None,
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
    network
        A network, or the name or path of one (default: the network the trip file names
        with ``network:``, else the bundled network). Names are looked for in the
        network's own stations first.
    """
    t = trip_from(trip)
    net = _network(network if network is not None else (t.network or None))
    gz = gazetteer or gazetteer_for(net)
    if geocoder is not None:
        gz = with_geocoder(gz, geocoder)
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
                    avoid.append(p.id if p.id in net else (p.station or p.id))
                else:
                    via.append(p)
    legs = infer_legs(t, places, net, order=order, k=alternatives, avoid=avoid, via=via, airports=resolved.airports)
    leg_verdicts, spans, inferred = judge_timing(t, places, windows, order, legs)
    claim_km = claim_rail_km(t, resolved.claim_places, net)
    claims = judge_claims(t, resolved, legs, spans, net, claim_km, respected=respect_claims)
    warnings = list(resolved.notes) + (doubling_back(t, places, order, legs, net) if t.order == "listed" else [])
    for leg in legs:
        if leg.route is None or (leg.mode == "air" and leg.note):
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
    network: NetworkLike = None,
    *,
    self_contained: bool = True,
    tiles: str | TileSource | None = "osm",
    leaflet: str | None = None,
) -> folium.Map:
    """The interactive folium map of a checked trip (displays in Jupyter).

    Parameters
    ----------
    self_contained
        Leaflet inlined into the page (the default): the map, its ``_repr_html_`` in
        Jupyter and its saved HTML load nothing but tiles. ``False`` loads Leaflet from
        ``leaflet`` (a folder URL holding leaflet.js and leaflet.css), required then.
    tiles
        ``"osm"`` (OpenStreetMap's tile server), ``"none"`` or ``None`` (no tiles: the
        bundled Natural Earth outlines; the page loads nothing), a URL template of your
        own tile server, or a :class:`~routes.present.tiles.TileSource` with its attribution.
    """
    from .present.folium import render_map  # deferred: folium costs 0.3 s to import, and only maps need it

    net = _network(network)
    report = trip if isinstance(trip, Report) else check_trip(trip, network=net)
    prism = where(report, where_at_time) if where_at_time is not None else None
    source = tile_source(tiles) if isinstance(tiles, str) else tiles
    if not self_contained and leaflet is None:
        raise OptionError("self_contained=False needs leaflet=URL, the folder that holds leaflet.js and leaflet.css")
    return render_map(report, net, prism=prism, tiles=source, leaflet=None if self_contained else leaflet)


def where(report: Report, at: datetime) -> WhereAt:
    """Where the traveller of a checked trip could have been at ``at``."""
    legs = [lv.leg for lv in report.legs]
    return where_at(report.trip, report.windows, report.order, legs, at)


@lru_cache(maxsize=2)
def _spotter(gz: Gazetteer) -> PlaceSpotter:
    from .places.spot import PlaceSpotter  # deferred with the reader below

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
    gazetteer when installed). ``network`` names a network whose own stations are spotted
    too, and searched first.
    """
    gz = gazetteer or gazetteer_for(network)
    # deferred: the report reader (dateparser and its rules) costs 70 ms that check,
    # route and the map never need
    from .trips.extract import draft_trip

    draft = draft_trip(text, _spotter(gz), dateline=dateline, tz=tz, name=name)
    if network not in (None, BUNDLED) and draft.trip is not None:
        # the draft names the network its stations were found in, so check routes on it
        net_name = network if isinstance(network, str) and "/" not in network else ""
        if net_name:
            draft = replace(draft, trip=replace(draft.trip, network=net_name))
    return draft


def _place(x: PlaceLike, gz: Gazetteer) -> Place:
    """A place from a name (best gazetteer match, stations preferred), a (lat, lon) pair or a Place."""
    if isinstance(x, Place):
        return x
    if isinstance(x, str):
        return gz.resolve(x, prefer="station")[0].place
    lat, lon = float(x[0]), float(x[1])
    return Place(
        id=f"point:{lat:.6f},{lon:.6f}",
        name=f"{lat:.4f}, {lon:.4f}",
        kind="point",
        lat=lat,
        lon=lon,
        tz=tz_for(lat, lon),
        source="given as coordinates",
    )


@dataclass(frozen=True)
class RoutePlan:
    """A route between two places with its alternatives, and how far each place lies from the track."""

    start: Place
    end: Place
    route: Route = field(repr=False)
    alternatives: tuple[Route, ...] = field(default=(), repr=False)
    snap_km: tuple[float, float] = (0.0, 0.0)
    network: str = "bundled"
    profile: str = "main"
    turn_rules: bool = True

    @property
    def straight_km(self) -> float:
        return geodesic_km(self.start.lat, self.start.lon, self.end.lat, self.end.lon)


def plan_route(
    network: NetworkLike,
    a: PlaceLike,
    b: PlaceLike,
    *,
    k: int = 0,
    profile: str = "main",
    turn_rules: bool = True,
    gazetteer: Gazetteer | None = None,
    settings: Settings = DEFAULT,
) -> RoutePlan:
    """The shortest route from ``a`` to ``b`` and up to ``k`` alternatives.

    ``a`` and ``b`` are place names (resolved in the gazetteer, stations preferred),
    ``(lat, lon)`` pairs or :class:`~routes.model.Place` objects.

    Raises
    ------
    PlaceNotFound
        A name matched nothing.
    NoRoute
        A place is more than ``settings.max_snap_km`` from the track the profile allows,
        or no track joins them.
    """
    net = _network(network)
    gz = gazetteer or gazetteer_for(net)
    pa, pb = _place(a, gz), _place(b, gz)
    router = RailRouter(net, profile=profile, turn_rules=turn_rules, settings=settings)
    sa, sb = router.positions(pa, pb)
    r = router.shortest(pa, pb)
    alts = tuple(router.alternatives(pa, pb, k)) if k > 0 else ()
    return RoutePlan(pa, pb, r, alts, (sa.snap_km, sb.snap_km), net.name, profile, turn_rules)


def shortest_route(
    net: NetworkLike,
    a: PlaceLike,
    b: PlaceLike,
    *,
    profile: str = "main",
    turn_rules: bool = True,
    gazetteer: Gazetteer | None = None,
    settings: Settings = DEFAULT,
) -> Route:
    """The shortest rail route from ``a`` to ``b`` (names, ``(lat, lon)`` pairs or Places).

    ``profile`` is ``main`` (no yards or spurs), ``all`` or ``electric``; with
    ``turn_rules=False`` junction geometry is ignored, as routers and published distances
    that do not model it do. The route has ``.km``, ``.geometry`` (GeoJSON), ``.via`` and
    ``.reversals``.

    >>> r = shortest_route(None, "Khasan", "Ussuriysk")   # doctest: +SKIP
    >>> round(r.km), r.reversals                            # doctest: +SKIP
    (238, 0)
    """
    return plan_route(net, a, b, profile=profile, turn_rules=turn_rules, gazetteer=gazetteer, settings=settings).route


def alternative_routes(
    net: NetworkLike,
    a: PlaceLike,
    b: PlaceLike,
    k: int = 2,
    *,
    profile: str = "main",
    turn_rules: bool = True,
    gazetteer: Gazetteer | None = None,
    settings: Settings = DEFAULT,
) -> list[Route]:
    """Up to ``k`` materially different routes other than the shortest (maybe none)."""
    if k <= 0:
        return []
    plan = plan_route(net, a, b, k=k, profile=profile, turn_rules=turn_rules, gazetteer=gazetteer, settings=settings)
    return list(plan.alternatives)


def __getattr__(name: str) -> Any:
    """``import_network`` and ``Imported``, from the OpenStreetMap importer, imported when
    first asked for: the importer (and the records it makes: 15 ms of import) serves only
    ``routes network import``."""
    if name in ("import_network", "Imported"):
        from .pipeline import osm_import

        return getattr(osm_import, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
