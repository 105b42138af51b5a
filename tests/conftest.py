"""Shared fixtures: the bundled data, synthetic networks, and a scratch working folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import synthetic_lines

from routes.api import open_network
from routes.places import default_gazetteer
from routes.routing.rail import RailNetwork, build_network, to_networkx


def pytest_configure(config: pytest.Config) -> None:
    """Caches and user data go under .pytest_cache, never into the user's own folders
    (the network store and the world gazetteer's index are built there once)."""
    root = Path(str(config.rootpath)) / ".pytest_cache" / "routes"
    os.environ.setdefault("ROUTES_CACHE_DIR", str(root / "cache"))
    os.environ.setdefault("ROUTES_DATA_DIR", str(root / "data"))


@pytest.fixture(scope="session")
def net() -> RailNetwork:
    return open_network()


@pytest.fixture(scope="session")
def graph(net):
    """The bundled network as a networkx graph (the test-time model)."""
    return to_networkx(net)


@pytest.fixture(scope="session")
def gz():
    return default_gazetteer()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty temporary folder (so output/ lands there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def synthetic() -> RailNetwork:
    lines, places = synthetic_lines()
    return build_network(lines, places)


@pytest.fixture(scope="session")
def synthetic_graph(synthetic):
    return to_networkx(synthetic)
