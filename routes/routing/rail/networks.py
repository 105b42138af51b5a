"""Find and open networks: the bundled one (built once, cached), named ones, stores by path.

The bundled network's store lives in the user cache folder (:func:`routes.dirs.cache_dir`;
the ``ROUTES_CACHE_DIR`` environment variable overrides it), in a folder named by a hash of
everything its content depends on: the bundled line and place files, the code that
builds stores and the build settings. A changed input therefore gets a new store; the
cache cannot go stale. A damaged or foreign store there is reported as a warning and
built again.

Named networks live under the user data folder (:func:`routes.dirs.data_dir`), in
``networks/<name>/``; :func:`network_path` is where importers register them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...dirs import cache_dir, data_dir
from ...errors import RoutesError
from ...settings import DEFAULT, Settings
from ...sources.bundled import load_lines, load_places, source_files
from .store import BUILD_SETTINGS, FORMAT_VERSION, RailNetwork, StoreError, StoreWriter, read_store

if TYPE_CHECKING:
    from .records import NetworkRecords

__all__ = [
    "BUNDLED",
    "NetworkNotFound",
    "cache_dir",
    "data_dir",
    "network_path",
    "open_network",
    "open_bundled",
    "bundled_key",
    "build_network",
    "build_store",
    "network_from_records",
    "list_networks",
    "remove_network",
]

log = logging.getLogger(__name__)

BUNDLED = "bundled"
# _builder: the builder and the records (build, records, chainage, contract: 10 ms of import)
# are imported by the functions that build a store, so that opening one, the common case
# (every check, route and map), does without them
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_CODE = ("records.py", "chainage.py", "build.py", "contract.py", "turns.py", "spatial.py", "store.py")


class NetworkNotFound(RoutesError, LookupError):
    """No network of that name or at that path."""


def network_path(name: str) -> Path:
    """The folder of the network named ``name`` (whether or not it exists yet)."""
    if not _NAME.match(name or ""):
        raise NetworkNotFound(f"{name!r} is not a network name: use letters, digits, '-' and '_'")
    return data_dir() / "networks" / name


def bundled_key(settings: Settings = DEFAULT) -> str:
    """A hash of everything the bundled store is made from."""
    h = hashlib.sha256()
    h.update(f"format {FORMAT_VERSION}\n".encode())
    h.update(repr(sorted((k, getattr(settings, k)) for k in BUILD_SETTINGS)).encode())
    here = Path(__file__).parent
    for name in _CODE:
        h.update(name.encode() + b"\0" + (here / name).read_bytes())
    h.update(b"geo.py\0" + (here.parent.parent / "geo.py").read_bytes())
    for f in source_files():
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def network_from_records(records: NetworkRecords, name: str = "network", settings: Settings = DEFAULT) -> RailNetwork:
    """A network built in memory (no store written): for tests and one-off analysis."""
    from .build import build_arrays  # the builder is imported when a network is built: see _builder

    arrays, meta = build_arrays(records, settings)
    return RailNetwork(a=arrays, meta={"name": name, **meta}, name=name, path=None)


def build_network(lines, places, name: str = "network", settings: Settings = DEFAULT) -> RailNetwork:  # noqa: ANN001
    """A network built in memory from line features and places (see :func:`.records.records_from_lines`)."""
    from .records import records_from_lines  # see _builder

    return network_from_records(records_from_lines(lines, places), name, settings)


def build_store(
    records: NetworkRecords,
    dest: Path,
    name: str,
    key: str = "",
    settings: Settings = DEFAULT,
    extras: Mapping[str, bytes] | None = None,
    replace: bool = False,
) -> RailNetwork:
    """Build the store for ``records`` into ``dest`` (atomically) and open it.

    ``extras`` are more files for the store's folder; ``replace`` replaces a store
    already at ``dest`` (see :func:`.store.write_store`).
    """
    from .build import build_into  # see _builder

    with StoreWriter(dest) as w:  # each array written as soon as it is built: a big build's memory
        meta = build_into(records, w.put, settings)
        w.finish({"name": name, "key": key, **meta}, extras, replace)
    return read_store(dest, name=name)


def list_networks() -> list[str]:
    """The names of the networks imported into the user data folder, sorted."""
    root = data_dir() / "networks"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".") and (p / "network.json").is_file())


def remove_network(name: str) -> Path:
    """Delete the imported network ``name`` (moved aside first, so a crash leaves it whole
    or gone); returns the folder it was in. Raises :class:`NetworkNotFound`."""
    if name == BUNDLED:
        raise NetworkNotFound("the bundled network cannot be removed (it is built from gazetteer/)")
    path = network_path(name)
    if not (path / "network.json").is_file():
        raise NetworkNotFound(_unknown(name))
    _discard(path)
    return path


def _unknown(text: str) -> str:
    known = list_networks()
    hint = f"; imported networks: {', '.join(known)}" if known else "; the only network is 'bundled'"
    return f"no network named {text!r}{hint} (or give the path of a store; routes network import makes one)"


@lru_cache(maxsize=4)
def open_bundled(settings: Settings = DEFAULT) -> RailNetwork:
    """The bundled network: its cached store, built first if there is none (or a bad one)."""
    key = bundled_key(settings)
    dest = cache_dir() / "networks" / f"{BUNDLED}-{key[:24]}"
    if dest.exists():
        try:
            net = read_store(dest, name=BUNDLED)
            if net.meta.get("key") != key:
                raise StoreError(f"{dest} holds another network (its key does not match)")
            return net
        except StoreError as err:
            log.warning("the cached bundled network is unusable (%s); building it again", err)
            _discard(dest)
    from .records import records_from_lines  # see _builder

    records = records_from_lines(load_lines(), load_places())
    try:
        return build_store(records, dest, BUNDLED, key, settings)
    except OSError as err:
        # a read-only or full cache folder: build where we can, and say so
        log.warning("cannot write the network cache in %s (%s); using a temporary copy", dest.parent, err)
        tmp = Path(tempfile.mkdtemp(prefix="routes-network-"))
        return build_store(records, tmp / "store", BUNDLED, key, settings)


def _discard(path: Path) -> None:
    aside = path.with_name(f".{path.name}.{uuid.uuid4().hex}.bad")
    try:
        path.rename(aside)
    except OSError:
        aside = path
    shutil.rmtree(aside, ignore_errors=True)


def open_network(name_or_path: str | os.PathLike[str] | None = None, settings: Settings = DEFAULT) -> RailNetwork:
    """A network by name (``"bundled"``, the default, or one imported into the user data
    folder) or by the path of its store.

    Raises
    ------
    NetworkNotFound
        No such name or path.
    StoreError
        The path holds no readable store.
    """
    if name_or_path is None or str(name_or_path) == BUNDLED:
        return open_bundled(settings)
    text = os.fspath(name_or_path)
    as_path = Path(text).expanduser()
    looks_like_path = (
        isinstance(name_or_path, os.PathLike) or os.sep in text or text.startswith(".") or as_path.exists()
    )
    if looks_like_path:
        if not as_path.exists():
            raise NetworkNotFound(f"no network store at {as_path}")
        return read_store(as_path)
    path = network_path(text)
    if not (path / "network.json").is_file():
        raise NetworkNotFound(_unknown(text))
    return read_store(path, name=text)
