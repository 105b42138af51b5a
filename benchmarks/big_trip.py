"""Big trips: ``routes check`` and ``routes build`` on a trip of N events. Prints figures, asserts nothing.

Run: python benchmarks/big_trip.py [--events 2000 ...] [--runs 3] [--seed 7] [--commands check build]

Each trip is written by :func:`big_trip`: N events at bundled stations drawn at random
(with repeats; a station is drawn only when its name is the name of no other bundled
place, so every event resolves without a question), listed in the order drawn
(``order: listed``, the default), every fifth event timed, the times increasing by
six hours to three days from one timed event to the next. Every command runs in a fresh
process (the network store is built once before timing, as for a user's second run);
its wall time and peak RSS (``os.wait4``'s rusage) are printed as medians over
``--runs``, with the exit code (1 is expected: random legs are often infeasible) and,
for ``build``, the size of the HTML written.

Target from issue 10: 2,000 events under 5 s and 300 MB for ``routes check``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from routes.places.text import normalize
from routes.sources.bundled import load_lines, load_places

START = datetime(2023, 9, 1, 6, 0, tzinfo=timezone(timedelta(hours=10)))


def station_names() -> list[str]:
    """Names of bundled stations on a bundled line that name no other bundled place."""
    places = load_places()
    on_lines = {v.ref for line in load_lines() for v in line.vertices if v.ref}
    count = Counter(normalize(n) for p in places for n in {p.name, *p.aliases})
    return sorted(p.name for p in places if p.kind == "station" and p.id in on_lines and count[normalize(p.name)] == 1)


def big_trip(n_events: int, seed: int = 7) -> dict:
    """A trip of ``n_events`` events (see the module docstring), as the YAML document's data."""
    rng = random.Random(seed)
    names = station_names()
    events = []
    t = START
    for i in range(n_events):
        event: dict = {"place": rng.choice(names), "kind": "passed", "source": f"benchmark event {i + 1}"}
        if i % 5 == 0:
            if i:
                t += timedelta(hours=rng.randint(6, 72))
            event["time"] = t.isoformat(timespec="minutes")
            event["kind"] = "arrived"
        events.append(event)
    return {
        "title": f"Benchmark: {n_events:,} events at random bundled stations (seed {seed})",
        "traveller": "benchmark train",
        "mode": "rail",
        "speed_kmh": {"min": 20, "max": 80},
        "events": events,
    }


def measure(cmd: list[str], cwd: Path, max_mb: int) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB, exit code and the last line of stderr of ``cmd``,
    run with at most ``max_mb`` of address space (so a runaway cannot take the machine)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (max_mb * 2**20, max_mb * 2**20))

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=cap)
    assert proc.stderr is not None
    err = proc.stderr.read()  # the pipe is drained before waiting, so a long message cannot block
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return wall, usage.ru_maxrss / 1024.0, proc.returncode, lines[-1] if lines else ""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, nargs="+", default=[2000])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--max-mb", type=int, default=4000, help="address space allowed to each command (MB)")
    p.add_argument("--commands", nargs="+", choices=["check", "build"], default=["check", "build"])
    args = p.parse_args(argv)
    routes_exe = str(Path(sys.executable).with_name("routes"))
    with tempfile.TemporaryDirectory(prefix="routes-big-trip-") as d:
        cwd = Path(d)
        subprocess.run([routes_exe, "-q", "check"], cwd=cwd, capture_output=True)  # builds the store cache
        for n in args.events:
            trip = cwd / f"trip-{n}.yaml"
            trip.write_text(yaml.safe_dump(big_trip(n, args.seed), sort_keys=False, allow_unicode=True), "utf-8")
            for command in args.commands:
                cmd = [routes_exe, "-q", command, str(trip)]
                out = cwd / f"trip-{n}.html"
                if command == "build":
                    cmd += ["-o", str(out)]
                runs = [measure(cmd, cwd, args.max_mb) for _ in range(args.runs)]
                wall = statistics.median(r[0] for r in runs)
                rss = statistics.median(r[1] for r in runs)
                codes = sorted({r[2] for r in runs})
                line = f"{n:,} events: routes {command}: median {wall:.2f} s, peak RSS {rss:.0f} MB"
                line += f" (runs {args.runs}; exit {'/'.join(map(str, codes))})"
                if command == "build" and out.exists():
                    line += f"; HTML {out.stat().st_size / 2**20:.1f} MiB"
                if command == "check" and n == 2000:
                    line += " (target < 5 s, < 300 MB)"
                print(line, flush=True)
                for r in runs:
                    if r[2] not in (0, 1):
                        print(f"  exit {r[2]}: {r[3]}", flush=True)
                        break
    return 0


if __name__ == "__main__":
    sys.exit(main())
