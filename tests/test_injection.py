"""No text reaches a template engine: every string field of the trip model, found by
reflection, carries template payloads through every output format and comes out literally.

A field either refuses the payload (a closed vocabulary: the model raises) or its text
appears, exactly as written, in the outputs; no subprocess runs; every build exits 0. A
new string field is covered without anyone remembering it; a field that shows in no
output must be listed in NOT_SHOWN, with the reason.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import subprocess
import types
import typing
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from routes import api
from routes.cli import main
from routes.model import Claim, Place, Point, Sighting, TimeSpec, Trip
from routes.places.index import Gazetteer
from routes.places.resolvers import default_gazetteer
from routes.present.formats import FORMATS
from routes.sources.bundled import load_lines, load_places, load_regions, load_rivers
from routes.trips.read import example_trip_path, load_trip

PAYLOADS = [
    "{{ 7*7 }}",
    "{% for x in 'ab' %}LOOP{{ x }}{% endfor %}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{# an unclosed comment",
    "Trip {{",
    "{{ ''.__class__.__mro__[1].__subclasses__() }} ${7*7} `x` </script><img src=x onerror=alert(1)>",
]

# string fields that no output shows, and why
NOT_SHOWN = {
    "Trip.source_path": "the file the trip was read from; outputs name the trip by its title",
    "TimeSpec.text": "the time as written; outputs show the time as understood, with its zone",
}


# fields checked against a table when the trip's names are resolved, as a closed vocabulary
# is when the trip is read: a value not in gazetteer/world/countries.csv is a one-line error
# (tests/test_honesty.py), so the payload is refused, never shown
RESOLVED_LATER = {"Sighting.country", "Trip.country"}


def hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def is_text(tp: Any) -> bool:
    """A field that holds text: ``str``, or a union with ``str`` in it (``str | Point``)."""
    return tp is str or (typing.get_origin(tp) in (typing.Union, types.UnionType) and str in typing.get_args(tp))


def base_trip() -> Trip:
    """The bundled example, with one claim of every kind so every claim field is used."""
    trip = load_trip(example_trip_path())
    extra = (
        Claim("via", ("Baranovsky",)),
        Claim("order", ("Khasan", "Ussuriysk")),
        Claim("speed", ("Khasan", "Vostochny Cosmodrome"), 45, qualifier="average"),
        Claim("in_region", ("Vostochny Cosmodrome",), region="Amur Oblast"),
    )
    return dataclasses.replace(trip, claims=trip.claims + extra)


class Hostile:
    """Fills every text field of a trip with ``payload`` tagged by the field's path, and
    builds a gazetteer in which the hostile place names resolve to the real places."""

    def __init__(self, payload: str) -> None:
        self.payload = payload
        self.tags: dict[str, str] = {}  # field path -> its text
        self.refused: set[str] = set()
        self.places: list[Place] = []
        self.regions = list(load_regions())
        self.real = default_gazetteer(world=False)

    def text(self, path: str) -> str:
        value = f"{self.payload} ⟦{path}⟧"
        self.tags[path] = value
        return value

    def place_name(self, path: str, real: str) -> str:
        value = self.text(path)
        if real in {r.name for r in self.regions}:
            (region,) = [r for r in self.regions if r.name == real]
            self.regions.append(dataclasses.replace(region, id=f"hostile-{len(self.regions)}", name=value, aliases=()))
        else:
            place = self.real.resolve(real, prefer="station")[0].place
            self.places.append(
                dataclasses.replace(place, id=f"hostile:{len(self.places)}", name=value, aliases=(), source=value)
            )
        return value

    def fill(self, obj: Any, path: str) -> Any:
        """A copy of dataclass ``obj`` with every text field replaced, recursively."""
        cls = type(obj)
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            tp, value, where = hints(cls)[f.name], getattr(obj, f.name), f"{path}.{f.name}"
            if isinstance(value, str) and is_text(tp):
                kind = f"{cls.__name__}.{f.name}"
                if kind == "Claim.region" and not value:
                    continue  # only an in_region claim names a region
                if kind in RESOLVED_LATER:
                    self.refused.add(kind)
                    continue
                new = self.place_name(where, value) if kind in ("Sighting.place", "Claim.region") else self.text(where)
                try:
                    dataclasses.replace(obj, **{f.name: new})
                except ValueError:  # a closed vocabulary refuses the payload: that is safe too
                    self.refused.add(kind)
                    del self.tags[where]
                    continue
                changes[f.name] = new
            elif isinstance(value, tuple) and value and all(isinstance(x, str) for x in value):
                changes[f.name] = tuple(self.place_name(f"{where}[{i}]", x) for i, x in enumerate(value))
            elif isinstance(value, tuple):
                changes[f.name] = tuple(
                    self.fill(x, f"{where}[{i}]") if dataclasses.is_dataclass(x) else x for i, x in enumerate(value)
                )
            elif dataclasses.is_dataclass(value) and not isinstance(value, Point):
                changes[f.name] = self.fill(value, where)
        return dataclasses.replace(obj, **changes)

    def gazetteer(self) -> Gazetteer:
        return Gazetteer([*load_places(), *self.places], regions=self.regions, rivers=load_rivers(), lines=load_lines())


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def page_texts(page: str) -> list[str]:
    """The texts an HTML map page shows: its title and its scene's data."""
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    data = re.findall(r'<script type="application/json" id="routes-scene-\w+">(.*?)</script>', page, re.S)
    assert title and len(data) == 1, "the page has one title and one scene"
    return [html.unescape(title.group(1)), *strings(json.loads(data[0]))]


SVG = "{http://www.w3.org/2000/svg}"


def texts_of(fmt: str, path: Path) -> list[str]:
    """The texts an output shows, read back as its readers would.

    A printed map wraps long texts between words, one line to a text element: its lines
    are joined with a space, in drawing order. A PNG has no text to read back (its build
    must still succeed without a subprocess, and the file must open as an image).
    """
    if fmt == "png":
        with Image.open(path) as im:
            im.verify()
        return []
    if fmt == "pdf":
        return [" ".join(page.extract_text().split("\n")) for page in PdfReader(path).pages]
    raw = path.read_text(encoding="utf-8")
    if fmt == "svg":
        return [" ".join(t.text or "" for t in ET.fromstring(raw).iter(f"{SVG}text"))]
    if fmt == "html":
        return page_texts(raw)
    if fmt == "fragment":
        srcdoc = re.search(r'srcdoc="([^"]*)"', raw)
        assert srcdoc
        return page_texts(html.unescape(srcdoc.group(1)))
    if fmt == "geojson":
        return strings(json.loads(raw))
    if fmt == "kml":
        root = ET.fromstring(raw)
        return [t for e in root.iter() for t in (e.text, e.tail, *e.attrib.values()) if t]
    if fmt == "md":
        return [html.unescape(re.sub(r"\\(.)", r"\1", raw))]
    raise AssertionError(f"no reader for format {fmt}: add one here")


@pytest.fixture
def no_subprocess(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args!r}")

    for name in ("popen", "system", "execv", "execve", "execvp", "spawnv", "spawnve", "posix_spawn", "fork"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
    for name in ("Popen", "run", "call", "check_call", "check_output", "getoutput", "getstatusoutput"):
        monkeypatch.setattr(subprocess, name, refuse)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_every_text_field_comes_out_literally_in_every_format(payload, tmp_path, monkeypatch, capsys, no_subprocess):
    hostile = Hostile(payload)
    trip = hostile.fill(base_trip(), "trip")
    assert (
        hostile.refused
        <= {
            "Sighting.kind",
            "Sighting.confidence",
            "Sighting.mode",
            "ModeTerms.mode",
            "Trip.mode",
            "Trip.order",
            "Trip.network",
            "Claim.kind",
            "Claim.qualifier",
            "Claim.confidence",
        }
        | RESOLVED_LATER
    ), "a free-text field refused text"
    gz = hostile.gazetteer()
    monkeypatch.setattr(api, "load_trip", lambda path, *a, **k: trip)
    monkeypatch.setattr(api, "default_gazetteer", lambda *a, **k: gz)
    monkeypatch.chdir(tmp_path)

    outputs: dict[str, list[str]] = {}
    for fmt, suffix in FORMATS.items():
        target = tmp_path / f"out{suffix}"
        assert main(["build", "trip.yaml", "--format", fmt, "-o", str(target)]) == 0, capsys.readouterr().err
        outputs[fmt] = texts_of(fmt, target)
    target = tmp_path / "inline.html"
    assert main(["build", "trip.yaml", "--self-contained", "-o", str(target)]) == 0
    outputs["self-contained"] = texts_of("html", target)
    capsys.readouterr()
    assert main(["check", "trip.yaml", "--json"]) in (0, 1)
    outputs["check --json"] = strings(json.loads(capsys.readouterr().out))
    assert main(["check", "trip.yaml"]) in (0, 1)
    outputs["check"] = [capsys.readouterr().out]

    shown: set[str] = set()
    for fmt, texts in outputs.items():
        joined = "\n".join(texts)
        assert "uid=" not in joined and "LOOPa" not in joined, f"{fmt}: a template ran"
        for path, value in hostile.tags.items():
            tag = value[len(payload) :]  # " ⟦path⟧": plain text, survives any rendering
            for text in texts:
                start = text.find(tag)
                while start != -1:
                    assert text[max(0, start - len(payload)) : start + len(tag)] == value, (
                        f"{fmt}: {path} did not come out literally: {text[max(0, start - 80) : start + len(tag)]!r}"
                    )
                    shown.add(path)
                    start = text.find(tag, start + 1)
    missing = {p for p in hostile.tags if p not in shown and _kind(p) not in NOT_SHOWN}
    assert not missing, f"text fields that no output shows (add to NOT_SHOWN with a reason?): {sorted(missing)}"


def _kind(path: str) -> str:
    """'trip.events[0].source' -> 'Sighting.source' (the model class and field of a path)."""
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    owner = {"trip": "Trip", "events": "Sighting", "claims": "Claim", "time": "TimeSpec"}[parts[-2]]
    return f"{owner}.{parts[-1]}"


def test_the_walk_finds_every_text_field_of_the_model():
    """The reflection reaches every str field of Trip, Sighting, Claim and TimeSpec."""
    hostile = Hostile("{{ 7*7 }}")
    hostile.fill(base_trip(), "trip")
    found = {_kind(p) for p in hostile.tags} | hostile.refused
    declared = {
        f"{cls.__name__}.{name}"
        for cls in (Trip, Sighting, Claim, TimeSpec)
        for name, tp in hints(cls).items()
        if is_text(tp) or tp == tuple[str, ...]
    }
    assert declared <= found, f"fields the walk missed: {sorted(declared - found)}"
