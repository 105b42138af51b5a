"""Read trip files (YAML, or JSON) into :class:`~routes.model.Trip`, with clear errors.

The format is described in the README ("Trip file"). Every problem raises
:class:`~routes.errors.TripError` naming the file, the event and the bad value.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import TripError
from ..model import CLAIM_KINDS, EVENT_KINDS, Claim, Point, Sighting, TimeSpec, Trip

__all__ = ["load_trip", "parse_trip", "parse_time", "example_trip_path"]

log = logging.getLogger(__name__)

_TRIP_KEYS = {
    "title",
    "traveller",
    "mode",
    "speed_kmh",
    "events",
    "claims",
    "order",
    "gauge_change_hours",
    "notes",
    "sources",
}
_EVENT_KEYS = {"place", "time", "kind", "source", "note", "dwell_hours", "confidence"}


def example_trip_path() -> Path:
    """The bundled example trip: the September 2023 journey to Vostochny."""
    return Path(str(resources.files("routes._data").joinpath("trips", "vostochny-2023.yaml")))


def load_trip(path: str | Path) -> Trip:
    """Read and validate a trip file.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml`` or ``.json`` file.

    Raises
    ------
    TripError
        The file is missing, not YAML/JSON, or not a valid trip.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise TripError(f"trip file not found: {p}") from err
    except IsADirectoryError as err:
        raise TripError(f"trip file is a directory: {p}") from err
    except (OSError, UnicodeDecodeError) as err:
        raise TripError(f"cannot read trip file {p}: {err}") from err
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except json.JSONDecodeError as err:
        raise TripError(f"{p}: invalid JSON at line {err.lineno}: {err.msg}") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "cannot parse"
        raise TripError(f"{p}: invalid YAML{where}: {problem}") from err
    return parse_trip(data, source_path=str(p))


def parse_trip(data: Any, source_path: str = "<trip>") -> Trip:
    """Validate a parsed trip mapping and build the :class:`Trip`."""
    where = source_path
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "empty"
        raise TripError(f"{where}: a trip must be a mapping with 'title' and 'events', got {kind}")
    unknown = sorted(set(map(str, data)) - _TRIP_KEYS)
    if unknown:
        raise TripError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(_TRIP_KEYS))})")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise TripError(f"{where}: the trip needs a 'title' (a line of text)")
    events_raw = data.get("events")
    if not isinstance(events_raw, list):
        raise TripError(f"{where}: 'events' must be a list of events with a 'place'")
    events = tuple(_parse_event(e, i, where) for i, e in enumerate(events_raw, start=1))
    if len(events) < 2:
        raise TripError(f"{where}: a trip needs at least two located events, found {len(events)}")
    claims_raw = data.get("claims") or []
    if not isinstance(claims_raw, list):
        raise TripError(f"{where}: 'claims' must be a list")
    claims = tuple(_parse_claim(c, i, where) for i, c in enumerate(claims_raw, start=1))
    smin, smax = _parse_speed(data.get("speed_kmh"), where)
    order = data.get("order", "listed")
    if order not in ("listed", "route"):
        raise TripError(f"{where}: order must be 'listed' or 'route', got {order!r}")
    gch = _number(data.get("gauge_change_hours", 2.0), f"{where}: gauge_change_hours")
    try:
        return Trip(
            title=title.strip(),
            events=events,
            claims=claims,
            traveller=str(data.get("traveller") or ""),
            mode=str(data.get("mode") or "rail"),
            speed_min=smin,
            speed_max=smax,
            order=order,
            gauge_change_hours=gch,
            source_path=source_path,
        )
    except ValueError as err:
        raise TripError(f"{where}: {err}") from err


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TripError(f"{what} must be a number, got {value!r}")
    return float(value)


def _parse_speed(raw: Any, where: str) -> tuple[float, float]:
    if raw is None:
        return 20.0, 80.0
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw) * 0.5, float(raw)
    if not isinstance(raw, dict) or not {"min", "max"} <= set(raw):
        raise TripError(f"{where}: speed_kmh must be {{min: N, max: N}} in km/h")
    lo = _number(raw["min"], f"{where}: speed_kmh.min")
    hi = _number(raw["max"], f"{where}: speed_kmh.max")
    if not 0 < lo <= hi:
        raise TripError(f"{where}: speed_kmh needs 0 < min <= max, got {lo}–{hi}")
    return lo, hi


def _parse_place(raw: Any, what: str) -> str | Point:
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    if isinstance(raw, dict) and {"lat", "lon"} <= set(raw):
        try:
            return Point(float(raw["lat"]), float(raw["lon"]))
        except (TypeError, ValueError) as err:
            raise TripError(f"{what}: bad coordinates {raw!r}: {err}") from err
    raise TripError(f"{what}: 'place' must be a name or {{lat: .., lon: ..}}, got {raw!r}")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|hours?|min|minutes?)\s*$", re.I)


def _parse_dwell(raw: Any, what: str) -> float:
    if raw is None:
        return 0.0
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw < 0:
            raise TripError(f"{what}: dwell_hours must be zero or more, got {raw}")
        return float(raw)
    m = _DURATION.match(str(raw))
    if not m:
        raise TripError(f"{what}: dwell_hours must be hours (e.g. 2 or '90 min'), got {raw!r}")
    n = float(m.group(1))
    return n / 60 if m.group(2).lower().startswith("min") else n


def _parse_event(raw: Any, i: int, where: str) -> Sighting:
    what = f"{where}: event {i}"
    if not isinstance(raw, dict):
        raise TripError(f"{what} must be a mapping with a 'place', got {raw!r}")
    unknown = sorted(set(map(str, raw)) - _EVENT_KEYS)
    if unknown:
        raise TripError(f"{what}: unknown key '{unknown[0]}' (known: {', '.join(sorted(_EVENT_KEYS))})")
    if "place" not in raw:
        raise TripError(f"{what} has no 'place'")
    place = _parse_place(raw["place"], what)
    label = place if isinstance(place, str) else f"{place.lat}, {place.lon}"
    what = f"{where}: event {i} ({label})"
    time = parse_time(raw["time"], what) if raw.get("time") is not None else None
    kind = str(raw.get("kind", "at"))
    if kind not in EVENT_KINDS:
        raise TripError(f"{what}: kind {kind!r} is not one of {', '.join(EVENT_KINDS)}")
    return Sighting(
        place=place,
        time=time,
        kind=kind,
        source=_text(raw.get("source")),
        note=_text(raw.get("note")),
        dwell_hours=_parse_dwell(raw.get("dwell_hours"), what),
        confidence=_text(raw.get("confidence")),
    )


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    return str(v)


def parse_time(raw: Any, what: str = "time") -> TimeSpec:
    """Parse an event's time: an ISO instant, a date, or ``{earliest, latest}``.

    >>> parse_time("2023-09-12T06:00+10:00").instant.isoformat()
    '2023-09-12T06:00:00+10:00'
    >>> parse_time("2023-09-13").day.isoformat()
    '2023-09-13'
    """
    if isinstance(raw, dict):
        if set(raw) != {"earliest", "latest"}:
            raise TripError(f"{what}: a time window needs exactly 'earliest' and 'latest'")
        lo = _instant(raw["earliest"], what)
        hi = _instant(raw["latest"], what)
        if (lo.tzinfo is None) == (hi.tzinfo is None) and hi < lo:
            raise TripError(f"{what}: window ends before it starts ({hi} < {lo})")
        return TimeSpec(earliest=lo, latest=hi, text=f"{raw['earliest']} – {raw['latest']}")
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
                raise TripError(f"{what}: cannot read date {raw!r}: {err}") from err
        return TimeSpec(instant=_instant(s, what), text=s)
    raise TripError(f"{what}: cannot read time {raw!r}; use e.g. 2023-09-12T06:00+10:00")


def _instant(raw: Any, what: str) -> datetime:
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        raise TripError(f"{what}: window bounds need a time of day, got the date {raw}")
    s = str(raw).strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(s)
    except ValueError as err:
        raise TripError(f"{what}: cannot read time {raw!r}; use ISO 8601, e.g. 2023-09-12T06:00+10:00") from err


def _parse_claim(raw: Any, i: int, where: str) -> Claim:
    what = f"{where}: claim {i}"
    if not isinstance(raw, dict):
        raise TripError(f"{what} must be a mapping like {{not_via: Vladivostok}}")
    kinds = [k for k in raw if k in CLAIM_KINDS]
    if len(kinds) != 1:
        raise TripError(f"{what}: give exactly one of {', '.join(CLAIM_KINDS)}")
    kind = kinds[0]
    extra = sorted(set(map(str, raw)) - {kind, "source", "text"})
    if extra:
        raise TripError(f"{what}: unknown key '{extra[0]}'")
    body = raw[kind]
    source = _text(raw.get("source"))
    text = _text(raw.get("text"))
    try:
        if kind in ("via", "not_via"):
            names = body if isinstance(body, list) else [body]
            places = tuple(_place_name(n, what) for n in names)
            return Claim(kind, places=places, source=source, text=text)
        if kind == "order":
            if not isinstance(body, list) or len(body) < 2:
                raise TripError(f"{what}: order needs a list of two or more places, first to last")
            return Claim(kind, places=tuple(_place_name(n, what) for n in body), source=source, text=text)
        if not isinstance(body, dict):
            raise TripError(f"{what}: {kind} needs a mapping")
        tol = body.get("tolerance_pct")
        tol_f = None if tol is None else _number(tol, f"{what}: tolerance_pct")
        if kind == "distance":
            for key in ("from", "to", "km"):
                if key not in body:
                    raise TripError(f"{what}: distance needs 'from', 'to' and 'km'")
            return Claim(
                kind,
                places=(_place_name(body["from"], what), _place_name(body["to"], what)),
                value=_number(body["km"], f"{what}: km"),
                tolerance_pct=tol_f,
                qualifier=str(body.get("measure", "any")),
                source=source,
                text=text,
            )
        if kind == "speed":
            if "kmh" not in body:
                raise TripError(f"{what}: speed needs 'kmh' (and optionally 'type', 'from', 'to')")
            places = tuple(_place_name(body[k], what) for k in ("from", "to") if k in body)
            return Claim(
                kind,
                places=places,
                value=_number(body["kmh"], f"{what}: kmh"),
                tolerance_pct=tol_f,
                qualifier=str(body.get("type", "average")),
                source=source,
                text=text,
            )
        # in_region
        if "place" not in body or "region" not in body:
            raise TripError(f"{what}: in_region needs 'place' and 'region'")
        return Claim(
            kind,
            places=(_place_name(body["place"], what),),
            region=_place_name(body["region"], what),
            source=source,
            text=text,
        )
    except ValueError as err:
        if isinstance(err, TripError):
            raise
        raise TripError(f"{what}: {err}") from err


def _place_name(v: Any, what: str) -> str:
    if not isinstance(v, str) or not v.strip():
        raise TripError(f"{what}: place names must be text, got {v!r}")
    return v.strip()
