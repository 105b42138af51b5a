"""The world gazetteer's index is built once into the cache folder, then opened in
milliseconds; a changed input gives a new file, a broken file is rebuilt."""

from __future__ import annotations

import pytest

from routes.model import Place
from routes.places import world
from routes.places.world import WorldDB, load_world

TOWNS = (
    Place("geonames:1", "Đồng Đăng", "town", 21.94, 106.70, "VN", "Asia/Ho_Chi_Minh", ("Dong Dang", "同登")),
    Place("geonames:2", "Pingxiang", "city", 22.10, 106.76, "CN", "Asia/Shanghai", ("凭祥",)),
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTES_CACHE_DIR", str(tmp_path))
    calls = []
    monkeypatch.setattr(world, "world_places", lambda n: calls.append(n) or TOWNS)
    load_world.cache_clear()
    yield tmp_path, calls
    load_world.cache_clear()


def test_built_once_then_opened(cache):
    folder, calls = cache
    first = load_world(5000)
    assert isinstance(first, WorldDB) and len(first) == 2 and calls == [5000]
    load_world.cache_clear()
    again = load_world(5000)
    assert isinstance(again, WorldDB) and calls == [5000]  # opened, not rebuilt
    assert [p.name for p in again.exact("dong dang")] == ["Đồng Đăng"]
    assert [p.name for p in again.exact("凭祥")] == ["Pingxiang"]
    assert again.exact("Dong Dong") == []
    (f,) = folder.glob("world-*.sqlite")
    assert not list(folder.glob(".*tmp"))


def test_a_changed_input_is_a_new_file(cache):
    folder, calls = cache
    load_world(5000)
    load_world(15000)
    assert calls == [5000, 15000] and len(list(folder.glob("world-*.sqlite"))) == 2


def test_a_broken_file_is_rebuilt(cache, caplog):
    folder, calls = cache
    load_world(5000)
    (f,) = folder.glob("world-*.sqlite")
    f.write_bytes(b"not a database at all" * 100)
    load_world.cache_clear()
    rebuilt = load_world(5000)
    assert calls == [5000, 5000] and len(rebuilt) == 2
    assert "rebuilding" in caplog.text
