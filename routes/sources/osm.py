"""Read the railway subset of an OpenStreetMap extract (``.osm.pbf``, ``.osm``, ...) with pyosmium.

One streaming pass, filtered in C++ so that Python sees only what it keeps: railway ways
(and train ferries, and named waterways for bridges), station, stop, crossing and
kilometre-post nodes, and ``stop_area`` relations. Ways arrive with their nodes'
coordinates from libosmium's sparse location index (16 bytes per node of the extract,
filled in C++ as the nodes stream past); no Python code runs per node.

Measured before choosing (``python benchmarks/osm_import.py --strategies``): on the real
Cologne extract, a second pass that fetches only the ways' nodes through an ``IdFilter``
took 0.88 s and 1.36 GB, because libosmium's id sets are bitmaps over the whole id range
(13 digits today), and ``osmium tags-filter`` itself takes 1.5 GB for the same reason;
this one pass took 0.11 s and 55 MB. A Python ``node()`` callback on every node is 11
times slower than the C++ filter on the synthetic 5-million-node extract. So memory grows
with the extract's node count (16 bytes a node), not with its id range.

pyosmium is an optional dependency (``pip install "routes-rail[osm]"``); a missing one is
an :class:`OsmError` naming the extra, never an import-time failure.
"""

from __future__ import annotations

import logging
import math
import os
import time
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError

__all__ = [
    "OsmError",
    "OsmWays",
    "OsmExtract",
    "TRACK_DEFAULT",
    "TRACK_OPTIONAL",
    "read_extract",
    "clean_name",
    "station_tags",
    "is_station",
    "is_stop",
]

log = logging.getLogger(__name__)

TRACK_DEFAULT = ("rail", "narrow_gauge")
TRACK_OPTIONAL = ("light_rail", "subway", "tram")
WATERWAYS = ("river", "canal", "stream", "tidal_channel")
WAY_TAGS = (
    "railway",
    "route",
    "gauge",
    "electrified",
    "voltage",
    "maxspeed",
    "usage",
    "service",
    "name",
    "ref",
    "bridge",
    "bridge:name",
    "tunnel",
    "layer",
    "train",
)
NODE_TAGS = (
    "railway",
    "public_transport",
    "train",
    "station",
    "usage",
    "name",
    "old_name",
    "alt_name",
    "official_name",
    "short_name",
    "railway:position",
    "railway:position:exact",
    "railway:ref",
    "uic_ref",
)
STATION_RAILWAY = ("station", "halt", "junction")


class OsmError(DataError):
    """An extract cannot be read: not OpenStreetMap data, truncated, or pyosmium missing."""


def _osmium() -> Any:
    try:
        import osmium  # noqa: PLC0415 - optional extra, looked for at run time
    except ImportError as err:
        raise OsmError(
            'reading OpenStreetMap extracts needs pyosmium: pip install "routes-rail[osm]" '
            '(from a clone: pip install ".[osm]")'
        ) from err
    return osmium


@dataclass(frozen=True, eq=False)
class OsmWays:
    """Ways as flat arrays: way ``k`` has node ids ``refs[offsets[k]:offsets[k+1]]``."""

    ids: np.ndarray
    offsets: np.ndarray
    refs: np.ndarray
    tags: tuple[Mapping[str, str], ...]

    def __len__(self) -> int:
        return len(self.ids)

    def nodes(self, k: int) -> np.ndarray:
        return self.refs[int(self.offsets[k]) : int(self.offsets[k + 1])]


@dataclass(frozen=True, eq=False)
class OsmExtract:
    """The railway subset of an extract, and what the file says about itself."""

    path: Path
    header: Mapping[str, Any]
    track: OsmWays  # railway ways of the kinds asked for, and train ferries
    waterways: OsmWays  # named rivers, canals and streams
    node_ids: np.ndarray  # sorted ids of every node the ways use that the file holds
    node_lat: np.ndarray
    node_lon: np.ndarray
    tagged: Mapping[int, Mapping[str, str]]  # stations, stops, junctions, kilometre posts
    tagged_lat: Mapping[int, float] = field(default_factory=dict)
    tagged_lon: Mapping[int, float] = field(default_factory=dict)
    stop_areas: tuple[tuple[Mapping[str, str], tuple[int, ...]], ...] = ()  # (tags, node members)
    kinds: tuple[str, ...] = TRACK_DEFAULT
    counts: Mapping[str, int] = field(default_factory=dict)

    def locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into the node arrays, present?) for node ids; the index is 0 where absent."""
        if not len(self.node_ids):
            return np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
        pos = np.minimum(np.searchsorted(self.node_ids, ids), len(self.node_ids) - 1)
        ok = self.node_ids[pos] == ids
        return np.where(ok, pos, 0), ok


def clean_name(text: str, limit: int = 200) -> str:
    r"""A name from OSM as plain text: control and format characters dropped, whitespace
    collapsed, at most ``limit`` characters (the longest place name routes looks up).

    >>> clean_name("Köln\u202e Hbf\x00 ")
    'Köln Hbf'
    """
    kept = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(kept.split())[:limit]


def is_stop(tags: Mapping[str, str]) -> bool:
    """A stopping position of trains: ``railway=stop``, or a ``public_transport=stop_position``
    with ``train=yes``."""
    return tags.get("railway") == "stop" or (
        tags.get("public_transport") == "stop_position" and tags.get("train") in ("yes", "designated")
    )


def is_station(tags: Mapping[str, str]) -> bool:
    """``railway=station|halt|junction``, or ``public_transport=station`` with ``train=yes``."""
    if tags.get("railway") in STATION_RAILWAY:
        return True
    return tags.get("public_transport") == "station" and tags.get("train") in ("yes", "designated")


def station_tags(tags: Iterable[Any]) -> dict[str, str]:
    """The tags of a node routes keeps: what it is, its kilometre post, and every name."""
    out = {}
    for t in tags:
        k = t.k
        if k in NODE_TAGS or k.startswith("name:") or k.startswith("old_name:") or k.startswith("alt_name:"):
            out[k] = t.v
    return out


def _is_track(tags: Mapping[str, str], kinds: tuple[str, ...]) -> bool:
    r = tags.get("railway")
    if r in kinds or r == "ferry":
        return True
    # a ferry route carrying trains
    return tags.get("route") == "ferry" and (bool(r) or tags.get("train") in ("yes", "designated"))


def _header(fp: Any, path: Path) -> dict[str, Any]:
    h = fp.header
    out: dict[str, Any] = {"file": path.name, "bytes": path.stat().st_size}
    for key, name in (
        ("osmosis_replication_timestamp", "timestamp"),
        ("timestamp", "timestamp"),
        ("osmosis_replication_sequence_number", "replication_sequence"),
        ("osmosis_replication_base_url", "replication_url"),
        ("generator", "generator"),
    ):
        v = h.get(key, "")
        if v and name not in out:
            out[name] = v
    box = h.box()
    if box.valid():
        out["bbox"] = [box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat]
    return out


def _filters(osmium: Any, kinds: tuple[str, ...]) -> tuple[Any, ...]:
    from osmium.filter import TagFilter  # noqa: PLC0415 - with the optional extra
    from osmium.osm import NODE, RELATION, WAY  # noqa: PLC0415

    node_pairs = [("railway", v) for v in (*STATION_RAILWAY, "milestone", "stop", "railway_crossing")]
    node_pairs += [("public_transport", "station"), ("public_transport", "stop_position")]
    way_pairs = [("railway", v) for v in (*kinds, "ferry")] + [("route", "ferry")]
    way_pairs += [("waterway", v) for v in WATERWAYS]
    nodes, ways, relations = TagFilter(*node_pairs), TagFilter(*way_pairs), TagFilter(("public_transport", "stop_area"))
    nodes.enable_for(NODE)  # each filter drops only the objects of its own type
    ways.enable_for(WAY)
    relations.enable_for(RELATION)
    return nodes, ways, relations


def filter_description(kinds: tuple[str, ...]) -> dict[str, list[str]]:
    """The filter an import used, for its manifest."""
    return {
        "ways": [f"railway={k}" for k in (*kinds, "ferry")]
        + ["route=ferry with a railway or train tag"]
        + [f"waterway={w} with a name" for w in WATERWAYS],
        "nodes": [f"railway={v}" for v in (*STATION_RAILWAY, "milestone", "stop", "railway_crossing")]
        + ["public_transport=station|stop_position"],
        "relations": ["public_transport=stop_area"],
    }


class _Ways:
    def __init__(self, with_coords: bool) -> None:
        self.ids = array("q")
        self.offsets = array("q", [0])
        self.refs = array("q")
        self.lat = array("d")
        self.lon = array("d")
        self.tags: list[dict[str, str]] = []

    def add(self, w: Any, tags: dict[str, str]) -> None:
        self.ids.append(w.id)
        for n in w.nodes:
            self.refs.append(n.ref)
            loc = n.location
            if loc.valid():
                self.lat.append(loc.lat)
                self.lon.append(loc.lon)
            else:  # the extract lacks this node (cut at its edge)
                self.lat.append(math.nan)
                self.lon.append(math.nan)
        self.offsets.append(len(self.refs))
        self.tags.append(tags)

    def freeze(self) -> OsmWays:
        return OsmWays(
            np.frombuffer(self.ids, dtype=np.int64).copy(),
            np.frombuffer(self.offsets, dtype=np.int64).copy(),
            np.frombuffer(self.refs, dtype=np.int64).copy(),
            tuple(self.tags),
        )

    def coords(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.frombuffer(self.refs, dtype=np.int64),
            np.frombuffer(self.lat, dtype=float),
            np.frombuffer(self.lon, dtype=float),
        )


def _node_table(*ways: _Ways) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted ids of the nodes the ways use that the extract holds, with their coordinates."""
    parts = [w.coords() for w in ways]
    ids = np.concatenate([p[0] for p in parts])
    lat = np.concatenate([p[1] for p in parts])
    lon = np.concatenate([p[2] for p in parts])
    ok = np.isfinite(lat)
    uniq, first = np.unique(ids[ok], return_index=True)
    return uniq, lat[ok][first], lon[ok][first]


def _read(osmium: Any, path: Path, kinds: tuple[str, ...]) -> dict[str, Any]:
    fp = osmium.FileProcessor(str(path)).with_locations("sparse_mem_array")
    for f in _filters(osmium, kinds):
        fp = fp.with_filter(f)
    header = _header(fp, path)
    track, water = _Ways(True), _Ways(True)
    tagged: dict[int, dict[str, str]] = {}
    lat: dict[int, float] = {}
    lon: dict[int, float] = {}
    stop_areas: list[tuple[dict[str, str], tuple[int, ...]]] = []
    seen = 0
    for o in fp:
        seen += 1
        if o.is_node():
            tags = station_tags(o.tags)
            if is_station(tags) or is_stop(tags) or tags.get("railway") in ("milestone", "railway_crossing"):
                tagged[o.id] = tags
                if o.location.valid():
                    lat[o.id], lon[o.id] = o.location.lat, o.location.lon
        elif o.is_way():
            if len(o.nodes) < 2:
                continue
            if _is_track(o.tags, kinds):
                track.add(o, {k: o.tags[k] for k in WAY_TAGS if k in o.tags})
            elif o.tags.get("waterway") in WATERWAYS and "name" in o.tags:
                water.add(
                    o, {t.k: t.v for t in o.tags if t.k == "name" or t.k.startswith("name:") or t.k == "waterway"}
                )
        elif o.is_relation():
            members = tuple(m.ref for m in o.members if m.type == "n")
            stop_areas.append(({k: o.tags[k] for k in ("name", "public_transport") if k in o.tags}, members))
    node_ids, node_lat, node_lon = _node_table(track, water)
    return {
        "header": header,
        "track": track.freeze(),
        "water": water.freeze(),
        "nodes": (node_ids, node_lat, node_lon),
        "tagged": tagged,
        "lat": lat,
        "lon": lon,
        "stop_areas": tuple(stop_areas),
        "seen": seen,
    }


def read_extract(path: str | os.PathLike[str], kinds: tuple[str, ...] = TRACK_DEFAULT) -> OsmExtract:
    """The railway subset of the extract at ``path`` (see the module docstring).

    ``kinds`` are the ``railway=*`` values read as track (``rail`` and ``narrow_gauge`` by
    default; ``light_rail``, ``subway`` and ``tram`` on request).

    Raises
    ------
    OsmError
        The file is missing, not OpenStreetMap data, or damaged (a truncated PBF).
    """
    p = Path(path)
    if not p.is_file():
        raise OsmError(f"no extract at {p}")
    bad = [k for k in kinds if k not in TRACK_DEFAULT + TRACK_OPTIONAL]
    if bad:
        raise OsmError(f"railway={bad[0]} is not a kind of track routes imports (use {', '.join(TRACK_OPTIONAL)})")
    osmium = _osmium()
    t0 = time.perf_counter()
    try:
        first = _read(osmium, p, kinds)
        node_ids, node_lat, node_lon = first["nodes"]
    except RuntimeError as err:
        raise OsmError(f"{p.name} is not a readable OpenStreetMap extract: {_why(err)}") from err
    track: OsmWays = first["track"]
    water: OsmWays = first["water"]
    counts = {
        "objects_matched": int(first["seen"]),
        "track_ways": len(track),
        "waterways": len(water),
        "way_nodes": len(node_ids),
        "way_node_refs": len(track.refs) + len(water.refs),
        "tagged_nodes": len(first["tagged"]),
        "stop_areas": len(first["stop_areas"]),
    }
    log.info("read %s in %.2f s: %s", p.name, time.perf_counter() - t0, counts)
    return OsmExtract(
        path=p,
        header=first["header"],
        track=track,
        waterways=water,
        node_ids=node_ids,
        node_lat=node_lat,
        node_lon=node_lon,
        tagged=first["tagged"],
        tagged_lat=first["lat"],
        tagged_lon=first["lon"],
        stop_areas=first["stop_areas"],
        kinds=tuple(kinds),
        counts=counts,
    )


def _why(err: RuntimeError) -> str:
    text = str(err).strip() or type(err).__name__
    if "unexpected EOF" in text or "truncated" in text:
        return f"the file ends early ({text}); download it again"
    if "format" in text and "detect" in text:
        return f"{text}; routes reads .osm.pbf, .osm and .osm.bz2 files"
    return text
