"""Load the bundled geodata (``gazetteer/`` in the source tree, ``routes/_data`` when installed).

Plain readers, no interpretation: places, line vertices, line metadata, regions, rivers and
published distances. Other modules build indexes and graphs from what these return.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..errors import DataError
from ..model import Place

__all__ = [
    "LineVertex",
    "LineFeature",
    "Area",
    "data_root",
    "source_files",
    "load_places",
    "load_lines",
    "load_regions",
    "load_rivers",
    "load_distances",
    "Distance",
    "load_countries",
    "load_admin1",
    "load_outlines",
]


@dataclass(frozen=True)
class LineVertex:
    """One vertex of a line: a station reference or a shape point."""

    ref: str | None
    lat: float
    lon: float
    km: float | None
    label: str
    source: str


@dataclass(frozen=True)
class LineFeature:
    """A rail line: its metadata and its vertices in order."""

    id: str
    name: str
    name_local: str
    gauge: str
    source: str
    vertices: tuple[LineVertex, ...]
    electrified: str = ""  # "yes", "no", or "" where the source does not say

    @property
    def gauges(self) -> frozenset[str]:
        return frozenset(g.strip() for g in self.gauge.replace("/", "+").split("+") if g.strip())


@dataclass(frozen=True)
class Area:
    """A region or river: a named geometry (shapely, x=lon, y=lat)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    geometry: BaseGeometry
    source: str
    props: tuple[tuple[str, Any], ...] = ()

    def prop(self, key: str, default: Any = None) -> Any:
        return dict(self.props).get(key, default)


def data_root() -> Traversable:
    return resources.files("routes._data")


def _csv_rows(f: Traversable) -> list[dict[str, str]]:
    rows = csv.reader(io.StringIO(f.read_bytes().decode("utf-8")))
    header = [h.strip() for h in next(rows, [])]
    keep = [(i, h) for i, h in enumerate(header) if h]
    return [{h: row[i].strip() if i < len(row) else "" for i, h in keep} for row in rows if row]


def _csv_files(folder: str) -> list[Traversable]:
    d = data_root().joinpath(folder)
    if not d.is_dir():
        return []
    return sorted((f for f in d.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name)


def source_files(*extra: str) -> list[Traversable]:
    """The bundled files the lines and places are read from, after the ``extra`` files of
    the data folder: what a cache made from them is keyed on."""
    root = data_root()
    named = [root.joinpath(name) for name in ("lines.csv", *extra)]
    return [f for f in named if f.is_file()] + _csv_files("lines") + _csv_files("places")


def _float(v: str, what: str) -> float:
    try:
        return float(v)
    except ValueError as err:
        raise DataError(f"{what}: not a number: {v!r}") from err


@lru_cache(maxsize=1)
def load_places() -> tuple[Place, ...]:
    """All bundled places (stations, towns, sites, bridges, border crossings)."""
    out: list[Place] = []
    seen: dict[str, str] = {}
    for f in _csv_files("places"):
        for n, row in enumerate(_csv_rows(f), start=2):
            what = f"gazetteer/places/{f.name}:{n}"
            pid = row.get("id", "")
            if not pid:
                continue
            if pid in seen:
                raise DataError(f"{what}: place id {pid!r} also in {seen[pid]}")
            seen[pid] = what
            aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
            gid = row.get("geonames_id", "")
            try:
                out.append(
                    Place(
                        id=pid,
                        name=row["name"],
                        kind=row["kind"],
                        lat=_float(row["lat"], what),
                        lon=_float(row["lon"], what),
                        country=row.get("country", ""),
                        tz=row.get("tz") or "UTC",
                        aliases=aliases,
                        geonames_id=int(float(gid)) if gid else None,
                        station=row.get("station") or None,
                        source=row.get("source", ""),
                    )
                )
            except (KeyError, ValueError) as err:
                raise DataError(f"{what}: {err}") from err
    return tuple(out)


def _columns(f: Traversable, names: Sequence[str]) -> tuple[list[list[str]], list[int]]:
    """The rows of a CSV file, each padded with one empty cell, and where each of ``names``
    is in them (the empty cell for a column the file lacks): for a file of thousands of
    rows, read without a dict per row."""
    rows = list(csv.reader(io.StringIO(f.read_bytes().decode("utf-8"))))
    header = [h.strip() for h in rows[0]] if rows else []
    width = len(header)
    body = [row + [""] * (width + 1 - len(row)) for row in rows[1:] if row]
    return body, [header.index(h) if h in header else width for h in names]


@lru_cache(maxsize=1)
def load_lines() -> tuple[LineFeature, ...]:
    """All bundled rail lines with their vertices; station refs get their place's coordinates."""
    places = {p.id: p for p in load_places()}
    meta_file = data_root().joinpath("lines.csv")
    meta = {r["id"]: r for r in _csv_rows(meta_file)} if meta_file.is_file() else {}
    out: list[LineFeature] = []
    for f in _csv_files("lines"):
        fname = f.name
        lid = fname[: -len(".csv")]
        verts: list[LineVertex] = []
        inherited = ""  # a shape vertex without a source has the last one given above it
        rows, (i_ref, i_lat, i_lon, i_km, i_label, i_source) = _columns(
            f, ("ref", "lat", "lon", "km", "label", "source")
        )
        for n, row in enumerate(rows, start=2):
            ref = row[i_ref].strip() or None
            km_text = row[i_km].strip()
            try:
                km = float(km_text) if km_text else None
                if ref is not None:
                    if ref not in places:
                        raise DataError(f"gazetteer/lines/{fname}:{n}: unknown place id {ref!r}")
                    lat, lon = places[ref].lat, places[ref].lon
                else:
                    lat_text, lon_text = row[i_lat].strip(), row[i_lon].strip()
                    if not lat_text or not lon_text:
                        raise DataError(f"gazetteer/lines/{fname}:{n}: a shape vertex needs lat and lon")
                    lat, lon = float(lat_text), float(lon_text)
            except ValueError:  # say which cell, in the order they are read
                for text in (km_text, *((row[i_lat].strip(), row[i_lon].strip()) if ref is None else ())):
                    _float(text or "0", f"gazetteer/lines/{fname}:{n}")
                raise
            source = row[i_source].strip()
            if ref is None:
                source = inherited = source or inherited
                if not source:
                    raise DataError(
                        f"gazetteer/lines/{fname}:{n}: a shape vertex needs a source (or one on a shape vertex above it)"
                    )
            verts.append(LineVertex(ref, lat, lon, km, row[i_label].strip(), source))
        if len(verts) < 2 or verts[0].ref is None or verts[-1].ref is None:
            raise DataError(f"gazetteer/lines/{fname}: a line needs stations at both ends")
        m = meta.get(lid, {})
        out.append(
            LineFeature(
                id=lid,
                name=m.get("name") or lid,
                name_local=m.get("name_local", ""),
                gauge=m.get("gauge") or "1520",
                source=m.get("source", ""),
                vertices=tuple(verts),
                electrified=m.get("electrified", ""),
            )
        )
    return tuple(out)


def _geojson_areas(name: str) -> tuple[Area, ...]:
    f = data_root().joinpath(name)
    if not f.is_file():
        return ()
    with f.open("r", encoding="utf-8") as fh:
        fc = json.load(fh)
    out = []
    for feat in fc.get("features", []):
        props = dict(feat.get("properties") or {})
        aliases = props.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a for a in aliases.split("|") if a]
        out.append(
            Area(
                id=str(props.get("id") or props.get("name")),
                name=str(props.get("name")),
                aliases=tuple(str(a) for a in aliases),
                geometry=shape(feat["geometry"]),
                source=str(props.get("source", "")),
                props=tuple(sorted((k, v) for k, v in props.items() if isinstance(v, (str, int, float)))),
            )
        )
    return tuple(out)


def _world_rows(name: str) -> list[dict[str, str]]:
    f = data_root().joinpath("world", name)
    return _csv_rows(f) if f.is_file() else []


@lru_cache(maxsize=1)
def load_countries() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Countries as (ISO 3166-1 alpha-2 code, English name, other names), from
    ``gazetteer/world/countries.csv`` (GeoNames, CC BY 4.0)."""
    return tuple(
        (r["code"], r["name"], tuple(a for a in r.get("aliases", "").split("|") if a))
        for r in _world_rows("countries.csv")
        if r.get("code")
    )


@lru_cache(maxsize=1)
def load_admin1() -> tuple[tuple[str, str, str], ...]:
    """First-level divisions as (country code, GeoNames admin1 code, name), from
    ``gazetteer/world/admin1.csv`` (GeoNames, CC BY 4.0)."""
    return tuple((r["country"], r["code"], r["name"]) for r in _world_rows("admin1.csv") if r.get("country"))


@lru_cache(maxsize=1)
def load_regions() -> tuple[Area, ...]:
    """Regions as (coarse) polygons."""
    return _geojson_areas("regions.geojson")


@lru_cache(maxsize=1)
def load_rivers() -> tuple[Area, ...]:
    """Rivers as lines, for finding where railways cross them."""
    return _geojson_areas("rivers.geojson")


@dataclass(frozen=True)
class Distance:
    """A published rail distance between two places, used to check the network.

    ``resolution`` is the step the figure is published to (1 for "330", 0.1 for "123.5"):
    a figure given in whole kilometres stands for anything within half a kilometre of it.
    ``known_discrepancy`` explains a pair the bundled data does not yet reproduce (and
    why); such pairs are reported, not hidden.
    """

    a: str
    b: str
    km: float
    source: str
    known_discrepancy: str = ""
    resolution: float = 1.0

    def error(self, km: float) -> float:
        """Relative error of ``km`` against the published figure (signed)."""
        return (km - self.km) / self.km

    def matches(self, km: float, rel: float = 0.03) -> bool:
        """``km`` is within ``rel`` of the figure, or within its rounding."""
        return abs(km - self.km) <= max(rel * self.km, self.resolution / 2)


def _resolution(text: str) -> float:
    """The step a published figure is given to.

    >>> _resolution("330"), _resolution("123.5"), _resolution("801.92")
    (1.0, 0.1, 0.01)
    """
    decimals = len(text.partition(".")[2])
    return 10.0**-decimals if decimals else 1.0


@lru_cache(maxsize=1)
def load_distances() -> tuple[Distance, ...]:
    """Published rail distances from ``gazetteer/distances/*.csv``."""
    out = []
    for f in _csv_files("distances"):
        for n, row in enumerate(_csv_rows(f), start=2):
            if row.get("from") and row.get("to") and row.get("km"):
                out.append(
                    Distance(
                        row["from"],
                        row["to"],
                        _float(row["km"], f"{f.name}:{n}"),
                        row.get("source", ""),
                        row.get("known_discrepancy", ""),
                        _resolution(row["km"]),
                    )
                )
    return tuple(out)


@lru_cache(maxsize=1)
def load_outlines() -> dict[str, Any]:
    """Natural Earth 1:50m coastlines, borders, major rivers and lakes (``outlines.geojson``).

    A GeoJSON FeatureCollection whose features carry ``kind`` (coast | border | river |
    lake); public domain, provenance in ``gazetteer/SOURCES.md``. Read once per process.
    """
    data: dict[str, Any] = json.loads(data_root().joinpath("outlines.geojson").read_text(encoding="utf-8"))
    return data
