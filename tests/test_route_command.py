"""``routes route``, the routing API (open_network, shortest_route, alternative_routes),
``--network`` on the commands that route, and which commands stay clear of folium."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import routes
from routes.cli import main
from routes.errors import NoRoute, PlaceNotFound
from routes.model import Place


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_route_json_follows_the_contract(capsys):
    code, out, err = run(capsys, "route", "Khasan", "Ussuriysk", "--json", "--alternatives", "2")
    assert code == 0, err
    d = json.loads(out)
    for key in ("from", "to", "km", "snap_m", "via", "reversals", "geometry", "alternatives", "network"):
        assert key in d, key
    assert d["from"]["name"] == "Khasan" and {"name", "lat", "lon"} <= set(d["from"])
    assert d["network"] == "bundled" and d["profile"] == "main" and d["turn_rules"] is True
    assert 255 < d["km"] < 265 and d["reversals"] == 0
    assert "Baranovsky" in d["via"]
    assert d["geometry"]["type"] == "LineString" and len(d["geometry"]["coordinates"]) > 10
    lon, lat = d["geometry"]["coordinates"][0]
    assert abs(lat - d["from"]["lat"]) < 0.01 and abs(lon - d["from"]["lon"]) < 0.01
    assert d["snap_m"] == [0.0, 0.0]
    for alt in d["alternatives"]:
        assert {"km", "via", "geometry"} <= set(alt) and alt["km"] >= d["km"]


def test_route_takes_coordinates_and_says_how_far_they_lie_from_the_track(capsys):
    code, out, err = run(capsys, "route", "43.3,132.0", "Belogorsk", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["from"]["lat"] == 43.3 and d["from"]["lon"] == 132.0
    assert 1000 < d["snap_m"][0] < 50_000 and d["snap_m"][1] == 0.0
    code, out, _ = run(capsys, "route", "43.3, 132.0", "Belogorsk")
    assert code == 0 and "km from the track" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["95.0,132.0", "Belogorsk"], "latitude must be within"),
        (["Khasn-xyzzy-qq", "Belogorsk"], "no place"),
        (["Khasan", "Ussuriysk", "--alternatives", "-1"], "--alternatives -1"),
        (["0.0,0.0", "Belogorsk"], "from any track"),
    ],
)
def test_route_refuses_bad_input_in_one_line(capsys, args, message):
    code, out, err = run(capsys, "route", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_route_profile_and_turn_rules_flags(capsys):
    code, out, _ = run(capsys, "route", "Ussuriysk", "Khabarovsk", "--profile", "electric", "--no-turn-rules")
    assert code == 0 and "profile electric, no turn rules" in out
    # the Khasan line is not electrified: the electric profile cannot reach Khasan
    code, _, err = run(capsys, "route", "Ussuriysk", "Khasan", "--profile", "electric")
    assert code == 2 and "electric profile" in err
    assert run(capsys, "route", "Khasan", "Ussuriysk", "--profile", "fast")[0] == 2


def test_the_api_routes_between_names_pairs_and_places(net, gz):
    by_name = routes.shortest_route(net, "Khasan", "Ussuriysk")
    khasan, ussuriysk = gz.get("khasan"), gz.get("ussuriysk")
    by_place = routes.shortest_route(None, khasan, ussuriysk)
    by_pair = routes.shortest_route("bundled", (khasan.lat, khasan.lon), (ussuriysk.lat, ussuriysk.lon))
    assert by_name.km == pytest.approx(by_place.km) == pytest.approx(by_pair.km, abs=0.01)
    assert by_name.reversals == 0 and "baranovsky" in by_name.via
    assert by_name.geometry["type"] == "LineString"
    alts = routes.alternative_routes(net, "Skovorodino", "Komsomolsk-on-Amur", k=2)
    assert alts and all(a.km > 0 for a in alts)
    assert routes.alternative_routes(net, "Khasan", "Ussuriysk", k=0) == []
    assert routes.open_network().path == net.path
    with pytest.raises(PlaceNotFound):
        routes.shortest_route(net, "Qqqzzzxxx", "Ussuriysk")
    with pytest.raises(NoRoute):
        routes.shortest_route(net, Place("x", "Null Island", "point", 0.0, 0.0), "Ussuriysk")


def test_network_info_names_the_network_and_its_turn_rules(capsys):
    code, out, _ = run(capsys, "network", "info")
    assert code == 0 and "turn rules" in out and "khasan-line: too coarse" in out
    code, out, _ = run(capsys, "network", "info", "--json")
    d = json.loads(out)
    assert d["network"] == "bundled" and d["routing_nodes"] < d["stations"]
    assert all("turn_rules" in line for line in d["lines"])
    code, _, err = run(capsys, "network", "info", "nosuchnet")
    assert code == 2 and "no network named" in err


def test_check_and_where_take_a_network(capsys, in_tmp):
    code, out, _ = run(capsys, "check", "--json", "--network", "bundled")
    assert code == 0 and json.loads(out)["legs"]
    code, _, err = run(capsys, "check", "--network", str(in_tmp / "nothing-here"))
    assert code == 2 and "no network store at" in err


LAZY = {
    "check": ["check"],
    "resolve": ["resolve", "Khasan"],
    "route": ["route", "Khasan", "Ussuriysk"],
    "network info": ["network", "info"],
}


@pytest.mark.parametrize("argv", list(LAZY.values()), ids=list(LAZY))
def test_commands_without_a_map_do_not_import_folium(argv, tmp_path):
    code = (
        "import sys\n"
        "from routes.cli import main\n"
        f"assert main({argv!r}) == 0\n"
        "heavy = sorted(m for m in ('folium', 'branca', 'jinja2', 'networkx') if m in sys.modules)\n"
        "print('IMPORTED', heavy)\n"
    )
    env = dict(os.environ)  # keeps the tests' private cache folder
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "IMPORTED []" in proc.stdout, proc.stdout[-300:]


def test_the_rail_router_is_a_router(net, gz):
    from routes.routing.base import Router
    from routes.routing.rail import RailRouter

    router = RailRouter(net)
    assert isinstance(router, Router) and router.mode == "rail"
    a, b = gz.get("khasan"), gz.get("ussuriysk")
    assert router.shortest(a, b).km == pytest.approx(routes.shortest_route(net, a, b).km)
    assert RailRouter(net, turn_rules=False).shortest(a, b).km == pytest.approx(router.shortest(a, b).km)


def test_route_on_a_network_given_by_path(tmp_path, capsys):
    from helpers import synthetic_lines

    from routes.routing.rail import build_store, records_from_lines

    lines, places = synthetic_lines()
    path = tmp_path / "synthetic-store"
    build_store(records_from_lines(lines, places), path, "synthetic")
    by_id = {p.id: p for p in places}
    a, b = by_id["s0_0"], by_id["s5_7"]
    code, out, err = run(capsys, "route", f"{a.lat},{a.lon}", f"{b.lat},{b.lon}", "--network", str(path), "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["network"] == "synthetic" and d["snap_m"] == [0.0, 0.0] and d["km"] > 100
    assert d["via"][0] == "s0_0" and d["via"][-1] == "s5_7"
