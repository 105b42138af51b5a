"""Hostile trip files, generated from the trip format's own schema plus the mutations that
broke routes 0.1 (see the security issue). Shared by tests/test_fuzz.py (a bounded run in
the suite) and benchmarks/fuzz.py (10,000 files, counted).

``trip_file(rng)`` returns ``(data, suffix)``: the bytes of one file and ``.yaml`` or
``.json``. Everything comes from ``rng``, so a seed reproduces a file.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from typing import Any

import yaml

from routes.model import CLAIM_KINDS
from routes.sources.bundled import load_places
from routes.trips.read import SCHEMA

assert set(SCHEMA["claim"]) == set(CLAIM_KINDS), "the schema names every claim kind"

TEMPLATE = [
    "{{ 7*7 }}",
    "{% for x in 'ab' %}L{{ x }}{% endfor %}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{#",
    "Trip {{",
]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "`${alert(1)}`", "]]><x>", "\"'><svg>"]
CONTROL = ["\x1b]0;owned\x07", "\x1b[31m", "\x00", "\x01\x0b\x0c", "\u202e", "\x9b31m", "\r\n", "\ufffe"]
SCRIPTS = ["Хасан", "Уссурийск", "하산", "두만강", "哈桑", "Đồng Đăng", "Lạng Sơn", "Улан-Удэ", "Забайкальск"]
FAR = ["Dong Dang", "Pingxiang", "Lang Son", "Changsha", "Chita", "Ulan-Ude", "Beijing", "Hanoi", "Paris", "Qqqzzz"]
REQUIRED = {"from", "to", "km", "kmh", "place", "region"}
BRIDGES = ["the bridge over the Zeya", "Razdolnaya railway bridge", "Amur bridge", "the bridge over the Nowhere"]


class RawInt:
    """An integer written as digits (Python's int cannot print more than 4,300 of them)."""

    def __init__(self, digits: str) -> None:
        self.digits = digits


def _raw_int(dumper: yaml.SafeDumper, value: RawInt) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:int", value.digits)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(RawInt, _raw_int)


@dataclass
class Gen:
    """Values for each kind the schema names. A calm generator writes a trip that should
    be read (its text may still hold payloads and control characters, which are valid
    text); a wild one gets every value wrong in some way now and then."""

    rng: random.Random
    names: list[str]
    wild: bool = True

    def pick(self, seq: Any) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # ------------------------------------------------------------------ values
    def text(self) -> Any:
        r = self.rng.random() * (0.72 if not self.wild else 1.0)
        if r < 0.35:
            return " ".join(
                self.pick(["train", "KCNA", "report", "Yonhap", "said", "TASS", "—", "№"]) for _ in range(3)
            )
        if r < 0.5:
            return self.pick(TEMPLATE) + " " + self.pick(MARKUP)
        if r < 0.65:
            return "x" + self.pick(CONTROL) + "y"
        if r < 0.72:
            return self.pick(SCRIPTS)
        if r < 0.76:
            return "\udfff lone"
        if r < 0.80:
            return "".join(self.rng.choice(string.printable) for _ in range(self.rng.randrange(1, 40)))
        if r < 0.83:
            return "L" * self.rng.choice([300, 9_000, 12_000])
        if r < 0.9:
            return ""
        return self.junk()

    def number(self) -> Any:
        r = self.rng.random()
        if r < 0.55 or not self.wild:
            return round(self.rng.uniform(0.1, 1500), 1)
        return self.pick(
            [
                0,
                -5,
                float("nan"),
                float("inf"),
                float("-inf"),
                1e308,
                RawInt("1" + "0" * 400),
                RawInt("9" * 5000),
                "12",
                True,
                None,
                [1, 2],
                {"a": 1},
            ]
        )

    def hours(self) -> Any:
        if not self.wild:
            return self.pick([0, 0.5, 2, 3])
        if self.chance(0.3):
            return self.pick(["90 min", "2 h", "1.5 hours", "ten minutes", "-3 h", "1e9 h"])
        return self.number()

    def speed(self) -> Any:
        r = self.rng.random()
        if not self.wild:
            return {"min": self.pick([5, 20, 40]), "max": self.pick([60, 80, 120])}
        if r < 0.6:
            lo = self.pick([5, 20, 40, 0, -1, float("nan")])
            return {"min": lo, "max": self.pick([60, 80, 120, 10, 1e9, float("inf"), RawInt("1" + "0" * 400)])}
        if r < 0.8:
            return self.number()
        return self.junk()

    def band(self) -> Any:
        """A detour band: mostly {min, max} between 1 and 2, sometimes nonsense."""
        if not self.wild or self.chance(0.6):
            lo = self.pick([1.0, 1.1, 1.2])
            return {"min": lo, "max": lo + self.pick([0.0, 0.3, 0.5])}
        return self.pick([{"min": 0.5, "max": 1.2}, {"min": 2, "max": 1}, {"min": 1.2}, 1.4, "1.2-1.6", self.junk()])

    def modes(self) -> Any:
        """Per-mode settings: a mapping of modes to speed_kmh, detour, allowance_hours."""
        keys = ["rail", "road", "air", "sea", "foot"] + (["unknown", "banana"] if self.wild else [])
        out: dict[str, Any] = {}
        for mode in {self.pick(keys) for _ in range(self.rng.randrange(1, 3))}:
            body: dict[str, Any] = {}
            if self.chance(0.7):
                body["speed_kmh"] = (
                    self.speed() if self.chance(0.8) else self.pick(["airliner", "car", "ship", "walking"])
                )
            if mode in ("road", "sea", "foot") and self.chance(0.4):
                body["detour"] = self.band()
            if mode == "air" and self.chance(0.4):
                body["allowance_hours"] = self.hours()
            out[mode] = body
        return out if not self.wild or self.chance(0.9) else self.junk()

    def transfers(self) -> Any:
        """Transfer times between pairs of modes: {rail-road: 0.5, ...}."""
        pairs = ["rail-road", "road-air", "air-sea", "rail-rail", "foot-road"] + (
            ["road-road", "rail-banana", "x"] if self.wild else []
        )
        return {self.pick(pairs): self.hours() for _ in range(self.rng.randrange(1, 3))}

    def place(self) -> Any:
        r = self.rng.random() * (0.76 if not self.wild else 1.0)
        if not self.wild and 0.63 <= r < 0.7:
            r = 0.0  # a name in another script, for a calm trip one the gazetteer holds
        if r < 0.45:
            return self.pick(self.names)
        if r < 0.55:
            name = list(self.pick(self.names))
            i = self.rng.randrange(len(name))
            name[i] = self.rng.choice(string.ascii_lowercase)
            return "".join(name)  # a typo
        if r < 0.63:
            return self.pick(FAR)
        if r < 0.7:
            return self.pick(SCRIPTS)
        if r < 0.76:
            return self.pick(BRIDGES)
        if r < 0.88:
            point = {
                "lat": self.pick([round(self.rng.uniform(-90, 90), 4), 43.1, float("nan"), 91, "x", None]),
                "lon": self.pick([round(self.rng.uniform(-180, 180), 4), 131.9, float("inf"), -181, True]),
            }
            if self.chance(0.4):
                point["name"] = self.text()
            return point
        if r < 0.93:
            return self.text()
        return self.junk()

    def country(self) -> Any:
        if not self.wild:
            return self.pick(["RU", "Russia", "KP", "North Korea"])
        return self.pick(["RU", "Russia", "Vietnam", "VN", "China", "Hunan", "Narnia", "", "K" * 300, 7, None])

    def network(self) -> Any:
        """A network name: the bundled one in a calm trip; else names that do not exist,
        paths, traversal and junk."""
        if not self.wild:
            return "bundled"
        return self.pick(["bundled", "fareast", "../../etc", "/tmp/x", "a b", "", "x" * 100, "ünïcode", 5, None])

    def span(self) -> Any:
        """Character offsets into a report: mostly [start, end], sometimes nonsense."""
        a = self.rng.randrange(0, 5000)
        return self.pick([[a, a + self.rng.randrange(0, 400)], [a + 5, a], [-1, 3], [a], "3-9", [True, 2]])

    def places(self) -> Any:
        if self.chance(0.7):
            return [self.place() for _ in range(self.rng.randrange(1, 4))]
        return self.place()

    def time(self) -> Any:
        r = self.rng.random() * (0.65 if not self.wild else 1.0)
        day = f"2023-09-{self.rng.randrange(1, 29):02d}"
        hh = f"{self.rng.randrange(0, 24):02d}:{self.rng.randrange(0, 60):02d}"
        zone = self.pick(["+10:00", "+09:00", "Z", "", "+07:00", "+14:00"])
        if r < 0.35:
            return f"{day}T{hh}{zone}"
        if r < 0.5:
            return day
        if r < 0.65:
            return {"earliest": f"{day}T{hh}{zone}", "latest": f"{day}T23:59{zone}"}
        if r < 0.8:
            return self.pick(
                [
                    "9999-12-31",
                    "0001-01-01T00:00+10:00",
                    "9999-12-31T23:59:59+00:00",
                    "2023-02-30",
                    "2023-13-45T99:00",
                    "yesterday",
                    "1799-12-31",
                    {"earliest": "2023-09-13T10:00", "latest": "2023-09-12T10:00"},
                    {"earliest": "2023-09-13"},
                ]
            )
        return self.junk()

    def junk(self, depth: int = 0) -> Any:
        r = self.rng.random()
        if r < 0.2 or depth > 3:
            return self.pick([None, True, 0, -1, 3.5, "", "x", float("nan"), RawInt("7" * 4400)])
        if r < 0.6:
            return [self.junk(depth + 1) for _ in range(self.rng.randrange(0, 4))]
        return {self.pick(["a", "place", "time", "title", "{{x}}"]): self.junk(depth + 1) for _ in range(2)}

    def value(self, kind: Any) -> Any:
        if isinstance(kind, tuple):
            return self.pick(kind) if self.chance(0.85) or not self.wild else self.text()
        if isinstance(kind, dict):  # a calm claim has every key its kind needs
            return {k: self.value(v) for k, v in kind.items() if (not self.wild and k in REQUIRED) or self.chance(0.8)}
        return getattr(self, kind)()

    # ------------------------------------------------------------------ records
    def event(self) -> Any:
        if self.wild and self.chance(0.03):
            return self.junk()
        out: dict[str, Any] = {}
        for key, kind in SCHEMA["event"].items():
            if key == "place" or self.chance(0.35):
                out[key] = self.value(kind)
        if not self.wild:  # a calm event holds only what fits together
            out.pop("country", None)  # a calm trip names no country: most names would be refused
            out.pop("span", None)
            if out.get("mode") not in ("road", "sea", "foot"):
                out.pop("detour", None)
            if out.get("mode") != "air":
                out.pop("allowance_hours", None)
            if isinstance(out.get("speed_kmh"), dict) and "mode" not in out:
                out.pop("speed_kmh")
        if self.wild and self.chance(0.03):
            out["unknown_key"] = 1
        return out

    def events(self) -> Any:
        if self.wild and self.chance(0.05):
            return self.junk()
        n = self.pick([0, 1, 2, 2, 3, 3, 4, 5, 6, 8] if self.wild else [2, 3, 4, 5, 6, 8])
        return [self.event() for _ in range(n)]

    def claim(self) -> Any:
        kind = self.pick(list(SCHEMA["claim"]))
        out = {kind: self.value(SCHEMA["claim"][kind])}
        for key, k in SCHEMA["claim_extra"].items():
            if self.chance(0.4) and (self.wild or key != "span"):
                out[key] = self.value(k)
        if self.wild and self.chance(0.03):
            out[self.pick(list(SCHEMA["claim"]))] = "second kind"
        return out

    def claims(self) -> Any:
        if self.wild and self.chance(0.05):
            return self.junk()
        return [self.claim() for _ in range(self.rng.randrange(0, 4))]

    def trip(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, kind in SCHEMA["trip"].items():
            if key == "country" and not self.wild:
                continue
            if key in ("title", "events") or self.chance(0.4):
                out[key] = self.value(kind)
        return out

    def many_events(self) -> dict[str, Any]:
        """A big, valid trip: hundreds to a few thousand events at bundled stations."""
        n = self.pick([200, 2001, 6000])  # 2,001 and more are over the limit, refused on reading
        events = []
        for i in range(n):
            ev: dict[str, Any] = {"place": self.pick(self.names[:200]), "kind": "passed"}
            if i % 10 == 0:
                ev["time"] = f"2023-{1 + i // 2000:02d}-{1 + (i // 80) % 28:02d}T{(i // 10) % 24:02d}:00+10:00"
            events.append(ev)
        return {"title": "many events", "events": events}


def _dump(data: Any, as_json: bool) -> str:
    if as_json:

        def default(o: Any) -> Any:
            return int(o.digits[:300]) if isinstance(o, RawInt) else str(o)

        return json.dumps(data, default=default, ensure_ascii=True)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
)


def _names() -> list[str]:
    names: list[str] = []
    for p in load_places():
        names.append(p.name)
        names.extend(p.aliases[:2])
    return names


_NAMES: list[str] = []


def trip_file(rng: random.Random) -> tuple[bytes, str]:
    """One hostile trip file: (bytes, suffix)."""
    if not _NAMES:
        _NAMES.extend(_names())
    g = Gen(rng, _NAMES, wild=rng.random() < 0.4)
    as_json = g.chance(0.2)
    data = g.many_events() if g.chance(0.01) else g.trip()
    text = _dump(data, as_json)
    r = rng.random()
    if r < 0.04:  # nested far too deep
        depth = g.pick([25, 500, 5000, 50_000])
        nest = "[" * depth + "]" * depth
        text = text.replace("{", '{"note": ' + nest + ", ", 1) if as_json else f"note: {nest}\n" + text
    elif r < 0.07 and not as_json:  # a billion laughs
        text = BOMB + text.replace("title:", "title: *g\nx_title:", 1) if g.chance(0.5) else BOMB + text
    elif r < 0.1:  # cut short
        text = text[: rng.randrange(len(text) + 1)]
    elif r < 0.11:  # too big
        text = text + ("\n# " + "x" * 1000) * 6000 if not as_json else text
    elif r < 0.13 and not as_json:  # plain-value aliases, which are allowed
        text = "src: &s KCNA\n" + text + "\nnotes: *s\n"
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:  # bytes that are not UTF-8
        b = bytearray(raw)
        for _ in range(rng.randrange(1, 6)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        raw = bytes(b)
    return raw, ".json" if as_json else ".yaml"


def argv_for(rng: random.Random, path: str) -> list[str]:
    """The command a file is run with: mostly check, sometimes a build of some format."""
    r = rng.random()
    if r < 0.7:
        return ["check", path] + (["--json"] if rng.random() < 0.3 else [])
    fmt = rng.choice(["html", "geojson", "kml", "md", "fragment"])
    return ["build", path, "--format", fmt]


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    leftovers: list[str]  # files in the working folder besides the trip itself


CATEGORIES = {
    "code": "exit codes outside 0/1/2",
    "traceback": "tracebacks",
    "lines": "more than one stderr line",
    "long": "a stderr line over 300 characters",
    "wrote": "files written on exit 2",
    "slow": "over 10 s",
}


def problems(o: Outcome, max_seconds: float = 10.0) -> list[tuple[str, str]]:
    """What the security issue forbids, for one run: (category, detail) pairs."""
    out = []
    if o.code not in (0, 1, 2):
        out.append(("code", f"exit code {o.code}"))
    if "Traceback" in o.stderr:
        out.append(("traceback", o.stderr[-300:]))
    lines = o.stderr.splitlines()
    if len(lines) > 1:
        out.append(("lines", f"{len(lines)} lines on stderr"))
    if any(len(line) > 300 for line in lines):
        out.append(("long", "a stderr line over 300 characters"))
    if o.code == 2 and o.leftovers:
        out.append(("wrote", f"wrote {o.leftovers} on exit 2"))
    if o.seconds > max_seconds:
        out.append(("slow", f"took {o.seconds:.1f} s"))
    return out
