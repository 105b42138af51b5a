"""The machine-readable objects ``routes check --json`` and ``routes where --json`` print."""

from __future__ import annotations

from typing import Any

from ...model import Place, Report, Resolution, Window
from ...pipeline.where import WhereAt
from ...routing.modes import leg_terms, mode_terms
from ...routing.rail import RailNetwork, attribution

__all__ = ["report_to_json", "where_to_json", "resolution_json", "summary"]


def _r(x: float | None, n: int = 1) -> float | None:
    return None if x is None else round(x, n)


def _pair(t: tuple[float | None, float | None] | None, n: int = 1) -> list[float | None] | None:
    return None if t is None else [_r(t[0], n), _r(t[1], n)]


def _names(net: RailNetwork | None, ids: tuple[str, ...]) -> list[str]:
    if net is None:
        return list(ids)
    return [net.name_of(i) for i in ids]


def _window_json(w: Window | None) -> dict[str, str] | None:
    return None if w is None else {"earliest": w.earliest.isoformat(), "latest": w.latest.isoformat()}


def _place_json(p: Place) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "lat": p.lat,
        "lon": p.lon,
        "country": p.country,
        "tz": p.tz,
        "source": p.source,
    }


def resolution_json(r: Resolution | None) -> dict[str, Any] | None:
    """How a place was found: ``{"method", "score", "detail"}``."""
    return None if r is None else {"method": r.method, "score": round(r.score, 3), "detail": r.detail}


def summary(report: Report) -> dict[str, Any]:
    """Counts of leg and claim verdicts, and of places matched as typos."""
    legs = {v: sum(1 for lv in report.legs if lv.verdict == v) for v in ("feasible", "tight", "infeasible", "unknown")}
    claims = {v: sum(1 for c in report.claims if c.verdict == v) for v in ("supported", "contradicted", "unverifiable")}
    fuzzy = sum(1 for r in report.resolutions if r.method == "fuzzy")
    return {"legs": legs, "claims": claims, "fuzzy_places": fuzzy}


def report_to_json(report: Report, net: RailNetwork | None = None) -> dict[str, Any]:
    """The object ``routes check --json`` prints (keys as in DESIGN.md, plus a few more)."""
    legs = []
    for lv in report.legs:
        leg = lv.leg
        r = leg.route
        legs.append(
            {
                "from": leg.start_name,
                "to": leg.end_name,
                "mode": leg.mode,
                "rail_km": _r(leg.rail_km),
                "km": [_r(x) for x in leg.km] if leg.km else None,
                "estimated": (r.estimate or None) if r else None,
                "speed_kmh": list(leg_terms(report.trip, leg.end).speed_kmh),
                "straight_km": _r(leg.straight_km),
                "via": _names(net, r.via) if r else [],
                "lines": list(r.lines) if r else [],
                "gauge_breaks": _names(net, r.gauge_breaks) if r else [],
                "snap_km": [round(leg.snap_km[0], 2), round(leg.snap_km[1], 2)],
                "alternatives": [
                    {"rail_km": _r(a.km), "via": _names(net, a.via), "lines": list(a.lines)} for a in leg.alternatives
                ],
                "hours_available": _pair(lv.hours_available),
                "hours_needed": _pair(lv.hours_needed),
                "implied_kmh": _pair(lv.implied_kmh),
                "verdict": lv.verdict,
                "why": lv.why,
            }
        )
    return {
        "trip": report.trip.title,
        "mode": report.trip.mode,
        "speed_kmh": list(mode_terms(report.trip, report.trip.mode).speed_kmh),
        "network": net.name if net is not None else None,
        "attribution": attribution(net) if net is not None else [],
        "events": [
            {
                "query": ev.label,
                "kind": ev.kind,
                "mode": report.trip.mode_of(i),
                "place": _place_json(report.places[i]),
                "resolved_by": resolution_json(report.resolutions[i] if report.resolutions else None),
                "time": _window_json(report.windows[i]),
                "inferred_time": _window_json(report.inferred[i])
                if report.windows[i] is None and report.inferred
                else None,
                "source": ev.source,
                "confidence": ev.confidence,
                "quote": ev.quote,
                "span": list(ev.span) if ev.span else None,
            }
            for i, ev in enumerate(report.trip.events)
        ],
        "order": list(report.order),
        "legs": legs,
        "spans": [
            {
                "from": report.trip.events[s.start].label,
                "to": report.trip.events[s.end].label,
                "rail_km": _r(s.rail_km),
                "km": [_r(x) for x in s.km] if s.km else None,
                "modes": list(s.modes),
                "hours_available": _pair(s.hours_available),
                "hours_needed": _pair(s.hours_needed),
                "implied_kmh": _pair(s.implied_kmh),
                "verdict": s.verdict,
                "why": s.why,
                "straight_line_hours": _r(s.straight_line_hours),
            }
            for s in report.spans
        ],
        "claims": [
            {
                "claim": c.claim.describe(),
                "kind": c.claim.kind,
                "places": list(c.claim.labels),
                "region": c.claim.region or None,
                "verdict": c.verdict,
                "why": c.why,
                "source": c.claim.source,
                "numbers": dict(c.numbers),
                "resolved_places": [p.name for p in report.claim_places[n]] if report.claim_places else [],
                "confidence": c.claim.confidence,
                "quote": c.claim.quote,
                "span": list(c.claim.span) if c.claim.span else None,
            }
            for n, c in enumerate(report.claims)
        ],
        "warnings": list(report.warnings),
        "summary": summary(report),
    }


def where_to_json(w: WhereAt, report: Report) -> dict[str, Any]:
    """The object ``routes where --json`` prints."""
    return {
        "at": w.at.isoformat(),
        "leg": {"from": report.trip.events[w.start].label, "to": report.trip.events[w.end].label},
        "km_from_start": [w.km_from_start[0], w.km_from_start[1]],
        "route_km": round(w.route_km, 1),
        "why": w.why,
        "geometry": {
            "type": "LineString" if len(w.coords) > 1 else "Point",
            "coordinates": [[round(lon, 5), round(lat, 5)] for lat, lon in w.coords]
            if len(w.coords) > 1
            else [round(w.coords[0][1], 5), round(w.coords[0][0], 5)],
        },
    }
