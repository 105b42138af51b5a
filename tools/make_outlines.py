"""Write gazetteer/outlines.geojson: the basemap of the printed maps and of ``--tiles none``.

Natural Earth 1:50m (public domain): coastlines (islets shorter than ``--min-coast`` degrees
left out), land boundaries between countries, the rivers and lake centrelines of scale rank ``--max-rank`` or less (the major ones), and the
lakes of that rank or less. Each line is simplified (Douglas-Peucker, ``--tolerance``
degrees) and its coordinates rounded to ``--decimals``, so the whole world stays small
enough to ship in the wheel. Features keep only ``kind`` (coast | border | river | lake)
and, for rivers and lakes, ``name``.

The input is Natural Earth's own GeoJSON conversion (ogr2ogr) of the 1:50m themes, the
four files ``ne_50m_coastline.json``, ``ne_50m_admin_0_boundary_lines_land.json``,
``ne_50m_rivers_lake_centerlines.json`` and ``ne_50m_lakes.json`` in one folder::

    python tools/make_outlines.py --ne PATH/TO/FOLDER

The files used for gazetteer/outlines.geojson (SHA-256)::

    e9a7368b91dfdc70cfa7838621bf7f47602d0ab6bc57f16de6e66db13199db05  ne_50m_coastline.json
    8a56b3066716fe013eac9fffd93ca58a74f77c326e7f5733d8919abbade1c1b5  ne_50m_admin_0_boundary_lines_land.json
    8878c9b0dcf10c92b631408f92b599b320517561a3cc83f40e2024050255af5f  ne_50m_rivers_lake_centerlines.json
    eefade02355ffc5d48a6a001804fb28e01a56c12fe844af937307a00d0d1f62d  ne_50m_lakes.json

Provenance and licence: gazetteer/SOURCES.md (Natural Earth, public domain).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape

THEMES = (
    ("coast", "ne_50m_coastline.json", False),
    ("border", "ne_50m_admin_0_boundary_lines_land.json", False),
    ("river", "ne_50m_rivers_lake_centerlines.json", True),
    ("lake", "ne_50m_lakes.json", True),
)


def _round(coords: Any, decimals: int) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_round(c, decimals) for c in coords]


def outlines(folder: Path, tolerance: float, decimals: int, max_rank: int, min_coast: float) -> dict[str, Any]:
    feats = []
    for kind, name, ranked in THEMES:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        for f in data["features"]:
            props = f["properties"] or {}
            if f["geometry"] is None or (ranked and (props.get("scalerank") is None or props["scalerank"] > max_rank)):
                continue
            geom = shape(f["geometry"]).simplify(tolerance, preserve_topology=True)
            if geom.is_empty or (kind == "lake" and geom.area < tolerance * tolerance * 4):
                continue
            if kind == "coast" and geom.length < min_coast:
                continue  # an islet: a dot at the scales these maps are drawn
            g = mapping(geom)
            out: dict[str, Any] = {"kind": kind}
            if ranked and props.get("name"):
                out["name"] = props["name"]
            feats.append(
                {
                    "type": "Feature",
                    "properties": out,
                    "geometry": {"type": g["type"], "coordinates": _round(g["coordinates"], decimals)},
                }
            )
    feats.sort(key=lambda f: (f["properties"]["kind"], json.dumps(f["geometry"]["coordinates"][:1])))
    return {"type": "FeatureCollection", "features": feats}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ne", type=Path, required=True, help="folder with the four Natural Earth 1:50m GeoJSON files")
    ap.add_argument("--tolerance", type=float, default=0.025, help="simplification, degrees (default 0.025)")
    ap.add_argument("--decimals", type=int, default=2, help="coordinate decimals (default 2)")
    ap.add_argument("--max-rank", type=int, default=5, help="largest scale rank of rivers and lakes kept (default 5)")
    ap.add_argument("--min-coast", type=float, default=0.4, help="shortest coastline kept, degrees (default 0.4)")
    ap.add_argument("-o", type=Path, default=Path("gazetteer/outlines.geojson"))
    args = ap.parse_args()
    fc = outlines(args.ne, args.tolerance, args.decimals, args.max_rank, args.min_coast)
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    # one feature per line: readable diffs, still compact
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    args.o.write_text(text + "\n", encoding="utf-8")
    print(f"{args.o}: {len(fc['features'])} features, {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main()
