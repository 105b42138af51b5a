"""The command line end to end, called as ``main([...])`` in a temporary folder."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from routes.cli import main

SLUG = "kim-jong-uns-train-to-the-vostochny-summit-september-2023"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_writes_the_map_and_prints_path_and_legs(in_tmp, capsys):
    code, out, err = run(capsys, "build")
    assert code == 0, err
    path = in_tmp / "output" / f"{SLUG}.html"
    assert path.is_file()
    assert out.splitlines()[0] == str(path)
    assert "rail km" in out and "verdict" in out
    assert "Khasan" in out and "Vostochny Cosmodrome" in out and "feasible" in out
    page = path.read_text(encoding="utf-8")
    assert "L.map(" in page and "L.polyline(" in page
    assert not list((in_tmp / "output").glob(".*.tmp")), "temporary file left behind"


def test_check_json_follows_the_contract(in_tmp, capsys):
    code, out, _ = run(capsys, "check", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["trip"].startswith("Kim Jong-un")
    for leg in d["legs"]:
        assert {
            "from",
            "to",
            "rail_km",
            "straight_km",
            "via",
            "alternatives",
            "hours_available",
            "hours_needed",
            "implied_kmh",
            "verdict",
            "why",
        } <= set(leg)
        assert leg["verdict"] in {"feasible", "tight", "infeasible", "unknown"}
    assert d["legs"][0]["from"] == "Khasan"
    assert any("Baranovsky" in leg["via"] for leg in d["legs"])
    for c in d["claims"]:
        assert {"claim", "verdict", "why", "source"} <= set(c)
        assert c["verdict"] in {"supported", "contradicted", "unverifiable"}


def test_check_table(in_tmp, capsys):
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert "supported" in out and "straight-line" in out
    assert "timing, between timed events:\n  Khasan → Vostochny Cosmodrome: feasible" in out


def test_check_exits_1_when_infeasible(in_tmp, capsys):
    trip = in_tmp / "fast.yaml"
    trip.write_text(
        "title: too fast\nevents:\n  - {place: Khasan, time: 2023-09-12T06:00+10:00}\n  - {place: Vostochny Cosmodrome, time: 2023-09-12T12:00+09:00}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", str(trip))
    assert code == 1
    assert "infeasible" in out


def test_resolve_json(capsys):
    code, out, _ = run(capsys, "resolve", "Хасан", "Ussuriisk", "--json")
    assert code == 0
    d = json.loads(out)
    assert [q["query"] for q in d] == ["Хасан", "Ussuriisk"]
    best = d[0]["matches"][0]
    assert {"name", "lat", "lon", "kind", "country", "score", "source"} <= set(best)
    assert best["name"] == "Khasan" and best["country"] == "RU"


def test_resolve_unknown_name_exits_2_with_candidates(capsys):
    code, out, err = run(capsys, "resolve", "Khasanovo-Glavny")
    assert code == 2
    assert err.count("\n") == 1 and "did you mean" in err and "Khasan" in err


def test_network_info(capsys):
    code, out, _ = run(capsys, "network", "info", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["total_km"] > 5000 and len(d["components"]) == 1
    code, out, _ = run(capsys, "network", "info")
    assert "Trans-Siberian" in out and "connected components" in out


def test_where_json(capsys):
    code, out, _ = run(capsys, "where", "--at", "2023-09-12T18:00+10:00", "--json")
    assert code == 0
    d = json.loads(out)
    lo, hi = d["km_from_start"]
    assert 0 <= lo <= hi
    assert d["leg"] == {"from": "Khasan", "to": "Vostochny Cosmodrome"}
    assert d["geometry"]["type"] == "LineString"
    lon, lat = d["geometry"]["coordinates"][0]
    assert 120 < lon < 140 and 40 < lat < 55  # lon, lat order


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("geojson", ".geojson"), ("kml", ".kml"), ("md", ".md"), ("fragment", ".fragment.html")]
)
def test_build_other_formats(in_tmp, capsys, fmt, suffix):
    code, out, err = run(capsys, "build", "--format", fmt)
    assert code == 0, err
    path = Path(out.splitlines()[0])
    assert path.name == SLUG + suffix
    text = path.read_text(encoding="utf-8")
    if fmt == "geojson":
        fc = json.loads(text)
        legs = [f for f in fc["features"] if f["properties"]["feature"] == "leg"]
        assert len(legs) == 3
        lon, lat = legs[0]["geometry"]["coordinates"][0]
        assert 125 < lon < 140 and 40 < lat < 55
    elif fmt == "kml":
        root = ET.fromstring(text)
        assert root.tag.endswith("kml")
        assert len(root.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) >= 7
    elif fmt == "md":
        assert "| from | to | rail km |" in text and "**feasible**" in text
    else:
        assert text.startswith('<div class="routes-map"') and "srcdoc=" in text


def test_output_into_a_folder(in_tmp, capsys):
    (in_tmp / "maps").mkdir()
    code, out, _ = run(capsys, "build", "-o", "maps")
    assert code == 0
    assert Path(out.splitlines()[0]) == Path("maps") / f"{SLUG}.html"


BAD_INPUT = {
    "missing file": (None, "trip file not found"),
    "invalid yaml": ("title: [x\n", "invalid YAML"),
    "not a mapping": ("- a\n- b\n", "must be a mapping"),
    "unknown place": (
        "title: t\nevents:\n  - place: Khasn-Zzzyx-Qqq\n  - place: Ussuriysk\n",
        "no place 'Khasn-Zzzyx-Qqq'",
    ),
    "bad time": (
        "title: t\nevents:\n  - {place: Khasan, time: '2023-13-45T99:00'}\n  - place: Ussuriysk\n",
        "cannot read time",
    ),
    "one event": ("title: t\nevents:\n  - place: Khasan\n", "at least two located events"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
@pytest.mark.parametrize("command", ["build", "check"])
def test_bad_input_one_line_exit_2_nothing_written(in_tmp, capsys, case, command):
    text, message = BAD_INPUT[case]
    trip = in_tmp / "trip.yaml"
    if text is not None:
        trip.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, command, str(trip))
    assert code == 2
    assert err.startswith("routes: error:") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err
    assert not (in_tmp / "output").exists()


def test_unknown_place_suggests_the_fix(in_tmp, capsys):
    trip = in_tmp / "t.yaml"
    trip.write_text("title: t\nevents:\n  - place: Khasanovo-Glavny\n  - place: Ussuriysk\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(trip))
    assert code == 2 and "did you mean" in err and "'Khasan'" in err


def test_where_without_zone_is_bad_input(capsys):
    code, _, err = run(capsys, "where", "--at", "2023-09-12T18:00")
    assert code == 2 and "has no zone" in err


def test_hostile_title_cannot_escape_the_output_folder(in_tmp, capsys):
    trip = in_tmp / "t.yaml"
    trip.write_text("title: ../../../etc/evil\nevents:\n  - place: Khasan\n  - place: Ussuriysk\n", encoding="utf-8")
    code, out, _ = run(capsys, "build", str(trip))
    assert code == 0
    path = Path(out.splitlines()[0]).resolve()
    assert path.parent == (in_tmp / "output").resolve()
    assert path.name == "etc-evil.html"


def test_build_with_where_draws_the_stretch(in_tmp, capsys):
    code, out, err = run(capsys, "build", "--where", "2023-09-12T18:00+10:00")
    assert code == 0, err
    page = Path(out.splitlines()[0]).read_text(encoding="utf-8")
    assert "Where at 2023-09-12T18:00:00+10:00" in page
    assert "possible position at" in page


def test_unwritable_output_is_bad_input(in_tmp, capsys):
    (in_tmp / "afile").write_text("x", encoding="utf-8")
    code, out, err = run(capsys, "build", "-o", str(in_tmp / "afile" / "map.html"))
    assert code == 2
    assert err.startswith("routes: error: cannot write") and err.count("\n") == 1
    assert (in_tmp / "afile").read_text(encoding="utf-8") == "x"


def test_a_command_hands_back_to_the_collector_what_it_kept_out_of_its_sight(capsys):
    """main() keeps the objects loaded before it from the garbage collector while it runs,
    and hands them back when it returns: a program that calls it keeps collecting them."""
    import gc

    before = gc.get_freeze_count()
    code, out, _ = run(capsys, "check")
    assert code == 0 and "Khasan" in out
    assert gc.get_freeze_count() == before
    code, _, err = run(capsys, "check", "no-such-trip.yaml")
    assert code == 2 and err and gc.get_freeze_count() == before
