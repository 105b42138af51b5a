"""Optional lookups beyond the bundled data, with fakes: nothing here touches the network."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from geopy.exc import GeocoderUnavailable

import routes.cli.app as cli
import routes.places.online as online
from routes.errors import OnlineError, PlaceNotFound
from routes.model import Place
from routes.places.index import Gazetteer
from routes.places.online import NominatimGeocoder
from routes.sources.bundled import load_lines, load_places, load_regions, load_rivers


class FakeClient:
    """Stands in for geopy's Nominatim: counts calls, answers from a table."""

    def __init__(self, answers, fail=False):
        self.answers = answers
        self.calls = []
        self.fail = fail

    def geocode(self, query, exactly_one=True, timeout=None):
        self.calls.append((query, timeout))
        if self.fail:
            raise GeocoderUnavailable("no network")
        hit = self.answers.get(query)
        return None if hit is None else SimpleNamespace(latitude=hit[0], longitude=hit[1], address=hit[2])


def test_geocoder_caches_on_disk_and_rate_limits(tmp_path, monkeypatch):
    slept = []
    monkeypatch.setattr("routes.places.online.time.sleep", lambda s: slept.append(s))
    client = FakeClient({"Kraskino": (42.71, 130.78, "Kraskino, Khasansky District, Primorsky Krai, Russia")})
    g = NominatimGeocoder(client=client, cache=tmp_path / "cache.json", min_interval=1.0, timeout=7)
    assert g.geocode("Kraskino")[:2] == (42.71, 130.78)
    assert g.geocode("Unknownplace") is None
    assert len(client.calls) == 2 and client.calls[0][1] == 7
    assert slept and max(slept) <= 1.0  # the second request waited for the interval
    # a new geocoder answers from the disk cache without asking
    client2 = FakeClient({})
    g2 = NominatimGeocoder(client=client2, cache=tmp_path / "cache.json")
    assert g2.geocode("kraskino")[0] == 42.71
    assert g2.geocode("Unknownplace") is None
    assert client2.calls == []
    assert json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))["kraskino"][0] == 42.71


def test_geocoder_offline_is_a_clear_error(tmp_path):
    g = NominatimGeocoder(client=FakeClient({}, fail=True), cache=tmp_path / "c.json", min_interval=0)
    with pytest.raises(OnlineError, match="are you offline"):
        g.geocode("Kraskino-Zzz")


def test_gazetteer_asks_the_geocoder_only_after_everything_else(tmp_path):
    client = FakeClient({"Zarubino port": (42.64, 131.08, "Zarubino, Primorsky Krai, Russia")})
    g = NominatimGeocoder(client=client, cache=tmp_path / "c.json", min_interval=0)
    gz = Gazetteer(load_places(), load_regions(), load_rivers(), load_lines(), geocoder=g)
    assert gz.resolve("Khasan")[0].place.id == "khasan"
    assert client.calls == []  # bundled data first
    m = gz.resolve("Zarubino port")[0]
    assert m.place.kind == "point" and m.how == "online geocoder"
    assert "Nominatim" in m.place.source


def test_world_gazetteer_is_consulted_after_the_bundled_data():
    paris = Place(
        "geonames:2988507",
        "Paris",
        "city",
        48.85341,
        2.3488,
        "FR",
        "Europe/Paris",
        ("Parigi",),
        2988507,
        None,
        "GeoNames",
    )
    calls = []

    def world():
        calls.append(1)
        return [paris]

    gz = Gazetteer(load_places(), world=world)
    assert gz.resolve("Khasan")[0].place.id == "khasan"
    assert calls == []  # loaded lazily, only when needed
    assert gz.resolve("Parigi")[0].place.geonames_id == 2988507
    with pytest.raises(PlaceNotFound):
        gz.resolve("Qqqzzzxxx")


def test_cli_online_flag_uses_the_geocoder(monkeypatch, capsys, tmp_path):
    client = FakeClient({"Zarubino port": (42.64, 131.08, "Zarubino, Primorsky Krai, Russia")})
    # the command line imports the geocoder only with --online: patch it where it lives
    monkeypatch.setattr(
        online,
        "NominatimGeocoder",
        lambda: NominatimGeocoder(client=client, cache=tmp_path / "c.json", min_interval=0),
    )
    assert cli.main(["resolve", "Zarubino port", "--online", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d[0]["matches"][0]["lat"] == 42.64
    # without --online the same name is an error, and the fake is not asked
    client.calls.clear()
    assert cli.main(["resolve", "Zarubino port"]) == 2
    assert client.calls == []


def test_one_overall_deadline_bounds_every_lookup_of_a_run(tmp_path, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("routes.places.online.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("routes.places.online.time.sleep", lambda s: clock.__setitem__(0, clock[0] + s))

    class Silent(FakeClient):
        def geocode(self, query, exactly_one=True, timeout=None):
            self.calls.append((query, timeout))
            clock[0] += timeout  # the server never answers: the whole timeout passes
            raise GeocoderUnavailable("timed out")

    client = Silent({})
    g = NominatimGeocoder(client=client, cache=tmp_path / "c.json", min_interval=1.0, timeout=10, deadline=10)
    with pytest.raises(OnlineError, match="are you offline"):
        g.geocode("Zarubino port")
    with pytest.raises(OnlineError, match="ran out of time"):
        g.geocode("Kraskino port")
    assert len(client.calls) == 1 and client.calls[0][1] <= 10  # one attempt, no retries, within the deadline


def test_the_real_client_makes_no_retries():
    from geopy.adapters import URLLibAdapter

    g = NominatimGeocoder(cache=None)
    assert isinstance(g.client.adapter, URLLibAdapter)


@pytest.mark.parametrize("content", ["{not json", '["a list"]', '{"x": [1, 2]}', '{"x": ["a", 2, "b"]}'])
def test_a_malformed_cache_is_set_aside_and_the_run_goes_on(tmp_path, content, caplog):
    cache = tmp_path / "c.json"
    cache.write_text(content, encoding="utf-8")
    client = FakeClient({"Zarubino port": (42.64, 131.08, "Zarubino")})
    g = NominatimGeocoder(client=client, cache=cache, min_interval=0)
    assert g.geocode("Zarubino port")[0] == 42.64
    assert (tmp_path / "c.json.bad").read_text(encoding="utf-8") == content
    assert json.loads(cache.read_text(encoding="utf-8")) == {"zarubino port": [42.64, 131.08, "Zarubino"]}
    assert "set aside" in caplog.text


def test_cli_online_failure_is_one_line(monkeypatch, capsys, tmp_path):
    client = FakeClient({}, fail=True)
    monkeypatch.setattr(  # the command line imports the geocoder only with --online
        online, "NominatimGeocoder", lambda: NominatimGeocoder(client=client, cache=tmp_path / "c.json", min_interval=0)
    )
    assert cli.main(["resolve", "Zarubino port", "--online"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "are you offline" in err
