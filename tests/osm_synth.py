"""Synthetic OpenStreetMap extracts for the import's edge cases, written with pyosmium.

``Extract`` collects nodes, ways and relations (ids given out in order) and writes them
sorted, as real extracts are. ``edge_cases()`` builds the one the tests share: a line
through "Khabarovsk" with names in several scripts, a 3-way junction, a line crossing
without a shared node, a diamond crossing, a bridge over a named river, kilometre posts,
stations beside the track (with and without a stop_area), a train ferry, and a way cut at
the extract's edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import osmium
import osmium.io
from osmium.osm import mutable

from routes.geo import geodesic_km


@dataclass
class Extract:
    nodes: dict[int, tuple[float, float, dict[str, str]]] = field(default_factory=dict)
    ways: dict[int, tuple[list[int], dict[str, str]]] = field(default_factory=dict)
    relations: dict[int, tuple[list[tuple[str, int, str]], dict[str, str]]] = field(default_factory=dict)
    next_node: int = 1000
    next_way: int = 100

    def node(self, lat: float, lon: float, **tags: str) -> int:
        self.next_node += 1
        self.nodes[self.next_node] = (lat, lon, {k.replace("__", ":"): v for k, v in tags.items()})
        return self.next_node

    def line(self, points: list[tuple[float, float]]) -> list[int]:
        return [self.node(lat, lon) for lat, lon in points]

    def way(self, refs: list[int], **tags: str) -> int:
        self.next_way += 1
        self.ways[self.next_way] = (list(refs), {k.replace("__", ":"): v for k, v in tags.items()})
        return self.next_way

    def relation(self, members: list[tuple[str, int, str]], **tags: str) -> int:
        rid = 10 + len(self.relations)
        self.relations[rid] = (members, tags)
        return rid

    def write(self, path: Path, drop: set[int] = frozenset(), header: dict[str, str] | None = None) -> Path:  # type: ignore[assignment]
        """Write a PBF (or .osm by the suffix); nodes in ``drop`` are left out of the file
        (their ways still name them: an extract cut at its edge); ``header`` options go
        into the file's header, as Geofabrik's replication timestamp and sequence do."""
        path.unlink(missing_ok=True)
        h = osmium.io.Header()
        for k, v in (header or {}).items():
            h.set(k, v)
        w = osmium.SimpleWriter(str(path), 4 * 1024 * 1024, h)
        try:
            for nid in sorted(self.nodes):
                if nid in drop:
                    continue
                lat, lon, tags = self.nodes[nid]
                w.add_node(mutable.Node(id=nid, location=(lon, lat), tags=tags))
            for wid in sorted(self.ways):
                refs, tags = self.ways[wid]
                w.add_way(mutable.Way(id=wid, nodes=refs, tags=tags))
            for rid in sorted(self.relations):
                members, tags = self.relations[rid]
                w.add_relation(mutable.Relation(id=rid, members=members, tags=tags))
        finally:
            w.close()
        return path


def lons(lat: float, lon0: float, lon1: float, step: float = 0.01) -> list[tuple[float, float]]:
    n = round((lon1 - lon0) / step)
    return [(lat, round(lon0 + i * step, 6)) for i in range(n + 1)]


RAIL = {
    "railway": "rail",
    "gauge": "1520",
    "electrified": "contact_line",
    "voltage": "25000",
    "maxspeed": "120",
    "usage": "main",
}


@dataclass
class EdgeCases:
    ex: Extract
    main: list[int]  # the main line's nodes, west to east (lat 48.40, lon 134.80..135.40)
    khabarovsk: int
    junction: int
    branch_end: int
    crossing_line: list[int]
    diamond_line: list[int]
    far_east: list[int]  # the line beyond the ferry
    cut_way: int
    cut_missing: list[int]
    amurskaya: int
    stop_position: int
    lesnaya: int
    posts_km: dict[int, float]


def edge_cases() -> EdgeCases:
    ex = Extract()
    main = ex.line(lons(48.40, 134.80, 135.40))
    at = {round(ex.nodes[n][1], 2): n for n in main}
    kh = at[134.9]
    ex.nodes[kh][2].update(
        {
            "railway": "station",
            "name": "Хабаровск",
            "name:en": "Khabarovsk",
            "name:zh": "伯力",
            "name:ko": "하바롭스크",
            "old_name": "Хабаровка",
            "alt_name": "Khabarovsk-1;Хабаровск-1",
        }
    )
    # kilometre posts every 0.01° (≈ 740 m) west of the river: posted 0.3 % longer than drawn
    posts: dict[int, float] = {}
    km = 8000.0
    prev = None
    for n in main:
        lat, lon, tags = ex.nodes[n]
        if lon > 135.0:
            break
        if prev is not None:
            km += geodesic_km(ex.nodes[prev][0], ex.nodes[prev][1], lat, lon) * 1.003
        if "railway" not in tags:
            tags.update({"railway": "milestone", "railway:position": f"{km:.3f}"})
            posts[n] = km
        prev = n
    # the main line's ways: west part, a bridge over the Ussuri (135.00-135.01), the east part
    i0, i1 = main.index(at[135.0]), main.index(at[135.01])
    ex.way(main[: i0 + 1], **RAIL, ref="9100", name="Транссиб")
    ex.way(main[i0 : i1 + 1], **RAIL, ref="9100", bridge="yes", layer="1")
    ex.way(main[i1:], **RAIL, ref="9100")
    river = ex.line([(48.30, 135.005), (48.40, 135.0052), (48.50, 135.005)])
    ex.way(river, waterway="river", name="Уссури", name__en="Ussuri")
    # a 3-way junction at 135.10: a branch to the north-east
    junction = at[135.1]
    branch = [junction] + ex.line([(48.40 + 0.01 * k, 135.10 + 0.01 * k) for k in range(1, 11)])
    ex.way(branch, **RAIL, ref="9200")
    # a line crossing the main line at 135.20 without a shared node (on a bridge)
    crossing = ex.line([(48.30 + 0.01 * k, 135.2049) for k in range(0, 21)])
    ex.way(crossing[:9], **RAIL)
    ex.way(crossing[8:13], **RAIL, bridge="yes", layer="1")
    ex.way(crossing[12:], **RAIL)
    # a diamond crossing at 135.30: a shared node tagged railway=railway_crossing
    dc = at[135.3]
    ex.nodes[dc][2]["railway"] = "railway_crossing"
    diamond = ex.line([(48.30 + 0.01 * k, 135.30) for k in range(0, 10)]) + [dc]
    diamond += ex.line([(48.41 + 0.01 * k, 135.30) for k in range(0, 10)])
    ex.way(diamond, **RAIL)
    # a station beside the track in a stop_area (its stop position on the main line at 135.06)
    amurskaya = ex.node(48.403, 135.05, railway="station", name="Амурская", name__en="Amurskaya")
    stop = at[135.06]
    ex.nodes[stop][2].update({"railway": "stop", "public_transport": "stop_position", "train": "yes"})
    ex.relation([("n", amurskaya, "station"), ("n", stop, "stop")], public_transport="stop_area", name="Амурская")
    # a station beside the track with no stop_area: 200 m south of the line at 135.355
    lesnaya = ex.node(48.3982, 135.355, railway="halt", name="Лесная", name__en="Lesnaya")
    # a train ferry from the main line's east end over the water to a line beyond
    far = ex.line(lons(48.40, 135.45, 135.60))
    ex.way(far, **RAIL, ref="9300")
    ferry = ex.line([(48.4003, 135.402), (48.4003, 135.448)])
    ex.way(ferry, route="ferry", railway="ferry", name="Паром")
    # a way cut at the extract's edge: its last three nodes are not in the file
    west = ex.line([(48.40, 134.79 - 0.01 * k) for k in range(0, 6)])
    cut = ex.way([main[0]] + west, **RAIL, ref="9400")
    return EdgeCases(
        ex=ex,
        main=main,
        khabarovsk=kh,
        junction=junction,
        branch_end=branch[-1],
        crossing_line=crossing,
        diamond_line=diamond,
        far_east=far,
        cut_way=cut,
        cut_missing=west[3:],
        amurskaya=amurskaya,
        stop_position=stop,
        lesnaya=lesnaya,
        posts_km=posts,
    )
