"""A synthetic OpenStreetMap extract, written with pyosmium, for benchmarks/osm_import.py.

Shaped like a regional extract: most ways are roads and buildings (no railway tag), a few
percent are railways; most nodes carry no tags. Everything comes from ``seed``.

* railway lines: random walks of nodes about 100 m apart, each split into ways of about
  ten nodes that share their end nodes; a new line starts at a node of an earlier one
  (a junction), some lines are ``service=yard``; stations on the lines (some off the
  track, in a ``stop_area``), kilometre posts every 10th node, a bridge over a river;
* other ways: short ways over their own nodes, some sharing a node with the previous one,
  tagged ``highway=*`` or ``building=yes``; 5 % of nodes carry a tag.

Node ids are written in order, then way ids, then relations: a sorted file, as extracts are.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium
from osmium.osm import mutable

__all__ = ["write_synthetic"]

RAIL_WAY_NODES = 10
OTHER_WAY_NODES = 8
STEP_DEG = 0.001  # about 100 m


def write_synthetic(
    path: Path, nodes: int = 5_000_000, ways: int = 600_000, rail_ways: int = 30_000, seed: int = 7
) -> dict[str, int]:
    """Write the extract to ``path`` (PBF); returns its counts."""
    rng = np.random.default_rng(seed)
    n_lines = max(1, rail_ways // 100)
    per_line = rail_ways // n_lines
    rail_nodes_per_line = per_line * (RAIL_WAY_NODES - 1) + 1
    n_rail_nodes = n_lines * rail_nodes_per_line
    n_other = nodes - n_rail_nodes
    other_ways = ways - n_lines * per_line
    # railway node coordinates: random walks in a 10 x 10 degree box
    lat = np.empty(n_rail_nodes)
    lon = np.empty(n_rail_nodes)
    heading = rng.uniform(0, 2 * np.pi, n_lines)
    start_lat = rng.uniform(45.0, 55.0, n_lines)
    start_lon = rng.uniform(5.0, 15.0, n_lines)
    joins = np.full(n_lines, -1, dtype=np.int64)  # the earlier rail node a line starts at
    for i in range(n_lines):
        if i > 0 and rng.random() < 0.7:
            joins[i] = int(rng.integers(0, i * rail_nodes_per_line))
            start_lat[i], start_lon[i] = lat[joins[i]], lon[joins[i]]
        turn = np.cumsum(rng.normal(0, 0.05, rail_nodes_per_line)) + heading[i]
        s = slice(i * rail_nodes_per_line, (i + 1) * rail_nodes_per_line)
        lat[s] = start_lat[i] + np.concatenate([[0], np.cumsum(STEP_DEG * np.cos(turn[1:]))])
        lon[s] = start_lon[i] + np.concatenate([[0], np.cumsum(STEP_DEG * np.sin(turn[1:]))])
    np.clip(lat, -89, 89, out=lat)
    np.clip(lon, -179, 179, out=lon)
    other_lat = rng.uniform(45.0, 55.0, n_other)
    other_lon = rng.uniform(5.0, 15.0, n_other)
    tagged = rng.random(n_other) < 0.05
    counts = {"nodes": 0, "ways": 0, "rail_ways": 0, "relations": 0}
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    try:
        first_rail_id = 1
        for k in range(n_rail_nodes):
            tags = {}
            pos = k % rail_nodes_per_line
            if pos % 10 == 5:
                tags = {"railway": "milestone", "railway:position": f"{pos * 0.1:.1f}"}
            elif pos % 200 == 100:
                tags = {"railway": "stop", "public_transport": "stop_position", "train": "yes", "name": f"Halt {k}"}
            writer.add_node(mutable.Node(id=first_rail_id + k, location=(lon[k], lat[k]), tags=tags))
        counts["nodes"] += n_rail_nodes
        first_other = first_rail_id + n_rail_nodes
        for k in range(n_other):
            tags = {"amenity": "bench"} if tagged[k] else {}
            writer.add_node(mutable.Node(id=first_other + k, location=(other_lon[k], other_lat[k]), tags=tags))
        counts["nodes"] += n_other
        way_id = 1
        for i in range(n_lines):
            base = first_rail_id + i * rail_nodes_per_line
            yard = rng.random() < 0.1
            for w in range(per_line):
                refs = list(range(base + w * (RAIL_WAY_NODES - 1), base + (w + 1) * (RAIL_WAY_NODES - 1) + 1))
                if w == 0 and joins[i] >= 0:
                    refs[0] = first_rail_id + int(joins[i])
                tags = {"railway": "rail", "gauge": "1435", "electrified": "contact_line", "name": f"Line {i}"}
                if yard:
                    tags["service"] = "yard"
                if w % 50 == 25:
                    tags["bridge"] = "yes"
                writer.add_way(mutable.Way(id=way_id, nodes=refs, tags=tags))
                way_id += 1
                counts["rail_ways"] += 1
        per = max(1, n_other // max(other_ways, 1))
        for w in range(other_ways):
            lo = (w * per) % max(n_other - OTHER_WAY_NODES, 1)
            refs = list(range(first_other + lo, first_other + lo + min(OTHER_WAY_NODES, per + 1)))
            if len(refs) < 2:
                refs = [first_other + lo, first_other + lo + 1]
            tags = {"highway": "residential", "name": f"Street {w}"} if w % 3 else {"building": "yes"}
            writer.add_way(mutable.Way(id=way_id, nodes=refs, tags=tags))
            way_id += 1
        counts["ways"] = way_id - 1
    finally:
        writer.close()
    return counts
