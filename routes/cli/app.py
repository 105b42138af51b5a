"""The ``routes`` command line: a thin layer over :mod:`routes.api`.

The only module that prints or configures logging. Exit codes: 0 success; 1 ``check``
found a contradicted claim or an infeasible leg; 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import NoReturn

from .. import api
from ..errors import OptionError, PlaceNotFound, RoutesError, TripError
from ..present.files import output_path, write_atomic
from ..present.formats import FORMATS, IMAGE_FORMATS
from ..routing.rail import PROFILES, attribution
from . import extract, network
from .term import error_line, json_text, say, table, visible

__all__ = ["main"]

log = logging.getLogger("routes")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # 20 ms: only for --version

    try:
        return version("routes-rail")
    except PackageNotFoundError:
        return "0+unknown"


class _VersionAction(argparse.Action):
    """Print the version: looked up only when asked (importlib.metadata costs 20 ms)."""

    def __call__(self, parser, namespace, values, option_string=None):  # noqa: ANN001, ANN204
        parser.exit(message=f"routes {_version()}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="routes",
        description="Reconstruct and verify reported rail journeys.",
    )
    p.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    p.add_argument("-q", "--quiet", action="store_true", help="only errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def trip_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "trip", nargs="?", help="trip file (YAML or JSON; - reads standard input); default: the bundled example"
        )
        sp.add_argument("--respect-claims", action="store_true", help="make via/not_via claims constrain the route")
        sp.add_argument("--alternatives", type=int, default=2, metavar="K", help="alternatives per leg (default 2)")
        sp.add_argument(
            "--online", action="store_true", help="look names up online (Nominatim) when the gazetteer has none"
        )
        network_arg(sp)

    def network_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--network", metavar="N", default=None, help="network name or store path (default: the bundled network)"
        )

    b = sub.add_parser("build", help="write the map (HTML, PNG, SVG, PDF) or GeoJSON, KML, Markdown of a trip")
    trip_args(b)
    b.add_argument("-o", "--output", help="file or folder to write (default: output/<trip-slug>.<ext>)")
    b.add_argument(
        "--format", choices=sorted(FORMATS), help="what to write (default: from the extension of -o, else html)"
    )
    b.add_argument(
        "--tiles",
        default="osm",
        metavar="none|osm|URL",
        help="HTML basemap: OpenStreetMap's tiles (osm, the default), none (the page loads nothing; "
        "Natural Earth outlines are drawn instead) or your own tile server's {z}/{x}/{y} URL",
    )
    b.add_argument("--tiles-attribution", metavar="TEXT", help="the attribution of the tile server --tiles names")
    b.add_argument(
        "--leaflet",
        default="inline",
        metavar="inline|URL",
        help="HTML: Leaflet inlined into the page (default), or loaded from URL, a folder with leaflet.js and leaflet.css",
    )
    b.add_argument(
        "--self-contained", action="store_true", help="kept for old scripts: every page is self-contained now"
    )
    b.add_argument("--where", metavar="TIME", help="also draw where the train could have been at TIME")
    b.add_argument("--size", help="PNG/SVG/PDF page: A4 (default), A5, A4-landscape, 180x120 (mm), 1600x1000px")
    b.add_argument("--dpi", type=float, help="PNG resolution, dots per inch (default 150)")

    c = sub.add_parser("check", help="verdicts for every leg and claim")
    trip_args(c)
    c.add_argument("--json", action="store_true", help="print the machine-readable object")
    c.add_argument(
        "--fail-on",
        choices=("infeasible", "unknown"),
        default="infeasible",
        help="exit 1 on infeasible legs and contradicted claims (default), or also on unknown legs "
        "and unverifiable claims",
    )

    w = sub.add_parser("where", help="where the traveller could have been at a moment")
    trip_args(w)
    w.add_argument("--at", required=True, metavar="TIME", help="ISO time with zone, e.g. 2023-09-12T18:00+10:00")
    w.add_argument("--json", action="store_true")

    rt = sub.add_parser("route", help="the rail route between two places (names or LAT,LON)")
    rt.add_argument("start", metavar="FROM", help="a place name, or LAT,LON")
    rt.add_argument("end", metavar="TO", help="a place name, or LAT,LON")
    network_arg(rt)
    rt.add_argument("--alternatives", type=int, default=0, metavar="K", help="materially different alternatives")
    rt.add_argument(
        "--profile",
        choices=PROFILES,
        default="main",
        help="track the route may use: main (no yards or spurs, the default), all, electric",
    )
    rt.add_argument(
        "--no-turn-rules", action="store_true", help="ignore junction geometry (as routers and published km do)"
    )
    rt.add_argument("--json", action="store_true", help="print the machine-readable object")

    r = sub.add_parser("resolve", help="look place names up in the gazetteer")
    r.add_argument("names", nargs="+", metavar="NAME")
    r.add_argument("--near", metavar="PLACE", help="rank ambiguous names by closeness to this place")
    r.add_argument("--online", action="store_true", help="ask Nominatim when the gazetteer has no match")
    r.add_argument("--json", action="store_true")
    network_arg(r)

    network.add_parser(sub)
    extract.add_parser(sub)
    return p


def _parse_time(text: str) -> datetime:
    s = text.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        t = datetime.fromisoformat(s)
    except ValueError as err:
        raise TripError(f"cannot read time {text!r}; use ISO 8601 with a zone, e.g. 2023-09-12T18:00+10:00") from err
    if t.tzinfo is None:
        raise TripError(f"time {text!r} has no zone; add one, e.g. {text}+10:00")
    return t


def _geocoder(args: argparse.Namespace) -> object | None:
    if not getattr(args, "online", False):
        return None
    from ..places.online import NominatimGeocoder  # deferred: geopy is only needed online

    return NominatimGeocoder()


_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def _place_arg(text: str) -> str | tuple[float, float]:
    """A place name, or LAT,LON as a pair (checked for range)."""
    m = _LATLON.match(text)
    if not m:
        return text
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise TripError(f"{text!r}: latitude must be within ±90 and longitude within ±180 (give LAT,LON)")
    return lat, lon


def say_json(text: str) -> None:
    print(json_text(text))


def _event_rows(report) -> list[list[str]]:  # noqa: ANN001
    rows = [["place", "resolved to", "country", "resolved by"]]
    for i, ev in enumerate(report.trip.events):
        p = report.places[i]
        r = report.resolutions[i] if report.resolutions else None
        by = "—" if r is None else f"{r.method} {r.score:.2f}"
        if r is not None and r.method in ("fuzzy", "world", "online"):
            by += f" ({r.detail})"
        rows.append([ev.label, p.name, p.country or "—", by])
    return rows


def _format_for(args: argparse.Namespace) -> str:
    """The output format: --format, else the extension of -o, else html; a mismatch is an error."""
    suffix = ""
    if args.output and not args.output.endswith(("/", os.sep)) and not os.path.isdir(args.output):
        name = os.path.basename(args.output)
        suffix = next((ext for ext in sorted(FORMATS.values(), key=len, reverse=True) if name.endswith(ext)), "")
    by_ext = next((f for f, ext in FORMATS.items() if ext == suffix), None) if suffix else None
    if args.format and by_ext and args.format != by_ext:
        raise TripError(
            f"-o {args.output} ends in {suffix} but --format is {args.format}; "
            f"use a {FORMATS[args.format]} file or --format {by_ext}"
        )
    return args.format or by_ext or "html"


def _km_text(leg) -> str:  # noqa: ANN001
    if leg.km is None:
        return "—"
    lo, hi = leg.km
    return f"{lo:,.0f}" if round(hi) == round(lo) else f"~{lo:,.0f}–{hi:,.0f}"


def _leg_rows(report) -> list[list[str]]:  # noqa: ANN001
    """The legs table: a rail-only trip as before; with other modes a mode column, and an
    estimated length shown as ~lo–hi."""
    mixed = any(lv.leg.mode != "rail" for lv in report.legs)
    head = (
        ["from", "to", "mode", "km", "straight km", "verdict"]
        if mixed
        else ["from", "to", "rail km", "straight km", "verdict"]
    )
    rows = [head]
    for lv in report.legs:
        leg = lv.leg
        cells = [leg.start_name, leg.end_name] + ([leg.mode] if mixed else [])
        rows.append(cells + [_km_text(leg), f"{leg.straight_km:,.0f}", lv.verdict])
    return rows


def _confidence_rows(report) -> None:  # noqa: ANN001
    """The events, with how sure the trip file is of each, when it says (a drafted trip does)."""
    events = report.trip.events
    if not any(ev.confidence for ev in events):
        return
    say()
    say("events, as the trip file gives them:")
    rows = [["#", "place", "kind", "time", "confidence"]]
    for i, ev in enumerate(events, start=1):
        rows.append([str(i), ev.label, ev.kind, ev.time.text if ev.time else "—", ev.confidence or "—"])
    table(rows)
    low = sum(ev.confidence == "low" for ev in events)
    if low:
        say(
            f"  {low} event{'s' if low > 1 else ''} marked confidence: low — check against the report before relying on the verdicts"
        )


def _trip_and_network(args: argparse.Namespace):  # noqa: ANN202 - (Trip, RailNetwork)
    """The trip, and the network to route it on: --network, else the trip's ``network:``,
    else the bundled one."""
    trip = api.trip_from(args.trip)
    return trip, api.open_network(args.network or trip.network or None)


def _cmd_build(args: argparse.Namespace) -> int:
    trip, net = _trip_and_network(args)
    report = api.check_trip(
        trip,
        respect_claims=args.respect_claims,
        alternatives=args.alternatives,
        geocoder=_geocoder(args),
        network=net,
    )
    fmt = _format_for(args)
    path = output_path(args.output, report.trip.title, fmt)
    prism = None
    if args.where:
        try:
            prism = api.where(report, _parse_time(args.where))
        except ValueError as err:
            raise TripError(f"--where {args.where}: {err}") from err
    text: str | bytes
    if fmt not in IMAGE_FORMATS and (args.size or args.dpi):
        raise OptionError(f"--size and --dpi apply to png, svg and pdf, not {fmt}")
    if fmt not in ("html", "fragment") and (args.tiles != "osm" or args.tiles_attribution or args.leaflet != "inline"):
        raise OptionError(f"--tiles, --tiles-attribution and --leaflet apply to html and fragment, not {fmt}")
    if fmt in ("html", "fragment"):
        # deferred: folium is the costliest import, and only the map formats need it
        from ..present.folium import render_map
        from ..present.formats.html import to_fragment, to_html
        from ..present.tiles import tile_source

        tiles = tile_source(args.tiles, args.tiles_attribution)
        leaflet = None if args.leaflet == "inline" or fmt == "fragment" else args.leaflet
        m = render_map(report, net, prism=prism, tiles=tiles, leaflet=leaflet)
        text = to_html(m) if fmt == "html" else to_fragment(m)
    elif fmt in IMAGE_FORMATS:
        from ..present.formats.image import to_image  # deferred with the scene it draws

        text = to_image(report, net, fmt, size=args.size or "A4", dpi=args.dpi or 150, prism=prism)
    elif fmt == "geojson":
        from ..present.formats.geojson import to_geojson

        text = to_geojson(report, net)
    elif fmt == "kml":
        from ..present.formats.kml import to_kml  # deferred: its XML escaping imports urllib and ssl

        text = to_kml(report, net)
    else:
        from ..present.formats.markdown import to_markdown

        text = to_markdown(report, net)
    write_atomic(path, text)
    say(path)
    table(_leg_rows(report))
    for w in report.warnings:
        say(f"warning: {w}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    trip, net = _trip_and_network(args)
    report = api.check_trip(
        trip,
        respect_claims=args.respect_claims,
        alternatives=args.alternatives,
        geocoder=_geocoder(args),
        network=net,
    )
    bad_legs = {"infeasible"} | ({"unknown"} if args.fail_on == "unknown" else set())
    bad_claims = {"contradicted"} | ({"unverifiable"} if args.fail_on == "unknown" else set())
    bad = (
        any(lv.verdict in bad_legs for lv in report.legs)
        or any(s.verdict in bad_legs for s in report.spans)
        or any(c.verdict in bad_claims for c in report.claims)
    )
    # the writers are imported by the commands that write with them (the map needs none of them)
    from ..present.formats.json import report_to_json, summary
    from ..present.formats.markdown import summary_line

    if args.json:
        say_json(json.dumps(report_to_json(report, net), ensure_ascii=False, indent=2, allow_nan=False))
        return 1 if bad else 0
    say(report.trip.title)
    say()
    table(_event_rows(report))
    say()
    table(_leg_rows(report))
    if report.spans:
        say()
        say("timing, between timed events:")
        for s in report.spans:
            say(f"  {report.trip.events[s.start].label} → {report.trip.events[s.end].label}: {s.verdict} — {s.why}")
    for lv in report.legs:
        leg = lv.leg
        extra = []
        if leg.route is not None and leg.route.gauge_breaks:
            extra.append(f"bogies change at {', '.join(leg.route.gauge_breaks)}")
        if leg.note or lv.verdict == "unknown":
            extra.append(leg.note or lv.why)
        for n, alt in enumerate(leg.alternatives, start=1):
            via = ", ".join(net.name_of(x) for x in alt.via[:6])
            extra.append(f"alternative {n}: {alt.km:,.0f} km via {via}")
        if extra:
            say()
            say(f"  {leg.start_name} → {leg.end_name}:")
            for line in extra:
                say(f"    {line}")
    _confidence_rows(report)
    if report.claims:
        say()
        sure = any(c.claim.confidence for c in report.claims)
        head = ["claim", "verdict", "why"] + (["confidence"] if sure else [])
        table(
            [head]
            + [
                [c.claim.describe(), c.verdict, c.why] + ([c.claim.confidence or "—"] if sure else [])
                for c in report.claims
            ]
        )
    for w in report.warnings:
        say(f"warning: {w}")
    say()
    say(summary_line(summary(report)))
    for a in attribution(net):
        say(f"network {net.name}: {a}")
    return 1 if bad else 0


def _cmd_where(args: argparse.Namespace) -> int:
    at = _parse_time(args.at)
    trip, net = _trip_and_network(args)
    report = api.check_trip(
        trip,
        respect_claims=args.respect_claims,
        alternatives=0,
        geocoder=_geocoder(args),
        network=net,
    )
    try:
        w = api.where(report, at)
    except ValueError as err:
        raise TripError(f"--at {args.at}: {err}") from err
    if args.json:
        from ..present.formats.json import where_to_json

        say_json(json.dumps(where_to_json(w, report), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        say(f"At {w.at.isoformat()}: km {w.km_from_start[0]:,.0f}–{w.km_from_start[1]:,.0f} of {w.route_km:,.0f} km")
        say(f"  {w.why}")
    return 0


def _cmd_route(args: argparse.Namespace) -> int:
    if args.alternatives < 0:
        raise TripError(f"--alternatives {args.alternatives}: give 0 or more")
    net = api.open_network(args.network)
    plan = api.plan_route(
        net,
        _place_arg(args.start),
        _place_arg(args.end),
        k=args.alternatives,
        profile=args.profile,
        turn_rules=not args.no_turn_rules,
    )
    if args.json:
        from ..present.formats.route_json import route_to_json

        say_json(json.dumps(route_to_json(plan, net), ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    r = plan.route
    rules = "no turn rules" if args.no_turn_rules else "turn rules"
    say(f"{plan.start.name} → {plan.end.name}: {r.km:,.1f} km by rail ({plan.straight_km:,.1f} km straight)")
    say(f"  network {plan.network}, profile {plan.profile}, {rules}")
    if r.via:
        say(f"  via {', '.join(net.name_of(x) for x in r.via)}")
    say(f"  lines: {', '.join(r.lines) if r.lines else '—'}")
    if r.gauge_breaks:
        say(f"  bogies change at {', '.join(net.name_of(x) for x in r.gauge_breaks)}")
    if r.reversals:
        say(f"  reverses {r.reversals} time(s): at {', '.join(net.name_of(x) for x in r.reversed_at)}")
    for place, km in ((plan.start, plan.snap_km[0]), (plan.end, plan.snap_km[1])):
        if km > 0.05:
            say(f"  {place.name} lies {km:,.2f} km from the track; the route starts or ends at the nearest point")
    for n, alt in enumerate(plan.alternatives, start=1):
        via = ", ".join(net.name_of(x) for x in alt.via[:6])
        say(f"  alternative {n}: {alt.km:,.1f} km via {via}")
    for a in attribution(net):
        say(f"  network data: {a}")
    return 0


def _cmd_resolve(args: argparse.Namespace) -> int:
    """Answer every name that can be answered; report each failure on stderr; exit 2 if any failed."""
    results: list[tuple[str, list, str]] = []
    geocoder = _geocoder(args)
    for name in args.names:
        try:
            results.append((name, api.resolve([name], near=args.near, geocoder=geocoder, network=args.network)[0], ""))
        except PlaceNotFound as exc:
            results.append((name, [], str(exc)))
    if args.json:
        from ..present.formats.json import resolution_json

        out = [
            {
                "query": q,
                "matches": [
                    {
                        "name": m.place.name,
                        "id": m.place.id,
                        "lat": m.place.lat,
                        "lon": m.place.lon,
                        "kind": m.place.kind,
                        "country": m.place.country,
                        "tz": m.place.tz,
                        "score": round(m.score, 3),
                        "how": m.how,
                        "resolved_by": resolution_json(m.resolution),
                        "geonames_id": m.place.geonames_id,
                        "source": m.place.source,
                    }
                    for m in ms
                ],
                **({"error": e} if e else {}),
            }
            for q, ms, e in results
        ]
        say_json(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        rows = [["query", "match", "kind", "country", "lat", "lon", "score", "resolved by"]]
        for q, ms, _ in results:
            for n, m in enumerate(ms[:5]):
                rows.append(
                    [
                        q if n == 0 else "",
                        m.place.name,
                        m.place.kind,
                        m.place.country or "—",
                        f"{m.place.lat:.4f}",
                        f"{m.place.lon:.4f}",
                        f"{m.score:.2f}",
                        f"{m.method}: {m.how}",
                    ]
                )
        if len(rows) > 1:
            table(rows)
        for _, ms, _ in results:
            if ms and ms[0].note:
                say(f"note: {ms[0].note}", file=sys.stderr)
    failed = [e for _, _, e in results if e]
    for e in failed:
        print(error_line(e), file=sys.stderr)
    return 2 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    # What is loaded so far (numpy, shapely, routes: 30,000 objects the collector tracks)
    # lives as long as the process: kept out of the collector's sight while the command
    # runs, its collections look only at what the command makes (a map imports folium
    # meanwhile: this saves 20 ms of its 0.5 s). Cycles the command makes are still
    # collected; the objects are handed back when it ends.
    gc.freeze()
    try:
        return _main(argv)
    finally:
        gc.unfreeze()


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    level = (
        logging.ERROR
        if args.quiet
        else (logging.DEBUG if args.verbose > 1 else logging.INFO if args.verbose else logging.WARNING)
    )
    logger = logging.getLogger("routes")
    handler = _StderrHandler()
    handler.setFormatter(_VisibleFormatter("routes: %(levelname)s: %(message)s"))
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    try:
        return _run(args)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes (tests and workers redirect it)."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # noqa: ANN001
        pass


class _VisibleFormatter(logging.Formatter):
    """Log lines made :func:`~.term.visible`: a logged name from a trip cannot drive the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return visible(super().format(record))


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line like every other bad input."""

    def error(self, message: str) -> NoReturn:
        print(error_line(f"{message} (see {self.prog} --help)"), file=sys.stderr)
        raise SystemExit(2)


def _run(args: argparse.Namespace) -> int:
    handlers = {
        "build": _cmd_build,
        "check": _cmd_check,
        "where": _cmd_where,
        "resolve": _cmd_resolve,
        "network": network.run,
        "extract": extract.run,
        "route": _cmd_route,
    }
    try:
        return handlers[args.command](args)
    except RoutesError as err:
        print(error_line(err), file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `routes network info | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as err:  # the output cannot be written: a bad path is bad input too
        where = f" {err.filename}" if getattr(err, "filename", None) else ""
        print(error_line(f"cannot write{where}: {err.strerror or err}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("routes: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
