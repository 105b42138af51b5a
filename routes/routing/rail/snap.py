"""Where a place sits on the network: a routing node, or a km offset along a chain.

A station snaps to its own node, a town to its station, anything else to the nearest
point of the nearest **edge** (not merely the nearest node), found with the store's
segment grid. Only track the profile allows is snapped to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...geo import geodesic_km
from ...model import Place
from .spatial import Grid, nearest_segment
from .store import PROFILES, RailNetwork

__all__ = ["Position", "PROFILES", "allowed_chains", "position_of_node", "nearest", "snap"]


@dataclass(frozen=True)
class Position:
    """Where a place sits on the network: a routing node, or a km offset on a chain."""

    node: str | None = None
    chain: int | None = None
    km: float = 0.0
    snap_km: float = 0.0  # how far the place itself lies from this point
    lat: float = 0.0
    lon: float = 0.0


def allowed_chains(net: RailNetwork, profile: str = "main") -> np.ndarray:
    """Which chains a profile may use: ``main`` no yards or spurs, ``electric`` electrified
    running track only, ``all`` everything."""
    if profile == "main":
        return np.asarray(net.a.c_ok_main, dtype=bool)
    if profile == "electric":
        return np.asarray(net.a.c_ok_electric, dtype=bool)
    if profile == "all":
        return np.ones(len(net.a.c_km), dtype=bool)
    raise ValueError(f"unknown profile {profile!r}: use one of {', '.join(PROFILES)}")


def position_of_node(net: RailNetwork, node: str | int) -> Position:
    """The position of a node given by id or index."""
    i = net.node_index(node) if isinstance(node, str) else int(node)
    if i is None:
        raise KeyError(node)
    a = net.a
    lat, lon = float(a.n_lat[i]), float(a.n_lon[i])
    if a.n_rnode[i] >= 0:
        return Position(node=net.node_id(i), lat=lat, lon=lon)
    return Position(chain=int(a.n_chain[i]), km=float(a.n_chain_km[i]), lat=lat, lon=lon)


def _grid(net: RailNetwork) -> Grid:
    return Grid(float(net.meta["grid_cell_deg"]), net.a.g_keys, net.a.g_offsets, net.a.g_segments)


def nearest(
    net: RailNetwork, lat: float, lon: float, profile: str = "all", max_km: float = math.inf
) -> Position | None:
    """The point of the network nearest to (lat, lon) on track the profile allows.

    ``None`` when there is no such track within ``max_km``.
    """
    a = net.a
    ok = allowed_chains(net, profile)

    def keep(seg: np.ndarray) -> np.ndarray:
        edge = np.searchsorted(a.e_v0, seg, side="right") - 1
        return ok[a.e_chain[edge]]

    found = nearest_segment(_grid(net), a.v_lat, a.v_lon, lat, lon, keep, max_km * 1.01 + 0.05)
    if found is None:
        return None
    k, t, _ = found
    plat = float(a.v_lat[k] + t * (a.v_lat[k + 1] - a.v_lat[k]))
    plon = float(a.v_lon[k] + t * (a.v_lon[k + 1] - a.v_lon[k]))
    km = float(a.v_km[k] + t * (a.v_km[k + 1] - a.v_km[k]))
    edge = int(np.searchsorted(a.e_v0, k, side="right") - 1)
    chain = int(a.e_chain[edge])
    d = geodesic_km(lat, lon, plat, plon)
    if d > max_km:
        return None
    total = float(a.c_km[chain])
    for end, at in ((int(a.c_ur[chain]), 0.0), (int(a.c_vr[chain]), total)):
        if abs(km - at) < 1e-9:
            return Position(node=net.node_id(int(a.r_node[end])), snap_km=d, lat=plat, lon=plon)
    return Position(chain=chain, km=km, snap_km=d, lat=plat, lon=plon)


def snap(net: RailNetwork, place: Place, max_km: float = 50.0, profile: str = "main") -> Position | None:
    """A station to its node, a town to its station, anything else to the nearest track.

    Returns ``None`` when the nearest track is more than ``max_km`` away. A station on
    track the profile does not allow snaps to the nearest track it does allow.
    """
    ok = allowed_chains(net, profile)
    for node, own in ((place.id, True), (place.station, False)):
        i = net.node_index(node) if node else None
        if i is None or not _node_allowed(net, i, ok):
            continue
        pos = position_of_node(net, i)
        if own:
            return pos
        d = geodesic_km(place.lat, place.lon, pos.lat, pos.lon)
        return Position(pos.node, pos.chain, pos.km, d, pos.lat, pos.lon)
    return nearest(net, place.lat, place.lon, profile=profile, max_km=max_km)


def _node_allowed(net: RailNetwork, i: int, ok: np.ndarray) -> bool:
    a = net.a
    r = int(a.n_rnode[i])
    if r < 0:
        return bool(ok[int(a.n_chain[i])])
    return bool(ok[(a.c_ur == r) | (a.c_vr == r)].any())
