"""Bridges found where a rail line crosses a named river (computed, with provenance)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..dirs import cache_dir, write_cache
from ..geo import haversine_km
from ..model import Place
from ..sources.bundled import Area, LineFeature, load_lines, load_places, load_rivers, source_files

__all__ = ["river_crossings", "bundled_crossings"]

log = logging.getLogger(__name__)


def river_crossings(river: Area, lines: Sequence[LineFeature], places: Mapping[str, Place]) -> tuple[Place, ...]:
    """Where the ``lines`` cross ``river``: one bridge place per crossing, named after the
    nearest station the line lists, with the provenance of both geometries."""
    out: list[Place] = []
    for line in lines:
        geom = shapely.linestrings(np.array([(v.lon, v.lat) for v in line.vertices]))
        inter = geom.intersection(river.geometry)
        if inter.is_empty:
            continue
        pts = [inter] if inter.geom_type == "Point" else list(getattr(inter, "geoms", []))
        pts = sorted((g for g in pts if g.geom_type == "Point"), key=geom.project)
        for i, pt in enumerate(pts, start=1):
            near = min(
                (v for v in line.vertices if v.ref),
                key=lambda v: haversine_km(v.lat, v.lon, pt.y, pt.x),
            )
            station = places[near.ref] if near.ref else None
            by = f" near {station.name}" if station else ""
            out.append(
                Place(
                    id=f"bridge:{river.id}:{line.id}:{i}",
                    name=f"{river.name} rail bridge{by}",
                    kind="bridge",
                    lat=round(pt.y, 5),
                    lon=round(pt.x, 5),
                    country=station.country if station else "",
                    tz=station.tz if station else "UTC",
                    aliases=(f"{river.name} bridge",),
                    source=(
                        f"computed: where {line.name} (gazetteer/lines/{line.id}.csv) crosses the "
                        f"{river.name} ({river.source})"
                    ),
                    extra=(("line", line.id), ("line_name", line.name), ("river", river.id)),
                )
            )
    names = [p.name for p in out]
    out = [replace(p, name=f"{p.name} ({p.meta('line_name')})") if names.count(p.name) > 1 else p for p in out]
    return tuple(out)


def bundled_crossings(river_id: str) -> tuple[Place, ...]:
    """:func:`river_crossings` of the bundled river ``river_id`` with the bundled lines.

    Computed for every river at once and kept in the cache folder under a hash of the
    files and the code the bridges come from (a changed file gets new bridges: the cache
    cannot go stale), so that a run that names a bridge by its river does not read the
    lines' 6,000 vertices. An unreadable cache file is computed again.
    """
    path = cache_dir() / "bridges" / f"{_key()[:32]}.json"
    found = _read(path)
    if found is None:
        places = {p.id: p for p in load_places()}
        lines = load_lines()
        found = {r.id: river_crossings(r, lines, places) for r in load_rivers()}
        _write(path, found)
    return found.get(river_id, ())


def _key() -> str:
    h = hashlib.sha256(b"bridges 1\0")
    here = Path(__file__).parent
    for code in (here / "bridges.py", here.parent / "sources" / "bundled.py", here.parent / "model.py"):
        h.update(code.name.encode() + b"\0" + code.read_bytes())
    for f in source_files("rivers.geojson"):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _read(path: Path) -> dict[str, tuple[Place, ...]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            river: tuple(
                Place(**{**p, "aliases": tuple(p["aliases"]), "extra": tuple(tuple(x) for x in p["extra"])})
                for p in places
            )
            for river, places in data.items()
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:
        if not isinstance(err, FileNotFoundError):
            log.debug("bridges cache %s unreadable (%s): computed again", path, err)
        return None


def _write(path: Path, found: Mapping[str, Sequence[Place]]) -> None:
    data: dict[str, Any] = {river: [asdict(p) for p in places] for river, places in found.items()}
    write_cache(path, json.dumps(data, ensure_ascii=False))
