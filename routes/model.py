"""Plain, frozen, typed data passed between the pipeline's stages.

Coordinates are always named ``lat`` and ``lon`` (WGS84 degrees). Times are
timezone-aware. Distances are in km, speeds in km/h, durations in hours.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

import numpy as np

from .settings import DEFAULT

__all__ = [
    "Place",
    "Point",
    "TimeSpec",
    "Window",
    "Sighting",
    "Claim",
    "Trip",
    "Route",
    "Leg",
    "LegVerdict",
    "ClaimVerdict",
    "Span",
    "Report",
    "Resolution",
    "Mention",
    "Resolved",
    "EVENT_KINDS",
    "RESOLVED_BY",
    "PLACE_KINDS",
    "CLAIM_KINDS",
    "MODES",
    "ModeTerms",
    "DISTANCE_MEASURES",
    "SPEED_TYPES",
    "CONFIDENCE_LEVELS",
]

EVENT_KINDS = ("arrived", "departed", "passed", "at", "expected")
PLACE_KINDS = (
    "station",
    "junction",
    "town",
    "city",
    "site",
    "bridge",
    "border_crossing",
    "region",
    "point",
    "airport",
)
CLAIM_KINDS = ("distance", "via", "not_via", "order", "speed", "in_region")
MODES = ("rail", "road", "air", "sea", "foot", "unknown")
DISTANCE_MEASURES = ("any", "straight", "rail", "road", "sea", "air")
SPEED_TYPES = ("average", "top")
# how a place was found: a name or alias as written, the same after transliteration and
# folding romanisation variants, a bridge found where a line crosses the named river, a
# typo, the optional world gazetteer, coordinates given in the trip, an online geocoder
RESOLVED_BY = ("exact", "alias", "transliteration", "crossing", "fuzzy", "world", "airport", "coordinates", "online")
# how sure the author of a trip (or ``routes extract``) is of an event or claim; "" = not said
CONFIDENCE_LEVELS = ("low", "medium", "high")


_NETWORK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # as routes network import names them


def _check_latlon(lat: float, lon: float, what: str) -> None:
    if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))):
        raise ValueError(f"{what}: lat and lon must be numbers, got {lat!r}, {lon!r}")
    if not (math.isfinite(lat) and math.isfinite(lon)) or not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise ValueError(f"{what}: lat {lat} / lon {lon} out of range")


def finite(value: float, what: str, lo: float = 0.0, hi: float = math.inf) -> float:
    """``value`` as a float when it is a finite number in [lo, hi]; else a ValueError naming ``what``.

    >>> finite(2, "dwell_hours")
    2.0
    >>> finite(float("nan"), "km")
    Traceback (most recent call last):
    ...
    ValueError: km must be a finite number, got nan
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {type(value).__name__}")
    try:
        f = float(value)
    except OverflowError as err:
        raise ValueError(f"{what} is too large a number") from err
    if not math.isfinite(f):
        raise ValueError(f"{what} must be a finite number, got {f}")
    if not lo <= f <= hi:
        raise ValueError(f"{what} must be between {lo:g} and {hi:g}, got {f:g}")
    return f


def _check_trace(confidence: str, span: tuple[int, int] | None, what: str) -> None:
    if confidence and confidence not in CONFIDENCE_LEVELS:
        raise ValueError(f"{what} confidence {confidence!r}: use one of {', '.join(CONFIDENCE_LEVELS)}")
    if span is not None and not (len(span) == 2 and 0 <= span[0] <= span[1]):
        raise ValueError(f"{what} span {span!r}: give [start, end] character offsets, start <= end")


def check_year(t: date, what: str) -> None:
    """Times outside the years routes can judge are refused, naming the range."""
    lo, hi = DEFAULT.first_year, DEFAULT.last_year
    if not lo <= t.year <= hi:
        raise ValueError(f"{what}: year {t.year} is outside {lo}–{hi}")


def _check_aware(t: datetime, what: str) -> None:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{what}: time {t.isoformat()} has no time zone")


def _check_range(rng: tuple[float, float] | None, what: str, lo: float, hi: float) -> None:
    if rng is None:
        return
    if len(rng) != 2:
        raise ValueError(f"{what} must be a (min, max) pair")
    a, b = (finite(x, what, lo, hi) for x in rng)
    if not a <= b:
        raise ValueError(f"{what} {a:g}–{b:g}: need min <= max")
    if what.startswith("speed") and a <= 0:
        raise ValueError(f"{what} {a:g}–{b:g}: need 0 < min <= max")


@dataclass(frozen=True)
class ModeTerms:
    """What a trip file says of one mode, or of one leg: each ``None`` when not said (the
    default of :class:`~routes.settings.Settings` then applies).

    ``speed_kmh`` is (slowest average, fastest sustained) in km/h; ``detour`` the band of
    route length over great-circle length (road, sea and foot legs); ``allowance_hours`` the
    time a flight spends taxiing, climbing and descending beyond cruise.
    """

    mode: str = ""
    speed_kmh: tuple[float, float] | None = None
    detour: tuple[float, float] | None = None
    allowance_hours: float | None = None

    def __post_init__(self) -> None:
        if self.mode and self.mode not in MODES:
            raise ValueError(f"mode {self.mode!r}: use one of {', '.join(MODES)}")
        _check_range(self.speed_kmh, "speed_kmh", 0.0, DEFAULT.max_speed_kmh)
        _check_range(self.detour, "detour", 1.0, 10.0)
        if self.allowance_hours is not None:
            finite(self.allowance_hours, "allowance_hours", 0.0, DEFAULT.max_hours)


@dataclass(frozen=True)
class Point:
    """A bare location, as given in a trip file by coordinates, with an optional label."""

    lat: float
    lon: float
    name: str = ""

    def __post_init__(self) -> None:
        _check_latlon(self.lat, self.lon, "point")

    @property
    def label(self) -> str:
        return self.name or f"{self.lat:.4f}, {self.lon:.4f}"


def place_label(place: str | Point) -> str:
    """How a place of a trip file reads: its name, or its label or coordinates."""
    return place.label if isinstance(place, Point) else place


@dataclass(frozen=True)
class Place:
    """A named place of the gazetteer, with the provenance of its coordinates."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str = ""
    tz: str = "UTC"
    aliases: tuple[str, ...] = ()
    geonames_id: int | None = None
    station: str | None = None
    source: str = ""
    extra: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if not self.id or not self.name:
            raise ValueError("place: id and name must not be empty")
        if self.kind not in PLACE_KINDS:
            raise ValueError(f"place {self.id}: unknown kind {self.kind!r}")
        _check_latlon(self.lat, self.lon, f"place {self.id}")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def meta(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)


@dataclass(frozen=True)
class Window:
    """An interval of instants, both aware; an instant has ``earliest == latest``."""

    earliest: datetime
    latest: datetime

    def __post_init__(self) -> None:
        _check_aware(self.earliest, "window")
        _check_aware(self.latest, "window")
        if self.latest < self.earliest:
            raise ValueError(f"window ends ({self.latest.isoformat()}) before it starts ({self.earliest.isoformat()})")

    @property
    def is_instant(self) -> bool:
        return self.earliest == self.latest

    def shifted(self, hours_lo: float, hours_hi: float) -> Window:
        return Window(self.earliest + timedelta(hours=hours_lo), self.latest + timedelta(hours=hours_hi))


@dataclass(frozen=True)
class TimeSpec:
    """A time as written in a trip file, before the place's time zone is known.

    Exactly one of: ``instant`` (may be naive: local time at the place), a window
    ``earliest``/``latest`` (each may be naive), or ``day`` (the whole local day).
    """

    instant: datetime | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    day: date | None = None
    text: str = ""

    def __post_init__(self) -> None:
        given = sum(x is not None for x in (self.instant, self.day)) + (
            1 if (self.earliest is not None or self.latest is not None) else 0
        )
        if given != 1:
            raise ValueError("time: give exactly one of an instant, a window or a date")
        if (self.earliest is None) != (self.latest is None):
            raise ValueError("time window: give both earliest and latest")
        for t in (self.instant, self.earliest, self.latest, self.day):
            if t is not None:
                check_year(t, "time")

    def to_window(self, tz: tzinfo) -> Window:
        """Resolve against the local time zone of the place."""

        def local(t: datetime) -> datetime:
            return t if t.tzinfo is not None else t.replace(tzinfo=tz)

        if self.instant is not None:
            t = local(self.instant)
            return Window(t, t)
        if self.day is not None:
            start = datetime(self.day.year, self.day.month, self.day.day, tzinfo=tz)
            return Window(start, start + timedelta(days=1) - timedelta(seconds=1))
        assert self.earliest is not None and self.latest is not None
        return Window(local(self.earliest), local(self.latest))


@dataclass(frozen=True)
class Sighting:
    """One event of a trip: a place (name or point), perhaps a time, a kind and a source.

    ``confidence``, ``quote`` and ``span`` say how sure the trip's author is and which words
    of a report the event came from (``span``: character offsets into that report); they are
    shown to the analyst and never change a verdict.
    """

    place: str | Point
    time: TimeSpec | None = None
    kind: str = "at"
    source: str = ""
    note: str = ""
    dwell_hours: float = 0.0
    confidence: str = ""
    country: str = ""  # narrows the search for the place's name: an ISO code or a country name
    quote: str = ""
    span: tuple[int, int] | None = None
    mode: str = ""  # how the traveller reached this event; "" = the trip's mode
    leg: ModeTerms = field(default_factory=ModeTerms)  # speeds and detour of the leg reaching this event
    transfer_hours: float | None = None  # a change of mode here takes this long (else the table's)

    def __post_init__(self) -> None:
        _check_trace(self.confidence, self.span, "event")
        if self.mode and self.mode not in MODES:
            raise ValueError(f"event mode {self.mode!r}: use one of {', '.join(MODES)}")
        if self.transfer_hours is not None:
            finite(self.transfer_hours, "event transfer_hours", 0.0, DEFAULT.max_hours)
        if isinstance(self.place, str) and not self.place.strip():
            raise ValueError("event: place must not be empty")
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"event kind {self.kind!r}: use one of {', '.join(EVENT_KINDS)}")
        finite(self.dwell_hours, "event dwell_hours", 0.0, DEFAULT.max_hours)

    @property
    def label(self) -> str:
        return place_label(self.place)


@dataclass(frozen=True)
class Claim:
    """A checkable statement from a report.

    ``kind`` is one of :data:`CLAIM_KINDS`; ``places`` holds the place names it
    mentions (in the order the kind gives them); ``value`` a number (km, km/h);
    ``tolerance_pct`` the allowed relative error for a number. ``confidence``, ``quote`` and
    ``span`` trace the claim to a report, as on :class:`Sighting`; they never change a verdict.
    """

    kind: str
    places: tuple[str | Point, ...] = ()
    value: float | None = None
    tolerance_pct: float | None = None
    qualifier: str = ""
    region: str = ""
    source: str = ""
    text: str = ""
    confidence: str = ""
    quote: str = ""
    span: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        _check_trace(self.confidence, self.span, "claim")
        if self.kind not in CLAIM_KINDS:
            raise ValueError(f"claim kind {self.kind!r}: use one of {', '.join(CLAIM_KINDS)}")
        if self.value is not None:
            finite(self.value, f"{self.kind} claim value", 0.0, DEFAULT.max_claim_value)
        if self.tolerance_pct is not None:
            finite(self.tolerance_pct, "tolerance_pct", 0.0, 1000.0)
        allowed = {"distance": DISTANCE_MEASURES, "speed": SPEED_TYPES}.get(self.kind)
        if allowed is not None and not self.qualifier:
            object.__setattr__(self, "qualifier", allowed[0])  # the default reading
        if allowed is None and self.qualifier:
            raise ValueError(f"a {self.kind} claim takes no measure or type, got {self.qualifier!r}")
        if allowed is not None and self.qualifier not in allowed:
            what = "measure" if self.kind == "distance" else "type"
            raise ValueError(f"{self.kind} {what} {self.qualifier!r}: use one of {', '.join(allowed)}")

    def describe(self) -> str:
        """The claim in words: its own ``text`` if it has one.

        >>> Claim("distance", ("Vostochny", "Vladivostok"), 1000).describe()
        'Vostochny is 1000 km from Vladivostok'
        """
        if self.text:
            return self.text
        names = self.labels
        if self.kind == "distance":
            return f"{names[0]} is {self.value:g} km from {names[1]}"
        if self.kind in ("via", "not_via"):
            return f"{'via' if self.kind == 'via' else 'not via'} {', '.join(names)}"
        if self.kind == "order":
            return " before ".join(names)
        if self.kind == "speed":
            stretch = f" from {names[0]} to {names[1]}" if len(names) == 2 else ""
            return f"{self.qualifier} speed {self.value:g} km/h{stretch}"
        return f"{names[0]} is in {self.region}"

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(place_label(p) for p in self.places)


@dataclass(frozen=True)
class Trip:
    """A reported journey: ordered events and claims about it."""

    title: str
    events: tuple[Sighting, ...]
    claims: tuple[Claim, ...] = ()
    traveller: str = ""
    mode: str = "rail"
    speed_min: float | None = None  # the trip's own mode; None = that mode's default (Settings)
    speed_max: float | None = None
    order: Literal["listed", "route"] = "listed"
    gauge_change_hours: float | None = None  # the rail-rail transfer; None = Settings.gauge_change_hours
    source_path: str = ""
    country: str = ""  # narrows the search for every event's name (an event's own country wins)
    modes: tuple[ModeTerms, ...] = ()  # per-mode speeds, detours and allowances for this trip
    transfers: tuple[tuple[str, str, float], ...] = ()  # (mode, mode, hours) for changes between them
    network: str = ""  # the network to route on, by name ("" = the one the caller gives, else bundled)

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("trip: title must not be empty")
        if (self.speed_min is None) != (self.speed_max is None):
            raise ValueError("trip speed range: give both min and max")
        if self.speed_min is not None and self.speed_max is not None:
            finite(self.speed_min, "speed_kmh.min", 0.0, DEFAULT.max_speed_kmh)
            finite(self.speed_max, "speed_kmh.max", 0.0, DEFAULT.max_speed_kmh)
            if not (0 < self.speed_min <= self.speed_max):
                raise ValueError(f"trip speed range {self.speed_min}–{self.speed_max} km/h: need 0 < min <= max")
        if self.gauge_change_hours is not None:
            finite(self.gauge_change_hours, "gauge_change_hours", 0.0, DEFAULT.max_hours)
        if self.mode not in MODES:
            raise ValueError(f"mode {self.mode!r}: use one of {', '.join(MODES)}")
        seen = [t.mode for t in self.modes]
        if any(not m for m in seen) or len(set(seen)) != len(seen):
            raise ValueError("trip modes: name each mode once")
        for a, b, h in self.transfers:
            if a not in MODES or b not in MODES:
                raise ValueError(f"transfer {a}-{b}: use modes from {', '.join(MODES)}")
            finite(h, f"transfer_hours {a}-{b}", 0.0, DEFAULT.max_hours)
        if self.order not in ("listed", "route"):
            raise ValueError("trip order: use 'listed' or 'route'")
        if self.network and not _NETWORK_NAME.match(self.network):
            raise ValueError(f"trip network {self.network!r}: a network name has letters, digits, '-' and '_'")

    def mode_of(self, i: int) -> str:
        """How the traveller reached event ``i``: its own ``mode``, else the trip's."""
        return self.events[i].mode or self.mode


@dataclass(frozen=True)
class Route:
    """A path on the rail network between two snapped points.

    ``nodes`` are the ids of the stations passed, ``via`` the main ones among them;
    ``edges`` are ``(from id, to id, edge index)`` in the direction of travel;
    ``reversed_at`` the stations where the train reverses (see ``reversals``).

    >>> r = Route(("a", "b"), 1.5, ((50.0, 120.0), (50.0, 120.02)), cum_km=(0.0, 1.5))
    >>> r.reversals, r.geometry["coordinates"]
    (0, [[120.0, 50.0], [120.02, 50.0]])
    """

    nodes: tuple[str, ...]
    km: float
    # (n, 2) array of lat, lon: a long route has thousands of vertices, and as Python
    # tuples a 2,000-event trip's routes took half a gigabyte (24 bytes a vertex as arrays)
    coords: np.ndarray = field(repr=False, compare=False)
    lines: tuple[str, ...] = ()
    gauge_breaks: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    edges: tuple[tuple[str, str, int], ...] = field(default=(), repr=False)
    cum_km: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False, compare=False)  # km at each coord
    reversed_at: tuple[str, ...] = ()
    mode: str = "rail"
    km_max: float | None = None  # an estimate's upper end (road, sea): ``km`` is then its lower end
    estimate: str = ""  # how an estimated length was made, in words ("" = measured on a network)

    def __post_init__(self) -> None:
        if not self.km >= 0:
            raise ValueError(f"route length must be zero or more km, got {self.km!r}")
        if self.km_max is not None and not self.km_max >= self.km:
            raise ValueError(f"route length band {self.km}–{self.km_max} km: need min <= max")
        coords = np.array(self.coords, dtype=float).reshape(-1, 2)
        cum = np.array(self.cum_km, dtype=float).reshape(-1)
        if len(cum) and len(cum) != len(coords):
            raise ValueError("route: one km value per coordinate")
        coords.flags.writeable = cum.flags.writeable = False  # frozen, like the rest of the route
        object.__setattr__(self, "coords", coords)
        object.__setattr__(self, "cum_km", cum)

    @property
    def km_range(self) -> tuple[float, float]:
        """(least, most) km: the same twice for a measured route, a band for an estimate."""
        return (self.km, self.km if self.km_max is None else self.km_max)

    @property
    def estimated(self) -> bool:
        return self.km_max is not None or bool(self.estimate)

    @property
    def reversals(self) -> int:
        """How many times the train reverses on the way."""
        return len(self.reversed_at)

    @property
    def geometry(self) -> dict[str, Any]:
        """The route as a GeoJSON LineString (x = lon, y = lat)."""
        return {"type": "LineString", "coordinates": self.coords[:, ::-1].tolist()}

    def cut(self, lo: float, hi: float) -> tuple[tuple[float, float], ...]:
        """The (lat, lon) coordinates of the route between ``lo`` and ``hi`` km from its start.

        >>> r = Route(("a", "b"), 2.0, ((50.0, 120.0), (50.0, 120.01), (50.0, 120.02)), cum_km=(0.0, 1.0, 2.0))
        >>> r.cut(0.5, 1.5)
        ((50.0, 120.005), (50.0, 120.01), (50.0, 120.015))
        """
        lo, hi = max(0.0, lo), min(self.km, hi)
        cum, coords = self.cum_km, self.coords
        if not len(coords):
            return ()
        if len(cum) < 2 or len(coords) < 2:
            return (tuple(coords[0].tolist()),)
        lo, hi = min(max(lo, float(cum[0])), float(cum[-1])), max(min(hi, float(cum[-1])), float(cum[0]))
        inside = coords[(cum > lo) & (cum < hi)]
        ends = [(float(np.interp(k, cum, coords[:, 0])), float(np.interp(k, cum, coords[:, 1]))) for k in (lo, hi)]
        out: list[tuple[float, float]] = []
        for p in (ends[0], *map(tuple, inside.tolist()), ends[1]):
            if not out or out[-1] != p:
                out.append(p)
        return tuple(out)


@dataclass(frozen=True)
class Leg:
    """The stretch of a trip between two consecutive located events."""

    index: int
    start: int
    end: int
    start_name: str
    end_name: str
    straight_km: float
    route: Route | None
    alternatives: tuple[Route, ...] = ()
    note: str = ""
    snap_km: tuple[float, float] = (0.0, 0.0)  # how far each end lies from the track (or airport) it used
    mode: str = "rail"

    @property
    def rail_km(self) -> float | None:
        """The rail route's km (None for a leg of another mode, or with no route)."""
        return None if self.route is None or self.route.mode != "rail" else self.route.km

    @property
    def km(self) -> tuple[float, float] | None:
        """(least, most) km of the route, whatever the mode; None with no route."""
        return None if self.route is None else self.route.km_range


@dataclass(frozen=True)
class Span:
    """The stretch between two consecutive timed events; timing is judged per span."""

    start: int
    end: int
    legs: tuple[int, ...]
    rail_km: float | None
    hours_available: tuple[float, float] | None
    hours_needed: tuple[float, float] | None
    implied_kmh: tuple[float | None, float | None] | None
    verdict: str
    why: str
    straight_line_hours: float | None = None  # the lower bound when a leg has no rail route
    km: tuple[float, float] | None = None  # (least, most) km over every leg, any mode; None if a leg has no route
    modes: tuple[str, ...] = ()  # the modes of its legs, in order
    fastest_kmh: float | None = None  # the highest top speed among its legs


@dataclass(frozen=True)
class LegVerdict:
    leg: Leg
    hours_available: tuple[float, float] | None
    hours_needed: tuple[float, float] | None
    implied_kmh: tuple[float | None, float | None] | None
    verdict: str
    why: str


@dataclass(frozen=True)
class ClaimVerdict:
    claim: Claim
    verdict: str
    why: str
    numbers: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Resolution:
    """How a place was found for a name: one of :data:`RESOLVED_BY`, a score (0–1), and
    the detail a reader checks ("2 edits from 'Vladivostok'", "GeoNames 1529102")."""

    method: str
    score: float
    detail: str = ""

    def __post_init__(self) -> None:
        if self.method not in RESOLVED_BY:
            raise ValueError(f"resolution method {self.method!r}: use one of {', '.join(RESOLVED_BY)}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"resolution score {self.score} is not between 0 and 1")


@dataclass(frozen=True)
class Report:
    """Everything the pipeline found for one trip; the renderers draw from this."""

    trip: Trip
    places: tuple[Place, ...]
    windows: tuple[Window | None, ...]
    legs: tuple[LegVerdict, ...]
    spans: tuple[Span, ...]
    claims: tuple[ClaimVerdict, ...]
    warnings: tuple[str, ...] = ()
    order: tuple[int, ...] = ()
    inferred: tuple[Window | None, ...] = ()  # given windows, plus those inferred for untimed events
    resolutions: tuple[Resolution, ...] = ()  # how each event's place was found
    claim_places: tuple[tuple[Place, ...], ...] = ()  # the places each claim names, resolved


MENTION_KINDS = ("place", "region", "country", "river", "bridge")


@dataclass(frozen=True)
class Mention:
    """A place named in a text: where (``start``/``end`` character offsets), what kind of
    name it is, and the name to look up (the words themselves, or for a bridge found by
    its river, ``"<River> railway bridge"``). ``prefer`` is the kind of place the words
    around it point to (``"the station of X"``), or ``None``."""

    start: int
    end: int
    text: str
    kind: str
    name: str
    prefer: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"mention {self.text!r}: bad offsets {self.start}–{self.end}")
        if self.kind not in MENTION_KINDS:
            raise ValueError(f"mention kind {self.kind!r}: use one of {', '.join(MENTION_KINDS)}")


@dataclass(frozen=True)
class Resolved:
    """The place a mention names, how it matched, and the other places it could name
    (``rivals``: distinct places that fit about as well)."""

    place: Place
    how: str
    score: float
    name: str
    rivals: tuple[Place, ...] = ()
    method: str = ""  # one of RESOLVED_BY, as the gazetteer says
