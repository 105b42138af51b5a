"""The network store: a folder of ``.npy`` arrays and a ``network.json``, opened memory-mapped.

Written once (to a temporary folder, then renamed into place), read-only afterwards:
opening maps the arrays without reading them, so a million-station network opens in
milliseconds, and no query writes to them, so queries can run from threads.

Layout (``R`` routing nodes, ``C`` chains, ``E`` edges, ``V`` vertices, ``S`` turn states):

* nodes: ``n_lat``, ``n_lon``, ``n_kind``, ``n_main``, ``n_rnode`` (routing index or -1),
  ``n_chain`` / ``n_chain_km`` (where an interior node sits), ids and names as UTF-8
  blobs with offsets, ``n_order`` (node indices sorted by id, for look-ups by id);
* edges (chain by chain, each oriented along its chain): ``e_u``, ``e_v``, ``e_v0``
  (offsets into the vertices), ``e_km`` (railway km), ``e_geom_km``, ``e_line``,
  ``e_gauge``, ``e_elec``, ``e_service``, ``e_usage``, ``e_mode`` (rail or ferry), ``e_src`` (the edge's index in its records), ``e_chain``;
* geometry: ``v_lat``, ``v_lon``, ``v_km`` (km from the chain's start);
* chains: ``c_e0`` (offsets into the edges), ``c_ur``/``c_vr`` (routing nodes),
  ``c_km``, ``c_cost`` (what a route's choice weighs), ``c_gauge``, ``c_ok_main``, ``c_ok_electric``, ``c_bridge``;
* routing: ``r_node``, ``r_station``, ``r_gauge_change``, the node and turn graphs as CSR
  (see :mod:`.turns`), with each entry's weight per profile at the build's time costs
  (``nd_w``, ``tr_w``), and the segment grid (see :mod:`.spatial`).
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import DataError

__all__ = [
    "BLOCK",
    "BUILD_SETTINGS",
    "FORMAT",
    "FORMAT_VERSION",
    "PROFILES",
    "Arrays",
    "RailNetwork",
    "StoreError",
    "StoreWriter",
    "write_store",
    "read_store",
]

log = logging.getLogger(__name__)

FORMAT = "routes-rail-network"
FORMAT_VERSION = 3  # 2: c_bridge; 3: e_mode (rail or train ferry) per edge, c_cost per chain
PROFILES = ("main", "all", "electric")  # the rows of nd_w and tr_w
BLOCK = 1e9  # the weight of track a query may not use; searches stop below BLOCK / 2
# the settings a store's content depends on (they go into its cache key)
BUILD_SETTINGS = (
    "min_turn_deg",
    "turn_probe_km",
    "turn_coarse_km",
    "reversal_minutes",
    "gauge_change_hours",
    "cost_kmh",
)


class StoreError(DataError):
    """A network store is missing, unreadable, foreign or from another format version."""


@dataclass(frozen=True, eq=False)
class Arrays:
    """Every array of a store (see the module docstring)."""

    n_lat: np.ndarray
    n_lon: np.ndarray
    n_kind: np.ndarray
    n_main: np.ndarray
    n_rnode: np.ndarray
    n_chain: np.ndarray
    n_chain_km: np.ndarray
    n_id_blob: np.ndarray
    n_id_off: np.ndarray
    n_name_blob: np.ndarray
    n_name_off: np.ndarray
    n_order: np.ndarray
    e_u: np.ndarray
    e_v: np.ndarray
    e_v0: np.ndarray
    e_km: np.ndarray
    e_geom_km: np.ndarray
    e_line: np.ndarray
    e_gauge: np.ndarray
    e_elec: np.ndarray
    e_service: np.ndarray
    e_usage: np.ndarray
    e_mode: np.ndarray
    e_src: np.ndarray  # the index of each edge in the records it was built from
    e_chain: np.ndarray
    v_lat: np.ndarray
    v_lon: np.ndarray
    v_km: np.ndarray
    c_e0: np.ndarray
    c_ur: np.ndarray
    c_vr: np.ndarray
    c_km: np.ndarray
    c_cost: np.ndarray  # the km a route's choice weighs: c_km, or the drawn track's km
    c_gauge: np.ndarray
    c_ok_main: np.ndarray
    c_ok_electric: np.ndarray
    c_bridge: np.ndarray  # every path between the chain's ends runs along it: no alternative there
    r_node: np.ndarray
    r_station: np.ndarray
    r_gauge_change: np.ndarray
    nd_indptr: np.ndarray
    nd_indices: np.ndarray
    nd_arc: np.ndarray
    st_indptr: np.ndarray
    st_arc: np.ndarray
    st_gauge: np.ndarray
    tr_indptr: np.ndarray
    tr_indices: np.ndarray
    tr_flags: np.ndarray
    tr_arc: np.ndarray
    nd_w: np.ndarray  # (profiles, entries): each node-graph entry's weight per profile
    tr_w: np.ndarray  # (profiles, entries): each turn-graph entry's weight per profile
    g_keys: np.ndarray
    g_offsets: np.ndarray
    g_segments: np.ndarray


# the length each array must have, in terms of the counts in network.json
_LENGTHS: dict[str, str] = {
    **{n: "N" for n in ("n_lat", "n_lon", "n_kind", "n_main", "n_rnode", "n_chain", "n_chain_km", "n_order")},
    "n_id_off": "N+1",
    "n_name_off": "N+1",
    **{
        n: "E"
        for n in ("e_u", "e_v", "e_km", "e_geom_km", "e_line", "e_gauge", "e_elec", "e_service", "e_usage", "e_mode")
    },
    "e_chain": "E",
    "e_v0": "E+1",
    **{n: "V" for n in ("v_lat", "v_lon", "v_km")},
    "c_e0": "C+1",
    **{n: "C" for n in ("c_ur", "c_vr", "c_km", "c_cost", "c_gauge", "c_ok_main", "c_ok_electric", "c_bridge")},
    **{n: "R" for n in ("r_node", "r_station", "r_gauge_change")},
    "st_indptr": "2C+1",
    "tr_indptr": "S+1",
    "st_arc": "S",
    "st_gauge": "S",
}


@dataclass(frozen=True, eq=False)
class RailNetwork:
    """An opened network store: its arrays (read-only) and its metadata.

    Functions over it live beside it (:mod:`.snap`, :mod:`.paths`, :mod:`.alternatives`,
    :mod:`.facts`); the few methods here only look things up.
    """

    a: Arrays = field(repr=False)
    meta: dict[str, Any] = field(repr=False)
    name: str = "bundled"
    path: Path | None = None

    @property
    def lines(self) -> list[dict[str, Any]]:
        return list(self.meta["lines"])

    @property
    def n_nodes(self) -> int:
        return len(self.a.n_lat)

    def node_id(self, i: int) -> str:
        o = self.a.n_id_off
        return bytes(self.a.n_id_blob[int(o[i]) : int(o[i + 1])]).decode("utf-8")

    def node_name(self, i: int) -> str:
        o = self.a.n_name_off
        return bytes(self.a.n_name_blob[int(o[i]) : int(o[i + 1])]).decode("utf-8")

    def node_index(self, node_id: str) -> int | None:
        """The index of the node with this id, or ``None`` (binary search over ``n_order``)."""
        key = node_id.encode("utf-8")
        order = self.a.n_order
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.node_id(int(order[mid])).encode("utf-8") < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(order) and self.node_id(int(order[lo])) == node_id:
            return int(order[lo])
        return None

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and self.node_index(node_id) is not None

    def name_of(self, node_id: str) -> str:
        """The name of a node given by id (the id itself when the network has no such node)."""
        i = self.node_index(node_id)
        return node_id if i is None else self.node_name(i)

    def edge_km(self, e: int) -> float:
        """The railway km of edge ``e`` (as in a route's ``edges``)."""
        return float(self.a.e_km[e])

    def line_ids(self) -> list[str]:
        return [line["id"] for line in self.meta["lines"]]

    def edge_tags(self) -> dict[str, np.ndarray]:
        """Per-edge facts a source kept beside the store (``x_<name>.npy``, in the order of
        its records: index them with ``a.e_src``), memory-mapped; empty when none."""
        if self.path is None:
            return {}
        out = {}
        for f in sorted(self.path.glob("x_*.npy")):
            try:
                out[f.stem[2:]] = np.load(f, mmap_mode="r", allow_pickle=False).view(np.ndarray)
            except (OSError, ValueError) as err:
                raise StoreError(f"{f} is damaged: {err}") from err
        return out


def _counts(meta: dict[str, Any]) -> dict[str, int]:
    c = meta["counts"]
    return {
        "N": c["nodes"],
        "E": c["edges"],
        "V": c["vertices"],
        "C": c["chains"],
        "R": c["routing_nodes"],
        "S": c["states"],
    }


def _expected(spec: str, counts: dict[str, int]) -> int:
    if spec == "2C+1":
        return 2 * counts["C"] + 1
    if spec.endswith("+1"):
        return counts[spec[:-2]] + 1
    return counts[spec]


class StoreWriter:
    """Writes a store array by array, so that a builder can let go of each array once it is
    written: into a temporary folder beside ``dest``, moved into place by :meth:`finish`.

    Used as a context manager: leaving it without :meth:`finish` (an error in the build)
    removes the temporary folder.
    """

    def __init__(self, dest: Path) -> None:
        self.dest = Path(dest)
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.dest.parent / f".{self.dest.name}.{uuid.uuid4().hex}.tmp"
        self.tmp.mkdir()
        self._names = {f.name for f in fields(Arrays)}
        self._written: set[str] = set()

    def put(self, name: str, array: np.ndarray) -> None:
        """Write the array ``name`` (one of the fields of :class:`Arrays`)."""
        if name not in self._names or name in self._written:
            raise ValueError(f"{name!r} is not an array of a store, or written twice")
        np.save(self.tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        self._written.add(name)

    def finish(self, meta: dict[str, Any], extras: Mapping[str, bytes] | None = None, replace: bool = False) -> Path:
        """Write the ``extras`` and ``network.json``, and move the store into place.

        ``extras`` are more files to put in the folder (name -> bytes: an imported
        network's gazetteer layer). If ``dest`` appears meanwhile (another process built
        the same store), that one is kept, unless ``replace``: then the old store is moved
        aside, the new one renamed into place, and the old one deleted.
        """
        missing = sorted(self._names - self._written)
        if missing:
            raise ValueError(f"the store lacks {', '.join(missing)}")
        tmp, dest = self.tmp, self.dest
        for fname, data in (extras or {}).items():
            if "/" in fname or fname.startswith(".") or fname == "network.json":
                raise ValueError(f"not a store file name: {fname!r}")
            (tmp / fname).write_bytes(data)
        full = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta}
        # network.json last: a folder without it is not a store
        (tmp / "network.json").write_text(json.dumps(full, ensure_ascii=False, indent=1), encoding="utf-8")
        if replace and dest.exists():
            aside = dest.parent / f".{dest.name}.{uuid.uuid4().hex}.old"
            dest.rename(aside)
            try:
                tmp.rename(dest)
            except OSError:
                aside.rename(dest)  # put the old one back: nothing lost
                raise
            shutil.rmtree(aside, ignore_errors=True)
            return dest
        try:
            tmp.rename(dest)
        except OSError:
            if not (dest / "network.json").is_file():
                raise
            log.debug("store %s was written meanwhile by another process; keeping that one", dest)
        return dest

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)


def write_store(
    arrays: Arrays,
    meta: dict[str, Any],
    dest: Path,
    extras: Mapping[str, bytes] | None = None,
    replace: bool = False,
) -> Path:
    """Write a store into ``dest`` atomically: a temporary folder beside it, renamed into
    place (see :meth:`StoreWriter.finish` for ``extras`` and ``replace``)."""
    with StoreWriter(dest) as w:
        for f in fields(Arrays):
            w.put(f.name, getattr(arrays, f.name))
        return w.finish(meta, extras, replace)


def read_store(path: Path, name: str | None = None) -> RailNetwork:
    """Open the store in ``path`` memory-mapped; :class:`StoreError` says what is wrong with it."""
    path = Path(path)
    meta_file = path / "network.json"
    if not meta_file.is_file():
        raise StoreError(f"{path} is not a routes network store (no network.json)")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise StoreError(f"{meta_file} is unreadable: {err}") from err
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise StoreError(f"{path} is not a routes network store (network.json has another format)")
    if meta.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            f"{path} is a network store of format version {meta.get('format_version')}; this routes reads "
            f"version {FORMAT_VERSION}: build it again"
        )
    try:
        counts = _counts(meta)
        loaded: dict[str, np.ndarray] = {}
        for f in fields(Arrays):
            arr = np.load(path / f"{f.name}.npy", mmap_mode="r", allow_pickle=False)
            spec = _LENGTHS.get(f.name)
            if spec is not None and len(arr) != _expected(spec, counts):
                raise StoreError(f"{path}/{f.name}.npy has {len(arr)} entries, expected {_expected(spec, counts)}")
            # a plain ndarray view of the mapping: same pages, without memmap's per-item overhead
            loaded[f.name] = arr.view(np.ndarray)
    except StoreError:
        raise
    except (OSError, ValueError, KeyError, TypeError, EOFError) as err:
        raise StoreError(f"{path} is damaged: {err}") from err
    a = Arrays(**loaded)
    _check_consistent(a, path)
    return RailNetwork(a=a, meta=meta, name=name or str(meta.get("name") or path.name), path=path)


def _check_consistent(a: Arrays, path: Path) -> None:
    """Cheap checks that offsets and indices stay inside their arrays (no full scan)."""
    problems = []
    if len(a.e_v0) and int(a.e_v0[-1]) != len(a.v_lat):
        problems.append("edge offsets do not end at the last vertex")
    if len(a.c_e0) and int(a.c_e0[-1]) != len(a.e_u):
        problems.append("chain offsets do not end at the last edge")
    if len(a.n_id_off) and int(a.n_id_off[-1]) != len(a.n_id_blob):
        problems.append("node ids do not fill their blob")
    if len(a.tr_indptr) and int(a.tr_indptr[-1]) != len(a.tr_indices):
        problems.append("the turn graph's offsets do not end at its last entry")
    if len(a.nd_indptr) and int(a.nd_indptr[-1]) != len(a.nd_indices):
        problems.append("the node graph's offsets do not end at its last entry")
    if len(a.g_offsets) != len(a.g_keys) + 1 or (len(a.g_offsets) and int(a.g_offsets[-1]) != len(a.g_segments)):
        problems.append("the spatial grid's offsets do not match its cells")
    if problems:
        raise StoreError(f"{path} is damaged: {'; '.join(problems)}")
