"""Read trip files (YAML, or JSON) into :class:`~routes.model.Trip`, with clear errors.

The format is described in the README ("Trip file"). Every problem raises
:class:`~routes.errors.TripError` naming the file, the event and the bad value.
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import TripError
from ..model import (
    CLAIM_KINDS,
    CONFIDENCE_LEVELS,
    DISTANCE_MEASURES,
    EVENT_KINDS,
    MODES,
    SPEED_TYPES,
    Claim,
    ModeTerms,
    Point,
    Sighting,
    TimeSpec,
    Trip,
    finite,
)
from ..routing.modes import TRAVELLED, VEHICLES, vehicle_speed
from ..settings import DEFAULT, Settings
from .safe import load_data, quote, read_at_most

__all__ = ["SCHEMA", "load_trip", "parse_trip", "parse_text", "parse_time", "example_trip_path"]

log = logging.getLogger(__name__)

# The trip file's keys and what each holds. The reader takes its key sets from here and
# the fuzz tests generate trips from it, so the two cannot drift apart. A tuple is a
# closed vocabulary; a mapping is a nested mapping; a string names a kind of value.
SCHEMA: dict[str, dict[str, Any]] = {
    "trip": {
        "title": "text",
        "traveller": "text",
        "mode": MODES,
        "speed_kmh": "speed",
        "events": "events",
        "claims": "claims",
        "order": ("listed", "route"),
        "gauge_change_hours": "hours",
        "modes": "modes",
        "transfer_hours": "transfers",
        "notes": "text",
        "sources": "text",
        "country": "country",
        "network": "network",
    },
    "event": {
        "place": "place",
        "time": "time",
        "kind": EVENT_KINDS,
        "source": "text",
        "note": "text",
        "dwell_hours": "hours",
        "country": "country",
        "confidence": CONFIDENCE_LEVELS,
        "quote": "text",
        "span": "span",
        "mode": MODES,
        "speed_kmh": "speed",
        "detour": "band",
        "allowance_hours": "hours",
        "transfer_hours": "hours",
    },
    # what ``modes:`` says of one mode (the same keys an event says of its own leg)
    "mode_terms": {"speed_kmh": "speed", "detour": "band", "allowance_hours": "hours"},
    "claim": {
        "distance": {
            "from": "place",
            "to": "place",
            "km": "number",
            "measure": DISTANCE_MEASURES,
            "tolerance_pct": "number",
        },
        "via": "places",
        "not_via": "places",
        "order": "places",
        "speed": {"kmh": "number", "type": SPEED_TYPES, "from": "place", "to": "place", "tolerance_pct": "number"},
        "in_region": {"place": "place", "region": "place"},
    },
    "claim_extra": {"source": "text", "text": "text", "confidence": CONFIDENCE_LEVELS, "quote": "text", "span": "span"},
}
_TRIP_KEYS = set(SCHEMA["trip"])
_EVENT_KEYS = set(SCHEMA["event"])
# where a field came from (``routes extract`` writes them): shown, never judged
_TRACE_KEYS = {"confidence", "quote", "span"}


def example_trip_path() -> Path:
    """The bundled example trip: the September 2023 journey to Vostochny."""
    return Path(str(resources.files("routes._data").joinpath("trips", "vostochny-2023.yaml")))


def load_trip(path: str | Path, settings: Settings = DEFAULT) -> Trip:
    """Read and validate a trip file.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml`` or ``.json`` file, or ``-`` for standard input (YAML, which
        also reads JSON).
    settings
        The limits on input (size, events, nesting, …) to apply.

    Raises
    ------
    TripError
        The file is missing, too big, not YAML/JSON, or not a valid trip.
    """
    p = Path(path)
    limit = settings.max_input_bytes
    if str(path) == "-":
        p = Path("<stdin>")
        try:
            stream = getattr(sys.stdin, "buffer", None)
            raw = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8")
        except OSError as err:
            raise TripError(f"cannot read the trip from standard input: {err.strerror or err}") from err
    else:
        raw = read_at_most(p, limit)
    if len(raw) > limit:
        raise TripError(f"{p}: the file is larger than {limit:,} bytes, the limit for a trip file (max_input_bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise TripError(f"{p}: not UTF-8 text (byte {err.start}); save the trip file as UTF-8") from err
    return parse_text(text, json_=p.suffix.lower() == ".json", source_path=str(p), settings=settings)


def parse_text(text: str, json_: bool = False, source_path: str = "<trip>", settings: Settings = DEFAULT) -> Trip:
    """Parse a trip from YAML (or JSON) text, within the limits of ``settings``."""
    data = load_data(text, json_, source_path, settings)
    return parse_trip(data, source_path=source_path, settings=settings)


def parse_trip(data: Any, source_path: str = "<trip>", settings: Settings = DEFAULT) -> Trip:
    """Validate a parsed trip mapping and build the :class:`Trip`."""
    where = source_path
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "empty"
        raise TripError(f"{where}: a trip must be a mapping with 'title' and 'events', got {kind}")
    unknown = sorted(set(map(str, data)) - _TRIP_KEYS)
    if unknown:
        raise TripError(f"{where}: unknown key {quote(unknown[0])} (known: {', '.join(sorted(_TRIP_KEYS))})")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise TripError(f"{where}: the trip needs a 'title' (a line of text)")
    events_raw = data.get("events")
    if not isinstance(events_raw, list):
        raise TripError(f"{where}: 'events' must be a list of events with a 'place'")
    if len(events_raw) > settings.max_events:
        raise TripError(f"{where}: {len(events_raw):,} events; the limit is {settings.max_events:,} (max_events)")
    mode = "rail" if data.get("mode") is None else _mode(data.get("mode"), f"{where}: mode")
    events = tuple(_parse_event(e, i, where, settings, mode) for i, e in enumerate(events_raw, start=1))
    if len(events) < 2:
        raise TripError(f"{where}: a trip needs at least two located events, found {len(events)}")
    claims_raw = data.get("claims") or []
    if not isinstance(claims_raw, list):
        raise TripError(f"{where}: 'claims' must be a list")
    if len(claims_raw) > settings.max_claims:
        raise TripError(f"{where}: {len(claims_raw):,} claims; the limit is {settings.max_claims:,} (max_claims)")
    claims = tuple(_parse_claim(c, i, where, settings) for i, c in enumerate(claims_raw, start=1))
    speed = _parse_speed(data.get("speed_kmh"), f"{where}: speed_kmh", mode, settings)
    order = data.get("order", "listed")
    if order not in ("listed", "route"):
        raise TripError(f"{where}: order must be 'listed' or 'route', got {quote(order)}")
    gch = data.get("gauge_change_hours")
    gch = None if gch is None else _number(gch, f"{where}: gauge_change_hours", 0.0, DEFAULT.max_hours)
    transfers = _parse_transfers(data.get("transfer_hours"), f"{where}: transfer_hours")
    rail_rail = [h for a, b, h in transfers if a == b == "rail"]
    if gch is not None and rail_rail and rail_rail[0] != gch:
        raise TripError(
            f"{where}: gauge_change_hours ({gch:g}) and transfer_hours rail-rail ({rail_rail[0]:g}) are the same "
            "allowance (a bogie exchange); give one"
        )
    modes = _parse_modes(data.get("modes"), f"{where}: modes", settings)
    try:
        return Trip(
            title=title.strip(),
            events=events,
            claims=claims,
            traveller=_text(data.get("traveller"), f"{where}: traveller"),
            mode=mode,
            speed_min=None if speed is None else speed[0],
            speed_max=None if speed is None else speed[1],
            order=order,
            gauge_change_hours=gch,
            source_path=source_path,
            country=_country(data.get("country"), f"{where}: country"),
            modes=modes,
            transfers=transfers,
            network=_network_name(data.get("network"), f"{where}: network"),
        )
    except ValueError as err:
        raise TripError(f"{where}: {err}") from err


_NETWORK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _network_name(value: Any, what: str) -> str:
    """A network's name (letters, digits, '-' and '_'), as ``routes network import`` gives them."""
    if value is None:
        return ""
    if not isinstance(value, str) or not _NETWORK_NAME.match(value):
        raise TripError(f"{what} must be a network name (letters, digits, '-' and '_'), got {quote(value)}")
    return value


def _number(value: Any, what: str, lo: float = 0.0, hi: float = float("inf")) -> float:
    """A finite number in [lo, hi], or a TripError naming the field (never NaN, never inf)."""
    try:
        return finite(value, what, lo, hi)
    except ValueError as err:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TripError(f"{what} must be a number, got {quote(value)}") from err
        raise TripError(str(err)) from err


def _mode(raw: Any, what: str) -> str:
    if not isinstance(raw, str) or raw not in MODES:
        raise TripError(f"{what} {quote(raw)}: use one of {', '.join(MODES)}")
    return raw


def _parse_speed(raw: Any, what: str, mode: str | None, settings: Settings) -> tuple[float, float] | None:
    """A speed range: ``{min, max}`` in km/h, a top speed (min = half of it), or the name of
    a vehicle of the leg's mode (``armoured_train``); None when not given."""
    if raw is None:
        return None
    if isinstance(raw, str):
        kind = VEHICLES.get(raw.strip())
        if kind is None:
            raise TripError(
                f"{what}: {quote(raw)} is not a vehicle; use {{min: N, max: N}} or one of {', '.join(VEHICLES)}"
            )
        if mode is not None and kind[0] != mode:
            fits = [v for v, k in VEHICLES.items() if k[0] == mode]
            use = f" (for {mode}: {', '.join(fits)})" if fits else ""
            raise TripError(f"{what}: {raw.strip()} is a vehicle for {kind[0]} legs, not {mode}{use}")
        return vehicle_speed(raw.strip(), settings)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        top = _number(raw, what, 0.0, DEFAULT.max_speed_kmh)
        if top <= 0:
            raise TripError(f"{what} must be more than 0 km/h")
        return top * 0.5, top
    if not isinstance(raw, dict) or not {"min", "max"} <= set(raw):
        raise TripError(f"{what} must be {{min: N, max: N}} in km/h, or a vehicle ({', '.join(VEHICLES)})")
    lo = _number(raw["min"], f"{what}.min", 0.0, DEFAULT.max_speed_kmh)
    hi = _number(raw["max"], f"{what}.max", 0.0, DEFAULT.max_speed_kmh)
    if not 0 < lo <= hi:
        raise TripError(f"{what} needs 0 < min <= max, got {lo:g}–{hi:g}")
    return lo, hi


def _parse_band(raw: Any, what: str) -> tuple[float, float] | None:
    """A detour band ``{min, max}``: route length over great-circle length, 1 to 10."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(map(str, raw)) != {"min", "max"}:
        raise TripError(f"{what} must be {{min: N, max: N}}, route length over straight-line length (e.g. 1.2–1.6)")
    lo = _number(raw["min"], f"{what}.min", 1.0, 10.0)
    hi = _number(raw["max"], f"{what}.max", 1.0, 10.0)
    if lo > hi:
        raise TripError(f"{what} needs min <= max, got {lo:g}–{hi:g}")
    return lo, hi


def _parse_terms(raw: dict, what: str, mode: str | None, settings: Settings, keys: set[str]) -> ModeTerms:
    """``speed_kmh``, ``detour`` and ``allowance_hours`` of a mode or a leg."""
    detour = _parse_band(raw.get("detour"), f"{what}: detour") if "detour" in keys else None
    if detour is not None and mode not in ("road", "sea", "foot", None):
        raise TripError(f"{what}: detour applies to road, sea and foot legs, not {mode}")
    allowance = raw.get("allowance_hours") if "allowance_hours" in keys else None
    if allowance is not None:
        allowance = _number(allowance, f"{what}: allowance_hours", 0.0, DEFAULT.max_hours)
        if mode not in ("air", None):
            raise TripError(f"{what}: allowance_hours (taxi, climb and descent) applies to air legs, not {mode}")
    return ModeTerms(
        mode="",
        speed_kmh=_parse_speed(raw.get("speed_kmh"), f"{what}: speed_kmh", mode, settings),
        detour=detour,
        allowance_hours=allowance,
    )


def _parse_modes(raw: Any, what: str, settings: Settings) -> tuple[ModeTerms, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise TripError(f"{what} must map modes to their settings, e.g. {{road: {{speed_kmh: {{min: 30, max: 90}}}}}}")
    out = []
    allowed = set(SCHEMA["mode_terms"])
    for key, body in raw.items():
        mode = _mode(key, f"{what}: mode")
        if mode not in TRAVELLED:
            raise TripError(f"{what}: unknown is not a mode with speeds; use one of {', '.join(TRAVELLED)}")
        if not isinstance(body, dict):
            raise TripError(f"{what}: {mode} must be a mapping with {', '.join(sorted(allowed))}")
        unknown = sorted(set(map(str, body)) - allowed)
        if unknown:
            raise TripError(f"{what}: {mode}: unknown key {quote(unknown[0])} (known: {', '.join(sorted(allowed))})")
        t = _parse_terms(body, f"{what}: {mode}", mode, settings, allowed)
        out.append(ModeTerms(mode, t.speed_kmh, t.detour, t.allowance_hours))
    return tuple(out)


def _parse_transfers(raw: Any, what: str) -> tuple[tuple[str, str, float], ...]:
    """``{rail-road: 0.5, road-air: 1}``: hours for a change between two modes (either way)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise TripError(f"{what} must map pairs of modes to hours, e.g. {{rail-road: 0.5, road-air: 1}}")
    out: dict[frozenset[str], tuple[str, str, float]] = {}
    for key, hours in raw.items():
        pair = str(key).split("-") if isinstance(key, str) else []
        if len(pair) != 2 or not all(m in TRAVELLED for m in pair):
            raise TripError(f"{what}: {quote(key)} is not a pair of modes like rail-road ({', '.join(TRAVELLED)})")
        a, b = pair
        if a == b and a != "rail":
            raise TripError(
                f"{what}: {a}-{b}: no change between legs of one mode costs time (rail-rail is a bogie exchange)"
            )
        if frozenset(pair) in out:
            raise TripError(f"{what}: {a}-{b} is given twice")
        out[frozenset(pair)] = (a, b, _number(hours, f"{what}: {key}", 0.0, DEFAULT.max_hours))
    return tuple(out.values())


def _coordinate(value: Any, what: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError as err:
            raise TripError(f"{what} must be a number, got {quote(value)}") from err
    return _number(value, what, -180.0, 180.0)


def _parse_place(raw: Any, what: str, settings: Settings) -> str | Point:
    if isinstance(raw, str) and raw.strip():
        name = raw.strip()
        if len(name) > settings.max_place_chars:
            raise TripError(
                f"{what}: a place name of {len(name):,} characters ({quote(name, 30)}); "
                f"the limit is {settings.max_place_chars} (max_place_chars)"
            )
        return name
    if isinstance(raw, dict) and {"lat", "lon"} <= set(raw):
        extra = sorted(set(map(str, raw)) - {"lat", "lon", "name"})
        if extra:
            raise TripError(f"{what}: unknown key {quote(extra[0])} in coordinates (known: lat, lon, name)")
        lat, lon = _coordinate(raw["lat"], f"{what}: lat"), _coordinate(raw["lon"], f"{what}: lon")
        label = raw.get("name")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            raise TripError(f"{what}: a point's 'name' must be text, got {quote(label)}")
        label = (label or "").strip()
        if len(label) > settings.max_place_chars:
            raise TripError(
                f"{what}: a point's name of {len(label):,} characters; the limit is {settings.max_place_chars}"
            )
        try:
            return Point(lat, lon, label)
        except ValueError as err:
            raise TripError(f"{what}: bad coordinates: {err}") from err
    raise TripError(f"{what}: 'place' must be a name or {{lat: .., lon: .., name: ..}}, got {quote(raw)}")


def _country(raw: Any, what: str) -> str:
    """A country to look names up in, as written (a name or an ISO code); checked when
    the names are resolved."""
    if raw is None:
        return ""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 100:
        raise TripError(f"{what} must be a country name or code (e.g. Vietnam or VN), got {quote(raw)}")
    return raw.strip()


_DURATION = re.compile(r"^\s*(\d{1,6}(?:\.\d{1,6})?)\s*(h|hours?|min|minutes?)\s*$", re.I)


def _parse_dwell(raw: Any, what: str) -> float:
    if raw is None:
        return 0.0
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _number(raw, f"{what}: dwell_hours", 0.0, DEFAULT.max_hours)
    m = _DURATION.match(raw) if isinstance(raw, str) else None
    if not m:
        raise TripError(f"{what}: dwell_hours must be hours (e.g. 2 or '90 min'), got {quote(raw)}")
    n = float(m.group(1))
    return _number(
        n / 60 if m.group(2).lower().startswith("min") else n, f"{what}: dwell_hours", 0.0, DEFAULT.max_hours
    )


def _parse_event(raw: Any, i: int, where: str, settings: Settings, trip_mode: str = "rail") -> Sighting:
    what = f"{where}: event {i}"
    if not isinstance(raw, dict):
        raise TripError(f"{what} must be a mapping with a 'place', got {quote(raw)}")
    unknown = sorted(set(map(str, raw)) - _EVENT_KEYS)
    if unknown:
        raise TripError(f"{what}: unknown key {quote(unknown[0])} (known: {', '.join(sorted(_EVENT_KEYS))})")
    if "place" not in raw:
        raise TripError(f"{what} has no 'place'")
    place = _parse_place(raw["place"], what, settings)
    label = quote(place, 40) if isinstance(place, str) else quote(place.label, 40)
    what = f"{where}: event {i} ({label})"
    time = parse_time(raw["time"], what) if raw.get("time") is not None else None
    kind = raw.get("kind", "at")
    if kind not in EVENT_KINDS:
        raise TripError(f"{what}: kind {quote(kind)} is not one of {', '.join(EVENT_KINDS)}")
    mode = "" if raw.get("mode") is None else _mode(raw.get("mode"), f"{what}: mode")
    leg_keys = set(SCHEMA["mode_terms"])
    leg = _parse_terms(raw, what, mode or trip_mode, settings, leg_keys)
    transfer = raw.get("transfer_hours")
    transfer = None if transfer is None else _number(transfer, f"{what}: transfer_hours", 0.0, DEFAULT.max_hours)
    try:
        return Sighting(
            place=place,
            time=time,
            kind=kind,
            source=_text(raw.get("source"), f"{what}: source"),
            note=_text(raw.get("note"), f"{what}: note"),
            dwell_hours=_parse_dwell(raw.get("dwell_hours"), what),
            country=_country(raw.get("country"), f"{what}: country"),
            mode=mode,
            leg=leg,
            transfer_hours=transfer,
            **_parse_trace(raw, what),
        )
    except ValueError as err:
        if isinstance(err, TripError):
            raise
        raise TripError(f"{what}: {err}") from err


def _parse_trace(raw: dict, what: str) -> dict[str, Any]:
    """``confidence`` (low | medium | high), ``quote`` (the words) and ``span`` ([start, end]
    character offsets into the report) of an event or a claim."""
    confidence = _text(raw.get("confidence"), f"{what}: confidence").strip()
    if confidence and confidence not in CONFIDENCE_LEVELS:
        raise TripError(f"{what}: confidence {quote(confidence)} is not one of {', '.join(CONFIDENCE_LEVELS)}")
    span = raw.get("span")
    if span is not None:
        ok = (
            isinstance(span, list)
            and len(span) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in span)
            and span[0] <= span[1]
        )
        if not ok:
            raise TripError(f"{what}: span must be [start, end] character offsets into the report, got {quote(span)}")
        span = (span[0], span[1])
    return {"confidence": confidence, "quote": _text(raw.get("quote"), f"{what}: quote"), "span": span}


def _text(v: Any, what: str) -> str:
    """Free text: a string, a number, or a list of strings (joined with '; ')."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, list) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
        return "; ".join(str(x) for x in v)
    raise TripError(f"{what} must be text (or a list of texts), got {quote(v)}")


def parse_time(raw: Any, what: str = "time") -> TimeSpec:
    """Parse an event's time: an ISO instant, a date, or ``{earliest, latest}``.

    >>> parse_time("2023-09-12T06:00+10:00").instant.isoformat()
    '2023-09-12T06:00:00+10:00'
    >>> parse_time("2023-09-13").day.isoformat()
    '2023-09-13'
    """
    try:
        return _time(raw, what)
    except ValueError as err:  # the model's own checks: e.g. a year outside the range routes judges
        if isinstance(err, TripError):
            raise
        raise TripError(f"{what}: {err}") from err


def _time(raw: Any, what: str) -> TimeSpec:
    if isinstance(raw, dict):
        if set(raw) != {"earliest", "latest"}:
            raise TripError(f"{what}: a time window needs exactly 'earliest' and 'latest'")
        lo = _instant(raw["earliest"], what)
        hi = _instant(raw["latest"], what)
        if (lo.tzinfo is None) == (hi.tzinfo is None) and hi < lo:
            raise TripError(f"{what}: window ends before it starts ({hi} < {lo})")
        return TimeSpec(earliest=lo, latest=hi, text=f"{lo.isoformat()} – {hi.isoformat()}")
    if isinstance(raw, datetime):
        return TimeSpec(instant=raw, text=raw.isoformat())
    if isinstance(raw, date):
        return TimeSpec(day=raw, text=raw.isoformat())
    if isinstance(raw, str):
        s = raw.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            try:
                return TimeSpec(day=date.fromisoformat(s), text=s)
            except ValueError as err:
                raise TripError(f"{what}: cannot read date {quote(raw)}: {err}") from err
        return TimeSpec(instant=_instant(s, what), text=s)
    raise TripError(f"{what}: cannot read time {quote(raw)}; use e.g. 2023-09-12T06:00+10:00")


def _instant(raw: Any, what: str) -> datetime:
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        raise TripError(f"{what}: window bounds need a time of day, got the date {raw}")
    if not isinstance(raw, str):
        raise TripError(f"{what}: cannot read time {quote(raw)}; use ISO 8601, e.g. 2023-09-12T06:00+10:00")
    s = raw.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(s)
    except ValueError as err:
        raise TripError(f"{what}: cannot read time {quote(raw)}; use ISO 8601, e.g. 2023-09-12T06:00+10:00") from err


def _parse_claim(raw: Any, i: int, where: str, settings: Settings) -> Claim:
    what = f"{where}: claim {i}"
    if not isinstance(raw, dict):
        raise TripError(f"{what} must be a mapping like {{not_via: Vladivostok}}")
    kinds = [k for k in raw if k in CLAIM_KINDS]
    if len(kinds) != 1:
        raise TripError(f"{what}: give exactly one of {', '.join(CLAIM_KINDS)}")
    kind = kinds[0]
    extra = sorted(set(map(str, raw)) - {kind, *SCHEMA["claim_extra"]})
    if extra:
        raise TripError(f"{what}: unknown key {quote(extra[0])}")
    body = raw[kind]
    source = _text(raw.get("source"), f"{what}: source")
    text = _text(raw.get("text"), f"{what}: text")
    trace = _parse_trace(raw, what)

    def name(v: Any) -> str | Point:
        return _parse_place(v, what, settings) if isinstance(v, dict) else _place_name(v, what, settings)

    try:
        if kind in ("via", "not_via"):
            names = body if isinstance(body, list) else [body]
            return Claim(kind, places=tuple(name(n) for n in names), source=source, text=text, **trace)
        if kind == "order":
            if not isinstance(body, list) or len(body) < 2:
                raise TripError(f"{what}: order needs a list of two or more places, first to last")
            return Claim(kind, places=tuple(name(n) for n in body), source=source, text=text, **trace)
        if not isinstance(body, dict):
            raise TripError(f"{what}: {kind} needs a mapping")
        tol = body.get("tolerance_pct")
        tol_f = None if tol is None else _number(tol, f"{what}: tolerance_pct", 0.0, 1000.0)
        if kind == "distance":
            for key in ("from", "to", "km"):
                if key not in body:
                    raise TripError(f"{what}: distance needs 'from', 'to' and 'km'")
            return Claim(
                kind,
                places=(name(body["from"]), name(body["to"])),
                value=_number(body["km"], f"{what}: km", 0.0, DEFAULT.max_claim_value),
                tolerance_pct=tol_f,
                qualifier=_text(body.get("measure", "any"), f"{what}: measure"),
                source=source,
                text=text,
                **trace,
            )
        if kind == "speed":
            if "kmh" not in body:
                raise TripError(f"{what}: speed needs 'kmh' (and optionally 'type', 'from', 'to')")
            return Claim(
                kind,
                places=tuple(name(body[k]) for k in ("from", "to") if k in body),
                value=_number(body["kmh"], f"{what}: kmh", 0.0, DEFAULT.max_claim_value),
                tolerance_pct=tol_f,
                qualifier=_text(body.get("type", "average"), f"{what}: type"),
                source=source,
                text=text,
                **trace,
            )
        # in_region
        if "place" not in body or "region" not in body:
            raise TripError(f"{what}: in_region needs 'place' and 'region'")
        region = _place_name(body["region"], what, settings)
        return Claim(kind, places=(name(body["place"]),), region=region, source=source, text=text, **trace)
    except ValueError as err:
        if isinstance(err, TripError):
            raise
        raise TripError(f"{what}: {err}") from err


def _place_name(v: Any, what: str, settings: Settings) -> str:
    if not isinstance(v, str) or not v.strip():
        raise TripError(f"{what}: place names must be text, got {quote(v)}")
    if len(v.strip()) > settings.max_place_chars:
        raise TripError(
            f"{what}: a place name of {len(v.strip()):,} characters ({quote(v, 30)}); "
            f"the limit is {settings.max_place_chars} (max_place_chars)"
        )
    return v.strip()
