"""Network records from the railway subset of an OpenStreetMap extract.

What becomes what (see :mod:`.osm_topology` for how track joins, :mod:`.osm_chainage`
for railway km):

* **track**: ``railway=rail`` and ``narrow_gauge`` ways (``light_rail``, ``subway``,
  ``tram`` when asked for), with gauge, electrification, service and usage from their
  tags; **train ferries** (``railway=ferry``, ``route=ferry`` with railway tags) are edges
  of mode ``ferry``, joined at each end to the nearest track within
  ``Settings.osm_ferry_link_km`` when they do not share a node with it;
* **stations**: ``railway=station|halt``, ``public_transport=station`` with ``train=yes``,
  and ``railway=junction``. A station on the track is a network node; one beside it
  snaps to the track of its ``stop_area`` (the nearest stop position in it), else to the
  nearest track within ``Settings.osm_station_snap_km``. Where an extract holds only
  stop positions (``railway=stop``, ``public_transport=stop_position`` with
  ``train=yes``), those of one name within ``Settings.osm_stop_group_km`` are one station;
  stop positions of a station's own name beside it are that station's;
* **gazetteer entries**: every station, with every ``name:*``, ``old_name`` and
  ``alt_name``; and bridges: a bridge way crossing a named waterway is "the X bridge"
  (its ``bridge:name`` where it has one).

OSM text is untrusted: names are kept as data, with control characters removed and at
most ``Settings.max_place_chars`` characters.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import DataError
from ...settings import DEFAULT, Settings
from ...sources.osm import OsmExtract, clean_name
from .osm_bridges import bridge_places
from .osm_chainage import parse_position, segment_rail_km
from .osm_stations import Station, names, place_stations, station_places
from .osm_topology import Nodes, Pieces, attach_points, cut_edges, insert_points, make_pieces, split_crossings
from .records import NODE_KINDS, SERVICES, UNKNOWN, USAGES, NetworkRecords, gauge_bits

__all__ = ["OsmImport", "records_from_osm", "clean_name", "NoRailway", "ATTRIBUTION"]

log = logging.getLogger(__name__)

ATTRIBUTION = "© OpenStreetMap contributors, ODbL"
SOURCE = f"OpenStreetMap ({ATTRIBUTION})"
_ELECTRIC = {"contact_line", "rail", "yes", "4th_rail", "ground-level_power_supply"}


class NoRailway(DataError):
    """The extract holds no railway track of the kinds asked for."""


@dataclass(frozen=True)
class OsmImport:
    """The records of an imported network, its gazetteer entries (plain mappings: ``id``,
    ``name``, ``kind``, ``lat``, ``lon``, ``aliases``, ``station``, ``osm``), counts, and
    the tags kept per edge that the records have no field for (``way``: the OSM way id,
    ``maxspeed`` km/h or NaN, ``voltage`` V or 0, ``bridge``, ``tunnel``)."""

    records: NetworkRecords
    places: tuple[Mapping[str, Any], ...]
    stats: Mapping[str, Any] = field(default_factory=dict)
    edge_tags: Mapping[str, np.ndarray] = field(default_factory=dict)  # per record edge: way, maxspeed, ...


@dataclass
class _WayFacts:
    gauge: np.ndarray
    elec: np.ndarray
    service: np.ndarray
    usage: np.ndarray
    line: np.ndarray
    mode: np.ndarray
    ref: list[str]
    gauges: list[str]
    lines: list[dict[str, Any]]
    assumed_gauge: str
    untagged_gauge: int


def _way_facts(ways_tags: tuple[Mapping[str, str], ...]) -> _WayFacts:
    n = len(ways_tags)
    is_ferry = [t.get("railway") == "ferry" or t.get("route") == "ferry" for t in ways_tags]
    tagged = Counter(
        g.strip() for t, f in zip(ways_tags, is_ferry) if not f for g in t.get("gauge", "").split(";") if g.strip()
    )
    common = [g for g, _ in tagged.most_common()]
    assumed = common[0] if common else "unknown"
    keep = common[:7]  # a store holds 8 gauges: the 7 most common, and "other" for the rest
    table: list[str] = []
    gauge = np.zeros(n, np.uint8)
    elec = np.full(n, UNKNOWN, np.int8)
    service = np.zeros(n, np.uint8)
    usage = np.zeros(n, np.uint8)
    mode = np.array(is_ferry, dtype=np.uint8)
    line = np.zeros(n, np.int32)
    refs: list[str] = []
    line_index: dict[str, int] = {}
    lines: list[dict[str, Any]] = []
    untagged = 0
    for k, t in enumerate(ways_tags):
        gs = [g.strip() for g in t.get("gauge", "").split(";") if g.strip()]
        if not gs:
            gs = [assumed]
            untagged += 0 if is_ferry[k] else 1
        gs = [g if g in keep or g == assumed else "other" for g in gs]
        gauge[k] = gauge_bits(gs, table)
        e = t.get("electrified", "")
        elec[k] = 1 if e in _ELECTRIC else (0 if e == "no" else UNKNOWN)
        s = t.get("service", "")
        service[k] = SERVICES.index(s) if s in SERVICES else 0
        u = t.get("usage", "")
        usage[k] = USAGES.index(u) if u in USAGES else 0
        ref = clean_name(t.get("ref", ""), 60)
        name = clean_name(t.get("name", ""))
        refs.append("" if is_ferry[k] else ref)
        lid = ("ferry:" if is_ferry[k] else "") + (f"ref:{ref}" if ref else (f"name:{name}" if name else "unnamed"))
        if lid not in line_index:
            line_index[lid] = len(lines)
            label = name or (f"line {ref}" if ref else "unnamed track")
            lines.append(
                {
                    "id": lid,
                    "name": ("train ferry " + label) if is_ferry[k] and not name else label,
                    "name_local": ref,
                    "gauge": ";".join(gs),
                    "electrified": e or "not recorded",
                    "source": SOURCE,
                    "mode": "ferry" if is_ferry[k] else "rail",
                    "service": "mixed",
                    "usage": u or "not recorded",
                }
            )
        line[k] = line_index[lid]
    return _WayFacts(gauge, elec, service, usage, line, mode, refs, table, lines, assumed, untagged)


def _ferry_links(p: Pieces, nodes: Nodes, facts: _WayFacts, settings: Settings) -> int:
    """Join each end of a ferry that shares no node with track to the nearest track."""
    ferry = facts.mode[p.way] == 1
    if not ferry.any():
        return 0
    rail_nodes = np.unique(p.pv[np.repeat(~ferry, np.diff(p.poff))])
    ends = []
    for pc in np.flatnonzero(ferry).tolist():
        for k in (int(p.poff[pc]), int(p.poff[pc + 1]) - 1):
            n = int(p.pv[k])
            if not np.isin(n, rail_nodes):
                ends.append((pc, n))
    if not ends:
        return 0
    atts = attach_points(
        p, nodes, nodes.lat[[n for _, n in ends]], nodes.lon[[n for _, n in ends]], settings.osm_ferry_link_km, ~ferry
    )
    todo = [(a, e) for a, e in zip(atts, ends) if a is not None]
    got = insert_points(p, nodes, [(a, int(nodes.osm[e[1]]), "~slip") for a, e in todo])
    links = [(int(p.way[pc]), n, m) for (_a, (pc, n)), m in zip(todo, got) if n != m]
    if links:
        p.pv = np.concatenate([p.pv, np.array([x for _, n, m in links for x in (n, m)], np.int64)])
        p.poff = np.concatenate([p.poff, p.poff[-1] + 2 * np.arange(1, len(links) + 1)])
        p.way = np.concatenate([p.way, np.array([w for w, _, _ in links], np.int64)])
    return len(links)


def records_from_osm(ex: OsmExtract, settings: Settings = DEFAULT) -> OsmImport:
    """The network records and gazetteer entries of an extract (see the module docstring).

    Raises
    ------
    NoRailway
        The extract holds no track of the kinds asked for.
    """
    facts = _way_facts(ex.track.tags)
    nodes = Nodes(ex.node_ids, ex.node_lat, ex.node_lon)
    idx, present = ex.locate(ex.track.refs)
    p = make_pieces(ex.track.offsets, idx, present)
    rail = facts.mode[p.way] == 0 if len(p) else np.zeros(0, bool)
    if not rail.any():
        kinds = ", ".join(f"railway={k}" for k in ex.kinds)
        raise NoRailway(f"{ex.path.name} holds no railway track ({kinds}); is it the extract you meant?")
    crossings = [i for i, t in ex.tagged.items() if t.get("railway") == "railway_crossing"]
    cidx, cok = ex.locate(np.array(crossings, dtype=np.int64))
    n_split = split_crossings(p, cidx[cok], nodes)
    stations, st_stats = place_stations(ex, p, nodes, rail, settings)
    n_links = _ferry_links(p, nodes, facts, settings)
    return _assemble(ex, p, nodes, facts, stations, {**st_stats, "crossings_split": n_split, "ferry_links": n_links})


def _node_roles(n_all: int, stations: list[Station]) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Per node index: its kind (station, junction, or plain track), whether it is worth
    naming in a route's "via", and its name."""
    kind = np.zeros(n_all, np.uint8)
    main = np.zeros(n_all, bool)
    name: dict[int, str] = {}
    for st in stations:
        primary, _ = names(st.tags)
        code = NODE_KINDS.index("junction") if st.tags.get("railway") == "junction" else NODE_KINDS.index("station")
        for n in ([st.node] if st.node is not None else []) + st.stops:
            kind[n] = max(kind[n], code)
            name.setdefault(n, primary or f"station {st.osm}")
        if st.node is not None:
            main[st.node] = True
            name[st.node] = primary or name.get(st.node, f"station {st.osm}")
    return kind, main, name


def _posts(ex: OsmExtract) -> dict[int, float]:
    """Kilometre posts: node index -> km, for the posts the ways hold."""
    raw: dict[int, float] = {}
    for i, t in ex.tagged.items():
        km = parse_position(t.get("railway:position", "")) if t.get("railway") == "milestone" else None
        if km is not None:
            raw[i] = km
    idx, ok = ex.locate(np.array(list(raw), dtype=np.int64))
    return {int(x): raw[i] for i, x, o in zip(raw, idx.tolist(), ok.tolist()) if o}


def _edge_vertices(
    first: np.ndarray, last: np.ndarray, seg_rail: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each edge's vertices (flat indices first..last, inclusive: joints appear in both
    edges), their railway km from the edge's start, and the edge offsets."""
    counts = last - first + 1
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    gather = np.repeat(first - starts, counts) + np.arange(int(counts.sum()))
    step = seg_rail[gather]
    step[starts] = 0.0
    cum = np.cumsum(step)
    vkm = cum - np.repeat(cum[starts], counts)
    return gather, vkm, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _assemble(
    ex: OsmExtract,
    p: Pieces,
    nodes: Nodes,
    facts: _WayFacts,
    stations: list[Station],
    stats: dict[str, Any],
) -> OsmImport:
    n_all = len(nodes)
    kind, main, name = _node_roles(n_all, stations)
    ends = np.concatenate([p.pv[p.poff[:-1]], p.pv[p.poff[1:] - 1]])
    deg = np.bincount(p.pv, minlength=n_all) * 2 - np.bincount(ends, minlength=n_all)
    is_node = (deg != 2) | (kind > 0)
    is_node[ends] = True
    first, last, piece = cut_edges(p, is_node)
    posts = _posts(ex)
    refs = [facts.ref[int(w)] for w in p.way.tolist()]
    seg_rail, _seg_geo, post_stats = segment_rail_km(p, nodes.lat, nodes.lon, refs, posts)
    used = np.flatnonzero(is_node)
    remap = np.full(n_all, -1, np.int64)
    remap[used] = np.arange(len(used))
    gather, vkm, offsets = _edge_vertices(first, last, seg_rail)
    way = p.way[piece]
    ids = nodes.ids(used)
    rec = NetworkRecords(
        node_ids=ids,
        node_names=[name.get(int(i), "") or nid for i, nid in zip(used.tolist(), ids)],
        node_lat=nodes.lat[used],
        node_lon=nodes.lon[used],
        node_kind=kind[used],
        node_main=main[used],
        node_gauge_change=np.zeros(len(used), bool),
        edge_u=remap[p.pv[first]],
        edge_v=remap[p.pv[last]],
        edge_offsets=offsets,
        vertex_lat=nodes.lat[p.pv[gather]],
        vertex_lon=nodes.lon[p.pv[gather]],
        vertex_km=vkm,
        edge_line=facts.line[way],
        edge_gauge=facts.gauge[way],
        edge_electrified=facts.elec[way],
        edge_service=facts.service[way],
        edge_usage=facts.usage[way],
        gauges=tuple(facts.gauges),
        lines=tuple(_line_records(facts, way, kind, p, first, last, posts)),
        edge_mode=facts.mode[way],
        cost="geometry",
    )
    places = station_places(stations, nodes, ids_of=dict(zip(used.tolist(), ids)))
    places += bridge_places(ex, p, nodes, facts.mode)
    stats = {
        **stats,
        "track_ways": len(ex.track),
        "pieces": len(p),
        "missing_node_refs": p.missing_refs,
        "ways_cut_at_the_edge": p.cut_ways,
        "stations": sum(1 for s in stations if s.node is not None),
        "kilometre_posts_used": post_stats["used"],
        "kilometre_posts_set_aside": post_stats["set_aside"],
        "gauge_assumed": facts.assumed_gauge,
        "ways_without_gauge": facts.untagged_gauge,
        "bridges": sum(1 for x in places if x["kind"] == "bridge"),
    }
    return OsmImport(rec, tuple(places), stats, _edge_tags(ex, way))


def _speed(text: str) -> float:
    """``maxspeed`` in km/h: ``"120"``, ``"120 km/h"``, ``"75 mph"``; NaN for anything else."""
    parts = text.replace("km/h", "").split()
    try:
        v = float(parts[0]) if parts else math.nan
    except ValueError:
        return math.nan
    return v * 1.609344 if len(parts) > 1 and parts[1] == "mph" else v


def _edge_tags(ex: OsmExtract, way: np.ndarray) -> dict[str, np.ndarray]:
    tags = ex.track.tags
    per_way = {
        "maxspeed": np.array([_speed(t.get("maxspeed", "").split(";")[0]) for t in tags], dtype=float),
        "voltage": np.array([_int(t.get("voltage", "").split(";")[0]) for t in tags], dtype=np.int32),
        "bridge": np.array([t.get("bridge", "no") not in ("no", "") for t in tags], dtype=bool),
        "tunnel": np.array([t.get("tunnel", "no") not in ("no", "") for t in tags], dtype=bool),
    }
    return {"way": ex.track.ids[way], **{k: v[way] for k, v in per_way.items()}}


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() and len(text.strip()) < 9 else 0


def _line_records(
    facts: _WayFacts,
    way: np.ndarray,
    kind: np.ndarray,
    p: Pieces,
    first: np.ndarray,
    last: np.ndarray,
    posts: Mapping[int, float],
) -> list[dict[str, Any]]:
    line = facts.line[way]
    post_nodes = np.fromiter(posts.keys(), dtype=np.int64) if posts else np.zeros(0, np.int64)
    counts = last - first + 1
    gather = np.repeat(first - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) + np.arange(int(counts.sum()))
    v_line = np.repeat(line, counts)
    has_post = np.isin(p.pv[gather], post_nodes)
    n_posts = np.bincount(v_line[has_post], minlength=len(facts.lines))
    st = kind[p.pv[last]] > 0
    n_st = np.bincount(line[st], minlength=len(facts.lines))
    out = []
    for i, rec in enumerate(facts.lines):
        out.append(
            {
                **rec,
                "kilometre_posts": int(n_posts[i]),
                "stations": int(n_st[i]),
                "factor": 1.0,
                "km_basis": "kilometre posts where consistent, else geometry" if n_posts[i] >= 2 else "geometry",
            }
        )
    return out
