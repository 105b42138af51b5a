"""Write a :class:`~routes.model.Trip` as trip-file text that :func:`~routes.trips.load_trip`
reads back to the same trip (the command line writes it to disk atomically).

The YAML comes from PyYAML's safe dumper, never from a template: every text field (titles,
quotes copied from an article) is a scalar the dumper quotes and escapes itself, so no
text can add a key, end the document or smuggle in a tag.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import yaml

from ..model import Claim, ModeTerms, Point, Sighting, TimeSpec, Trip
from .extract import Draft, Evidence

__all__ = ["trip_to_mapping", "trip_to_yaml", "draft_to_json"]


class _Flow(list):
    """A short list written on one line: ``span: [12, 40]``."""


class _FlowMap(dict):
    """A short mapping written on one line: ``speed_kmh: {min: 20, max: 60}``."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with short lists and mappings on one line."""


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))


def _iso(t: datetime | date) -> str:
    if isinstance(t, datetime):
        spec = "minutes" if t.second == 0 and t.microsecond == 0 else "seconds"
        return t.isoformat(timespec=spec)
    return t.isoformat()


def _time(t: TimeSpec) -> str | dict[str, str]:
    if t.instant is not None:
        return _iso(t.instant)
    if t.day is not None:
        return _iso(t.day)
    assert t.earliest is not None and t.latest is not None
    return {"earliest": _iso(t.earliest), "latest": _iso(t.latest)}


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def _trace(out: dict[str, Any], confidence: str, quote: str, span: tuple[int, int] | None) -> None:
    if confidence:
        out["confidence"] = confidence
    if quote:
        out["quote"] = quote
    if span is not None:
        out["span"] = _Flow([span[0], span[1]])


def _place(p: str | Point) -> str | dict[str, Any]:
    if isinstance(p, str):
        return p
    return _FlowMap(lat=p.lat, lon=p.lon, name=p.name) if p.name else _FlowMap(lat=p.lat, lon=p.lon)


def _terms(t: ModeTerms) -> dict[str, Any]:
    out: dict[str, Any] = _FlowMap()
    if t.speed_kmh is not None:
        out["speed_kmh"] = _FlowMap({"min": _number(t.speed_kmh[0]), "max": _number(t.speed_kmh[1])})
    if t.detour is not None:
        out["detour"] = _FlowMap({"min": _number(t.detour[0]), "max": _number(t.detour[1])})
    if t.allowance_hours is not None:
        out["allowance_hours"] = _number(t.allowance_hours)
    return out


def _event(ev: Sighting) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["place"] = _place(ev.place)
    if ev.time is not None:
        out["time"] = _time(ev.time)
    out["kind"] = ev.kind
    if ev.mode:
        out["mode"] = ev.mode
    out.update(_terms(ev.leg))
    if ev.transfer_hours is not None:
        out["transfer_hours"] = _number(ev.transfer_hours)
    if ev.source:
        out["source"] = ev.source
    if ev.dwell_hours:
        out["dwell_hours"] = _number(ev.dwell_hours)
    if ev.note:
        out["note"] = ev.note
    if ev.country:
        out["country"] = ev.country
    _trace(out, ev.confidence, ev.quote, ev.span)
    return out


def _claim(c: Claim) -> dict[str, Any]:
    out: dict[str, Any] = {}
    places = [_place(p) for p in c.places]
    if c.kind in ("via", "not_via"):
        out[c.kind] = places[0] if len(places) == 1 else places
    elif c.kind == "order":
        out[c.kind] = _Flow(places)
    elif c.kind == "distance":
        body: dict[str, Any] = _FlowMap({"from": places[0], "to": places[1], "km": _number(c.value or 0.0)})
        if c.qualifier and c.qualifier != "any":
            body["measure"] = c.qualifier
        if c.tolerance_pct is not None:
            body["tolerance_pct"] = _number(c.tolerance_pct)
        out[c.kind] = body
    elif c.kind == "speed":
        body = _FlowMap({"kmh": _number(c.value or 0.0), "type": c.qualifier or "average"})
        if len(places) == 2:
            body["from"], body["to"] = places
        if c.tolerance_pct is not None:
            body["tolerance_pct"] = _number(c.tolerance_pct)
        out[c.kind] = body
    else:
        out[c.kind] = _FlowMap({"place": places[0], "region": c.region})
    if c.text:
        out["text"] = c.text
    if c.source:
        out["source"] = c.source
    _trace(out, c.confidence, c.quote, c.span)
    return out


def trip_to_mapping(trip: Trip, notes: str = "") -> dict[str, Any]:
    """The trip as the plain mapping a trip file holds (keys in the README's order).

    >>> from routes.model import Sighting, Trip
    >>> m = trip_to_mapping(Trip("t", (Sighting("Khasan"), Sighting("Ussuriysk", kind="passed"))))
    >>> m["events"][1]
    {'place': 'Ussuriysk', 'kind': 'passed'}
    >>> print(trip_to_yaml(m), end="")
    title: t
    mode: rail
    events:
    - place: Khasan
      kind: at
    - place: Ussuriysk
      kind: passed
    """
    out: dict[str, Any] = {"title": trip.title}
    if trip.traveller:
        out["traveller"] = trip.traveller
    out["mode"] = trip.mode
    if trip.speed_min is not None and trip.speed_max is not None:
        out["speed_kmh"] = _FlowMap({"min": _number(trip.speed_min), "max": _number(trip.speed_max)})
    if trip.modes:
        out["modes"] = {t.mode: _terms(t) for t in trip.modes}
    if trip.order != "listed":
        out["order"] = trip.order
    if trip.gauge_change_hours is not None:
        out["gauge_change_hours"] = _number(trip.gauge_change_hours)
    if trip.transfers:
        out["transfer_hours"] = {f"{a}-{b}": _number(h) for a, b, h in trip.transfers}
    if trip.country:
        out["country"] = trip.country
    if trip.network:
        out["network"] = trip.network
    if notes:
        out["notes"] = notes
    out["events"] = [_event(e) for e in trip.events]
    if trip.claims:
        out["claims"] = [_claim(c) for c in trip.claims]
    return out


def trip_to_yaml(trip: Trip | dict[str, Any], header: str = "", ascii_only: bool = False) -> str:
    """YAML text for a trip (or a trip mapping); ``header`` is a fixed comment to put first,
    one ``# `` line per line of it (never text from an article). ``ascii_only`` escapes every
    other character (``"\\u202e"``): the same data, safe to print on a terminal."""
    data = trip_to_mapping(trip) if isinstance(trip, Trip) else trip
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=not ascii_only, width=100, default_flow_style=False
    )
    lead = "".join(f"# {line}\n" for line in header.splitlines()) if header else ""
    return lead + body


def _ev(e: Evidence) -> dict[str, Any]:
    return {"text": e.text, "span": [e.start, e.end]}


def draft_to_json(draft: Draft) -> dict[str, Any]:
    """The object ``routes extract --json`` prints: the trip (a valid trip mapping), and
    for each event and claim the words each field came from, as character spans."""
    dl = draft.dateline
    return {
        "trip": trip_to_mapping(draft.trip) if draft.trip is not None else None,
        "dateline": None
        if dl is None
        else {
            "date": dl.date.isoformat(),
            "text": dl.text,
            "span": [dl.start, dl.end],
            "agency": dl.agency,
            "year_given": dl.year_given,
        },
        "events": [{"fields": {e.field: _ev(e) for e in evs}} for evs in draft.events],
        "claims": [
            {
                "fields": {e.field: _ev(e) for e in evs if e.field != "place"},
                "places": [_ev(e) for e in evs if e.field == "place"],
            }
            for evs in draft.claims
        ],
        "context": [{"kind": e.field, **_ev(e)} for e in draft.context],
        "left_out": [{**_ev(e), "why": why} for e, why in draft.left_out],
        "places_found": list(draft.found),
        "warnings": list(draft.warnings),
    }
