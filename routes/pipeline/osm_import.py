"""Import an OpenStreetMap extract as a named network: read, build, store, with a manifest.

``import_network`` reads the extract (:mod:`routes.sources.osm`), turns it into network
records and gazetteer entries (:mod:`routes.routing.rail.osm`), gives every entry its
country and time zone (:mod:`routes.places.countries`), and writes the store with its
gazetteer layer into the user data folder, to a temporary folder first and renamed into
place: a failure at any step leaves nothing behind, and an existing network of that
name is replaced only with ``replace`` and only once the new one is whole.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace as replace_fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RoutesError
from ..places.countries import country_at
from ..places.layer import LAYER_FILE
from ..routing.rail import BUNDLED, RailNetwork, build_store, network_path
from ..routing.rail.osm import ATTRIBUTION, SOURCE, records_from_osm
from ..settings import DEFAULT, Settings
from ..sources.osm import TRACK_DEFAULT, filter_description, read_extract

__all__ = ["NetworkExists", "Imported", "import_network", "ATTRIBUTION"]

log = logging.getLogger(__name__)


class NetworkExists(RoutesError, FileExistsError):
    """An import would overwrite a network of the same name without ``--replace``."""


@dataclass(frozen=True)
class Imported:
    """An imported network, opened, with what the import did and how long each step took."""

    net: RailNetwork
    manifest: Mapping[str, Any]
    seconds: Mapping[str, float]


def _with_zones(places: tuple[Mapping[str, Any], ...]) -> list[dict[str, Any]]:
    out = []
    for p in places:
        country, tz = country_at(float(p["lat"]), float(p["lon"]))
        out.append(
            {
                **p,
                "country": country,
                "tz": tz,
                "source": f"{SOURCE}: {p['osm']}; country and zone from the zone boundaries (timezonefinder, tzdata)",
            }
        )
    return out


def import_network(
    extract: str | Path,
    name: str | None = None,
    *,
    replace: bool = False,
    kinds: tuple[str, ...] = TRACK_DEFAULT,
    settings: Settings = DEFAULT,
    dest: Path | None = None,
) -> Imported:
    """Import ``extract`` as the network ``name`` (default: the file's name before its
    first dot) into the user data folder, or into ``dest`` when given.

    Raises
    ------
    NetworkExists
        A network of that name exists and ``replace`` is false.
    routes.sources.osm.OsmError
        The file is not a readable extract.
    routes.routing.rail.osm.NoRailway
        It holds no railway track.
    """
    src = Path(extract)
    name = name or src.name.split(".")[0]
    if name == BUNDLED:
        raise NetworkExists("'bundled' is the name of the network built from gazetteer/; choose another --name")
    folder = dest if dest is not None else network_path(name)
    if (folder / "network.json").is_file() and not replace:
        raise NetworkExists(f"a network named '{name}' exists already ({folder}); add --replace to overwrite it")
    t0 = time.perf_counter()
    ex = read_extract(src, kinds)
    t1 = time.perf_counter()
    imp = records_from_osm(ex, settings)
    t2 = time.perf_counter()
    places = _with_zones(imp.places)
    t3 = time.perf_counter()
    manifest = {
        "kind": "OpenStreetMap import",
        "file": ex.header.get("file", src.name),
        "file_bytes": ex.header.get("bytes"),
        "timestamp": ex.header.get("timestamp", ""),
        "replication_sequence": ex.header.get("replication_sequence", ""),
        "replication_url": ex.header.get("replication_url", ""),
        "generator": ex.header.get("generator", ""),
        "bbox": ex.header.get("bbox"),
        "track_kinds": list(kinds),
        "filter": filter_description(kinds),
        "counts": {**ex.counts, **imp.stats, "gazetteer_entries": len(places)},
        "attribution": [ATTRIBUTION],
        "licence": "Open Database License (ODbL 1.0): opendatacommons.org/licenses/odbl/",
        "imported": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "country_source": "time zone of each station (timezonefinder) looked up in tzdata's zone.tab",
    }
    records = replace_fields(imp.records, extra=manifest)
    extras = {LAYER_FILE: json.dumps(places, ensure_ascii=False).encode("utf-8")}
    for key, arr in imp.edge_tags.items():  # per-edge tags, in record order (see RailNetwork.edge_tags)
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
        extras[f"x_{key}.npy"] = buf.getvalue()
    net = build_store(records, folder, name, settings=settings, extras=extras, replace=replace)
    t4 = time.perf_counter()
    seconds = {"read": t1 - t0, "records": t2 - t1, "zones": t3 - t2, "store": t4 - t3, "total": t4 - t0}
    log.info("imported %s as %s in %.1f s", src.name, name, seconds["total"])
    return Imported(net, manifest, seconds)
