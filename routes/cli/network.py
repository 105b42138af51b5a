"""``routes network import | list | info | remove``: the networks routes can route on."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .. import api
from ..errors import RoutesError
from ..routing.rail import BUNDLED, network_info
from ..sources.osm import TRACK_OPTIONAL
from .term import json_text, say, table

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    n = sub.add_parser("network", help="import, list, describe and remove rail networks")
    nsub = n.add_subparsers(dest="network_command", required=True, metavar="SUBCOMMAND")
    imp = nsub.add_parser("import", help="import an OpenStreetMap extract (.osm.pbf) as a named network")
    imp.add_argument("extract", metavar="EXTRACT", help="an OpenStreetMap extract: .osm.pbf (or .osm, .osm.bz2)")
    imp.add_argument("--name", metavar="N", help="the network's name (default: the file's name before its first dot)")
    imp.add_argument("--replace", action="store_true", help="overwrite a network of the same name")
    imp.add_argument(
        "--include",
        action="append",
        choices=TRACK_OPTIONAL,
        default=[],
        metavar="KIND",
        help=f"also import railway=KIND track ({', '.join(TRACK_OPTIONAL)}); repeat for several",
    )
    imp.add_argument("--json", action="store_true", help="print the import's manifest as JSON")
    lst = nsub.add_parser("list", help="the networks imported into the user data folder")
    lst.add_argument("--json", action="store_true")
    info = nsub.add_parser("info", help="lines, km, stations, components, sources")
    info.add_argument("name", nargs="?", metavar="N", help="network name or store path (default: bundled)")
    info.add_argument("--json", action="store_true")
    rm = nsub.add_parser("remove", help="delete an imported network")
    rm.add_argument("name", metavar="N")


def _import(args: argparse.Namespace) -> int:
    kinds = ("rail", "narrow_gauge", *dict.fromkeys(args.include))
    done = api.import_network(args.extract, args.name, replace=args.replace, kinds=kinds)
    info = network_info(done.net)
    if args.json:
        out = {"network": done.net.name, "path": str(done.net.path), "seconds": done.seconds, **done.manifest}
        print(json_text(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False)))
        return 0
    c = done.manifest["counts"]
    say(f"imported {done.manifest['file']} as network '{done.net.name}' in {done.seconds['total']:.1f} s")
    say(f"  {done.net.path}")
    say(
        f"  {info['total_km']:,.0f} km of track ({info['ferry_km']:,.0f} km by train ferry), "
        f"{c['stations']:,} stations, {c['gazetteer_entries']:,} names in its gazetteer, "
        f"{len(info['components']):,} connected components"
    )
    say(
        f"  {c['track_ways']:,} track ways, {c['missing_node_refs']:,} node references missing from the extract "
        f"({c['ways_cut_at_the_edge']:,} ways cut at its edge), {c['kilometre_posts_used']:,} kilometre posts used"
    )
    say(f"  data: {'; '.join(done.manifest['attribution'])}")
    return 0


def _list(args: argparse.Namespace) -> int:
    names = api.list_networks()
    rows: list[dict[str, Any]] = []
    for name in names:
        try:
            net = api.open_network(name)
        except RoutesError as err:  # a damaged store is listed, with what is wrong
            rows.append({"name": name, "error": str(err)})
            continue
        src = net.meta.get("source") or {}
        rows.append(
            {
                "name": name,
                "file": src.get("file", ""),
                "timestamp": src.get("timestamp", ""),
                "km": round(float(net.a.e_km.sum()), 1),
                "stations": int(src.get("counts", {}).get("stations", 0)),
                "imported": src.get("imported", ""),
                "path": str(net.path),
            }
        )
    if args.json:
        print(json_text(json.dumps(rows, ensure_ascii=False, indent=2, allow_nan=False)))
        return 0
    table(
        [["network", "from", "data as of", "km", "stations"], [BUNDLED, "gazetteer/", "—", "—", "—"]]
        + [
            [
                r["name"],
                r.get("file", ""),
                r.get("timestamp") or "—",
                f"{r.get('km', 0):,.0f}",
                f"{r.get('stations', 0):,}",
            ]
            if "error" not in r
            else [r["name"], r["error"], "", "", ""]
            for r in rows
        ]
    )
    return 0


def _info(args: argparse.Namespace) -> int:
    info = network_info(api.open_network(args.name))
    if args.json:
        print(json_text(json.dumps(info, ensure_ascii=False, indent=2, allow_nan=False)))
        return 0
    lines = info["lines"]
    rows = [["line", "gauge", "rail km", "drawn km", "km posts", "stations"]]
    for line in lines[:200]:
        rows.append(
            [
                line["name"],
                line["gauge"],
                f"{line['km']:,.0f}",
                f"{line['geometry_km']:,.0f}",
                str(line["kilometre_posts"]),
                str(line["stations"]),
            ]
        )
    table(rows)
    if len(lines) > 200:
        say(f"… and {len(lines) - 200:,} more lines (--json lists them all)")
    say()
    say(
        f"total: {info['total_km']:,.0f} km of line by rail ({info['total_geometry_km']:,.0f} km as drawn), "
        f"{info['stations']} stations and junctions"
    )
    say(
        f"routing graph: {info['routing_nodes']} nodes, {info['routing_edges']} edges after contracting degree-2 chains"
    )
    comps = info["components"]
    shown = ", ".join(str(x) for x in comps[:20]) + (f", … ({len(comps):,} in all)" if len(comps) > 20 else "")
    say(f"connected components (stations each): [{shown}]")
    src = info["source"]
    if src.get("kind") == "OpenStreetMap import":
        say(
            f"imported from {src.get('file')} (data as of {src.get('timestamp') or 'not stated'}"
            f"{', replication sequence ' + str(src['replication_sequence']) if src.get('replication_sequence') else ''})"
        )
        say(f"  track: {', '.join('railway=' + k for k in src.get('track_kinds', []))}; train ferries")
    else:
        say("turn rules (junction geometry) per line:")
        for line in lines:
            say(f"  {line['id']}: {line['turn_rules']}")
        say("sources: see gazetteer/SOURCES.md; per line:")
        for s in info["sources"]:
            say(f"  {s}")
    for a in info["attribution"]:
        say(f"data: {a}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    path = api.remove_network(args.name)
    say(f"removed network '{args.name}' ({path})")
    return 0


def run(args: argparse.Namespace) -> int:
    return {"import": _import, "list": _list, "info": _info, "remove": _remove}[args.network_command](args)
