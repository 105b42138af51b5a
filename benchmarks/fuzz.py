"""Fuzz the command line with hostile trip files and count what the security issue forbids.

    python benchmarks/fuzz.py                 # 10,000 files, 2 at a time
    python benchmarks/fuzz.py -n 500 --jobs 2 --seed 7

Each file comes from tests/fuzzing.py (the trip format's schema plus the mutations of
the security issue) and runs through ``routes.cli.main`` in a process of its own, forked
from one that has routes loaded, in a folder of its own. For every run it checks: the
exit code is 0, 1 or 2; no traceback; at most one line on stderr, of at most 300
characters; nothing written on exit 2; the run finished within 10 s (it is killed at
20 s); its peak memory stayed under 500 MB. It prints the counts; each should be 0.
A failing file is kept under --keep with its stderr, to reproduce it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing import CATEGORIES, Outcome, argv_for, problems, trip_file  # noqa: E402

from routes.api import load_network  # noqa: E402
from routes.cli import main  # noqa: E402
from routes.places.resolvers import default_gazetteer  # noqa: E402

KILL_SECONDS = 20.0
LIMIT_MB = 500


def child(folder: Path, argv: list[str]) -> None:
    """Run one file in this forked process; never returns."""
    code = 70
    try:
        os.chdir(folder)
        out = os.open(folder / ".stdout", os.O_WRONLY | os.O_CREAT, 0o600)
        err = os.open(folder / ".stderr", os.O_WRONLY | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = os.fdopen(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.stderr = os.fdopen(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        code = main(argv)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code if isinstance(code, int) else 70)


def main_(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=10_000, help="how many files (default 10,000)")
    ap.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    ap.add_argument("--seed", type=int, default=0, help="first seed; file i uses seed+i")
    ap.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="where failing files are kept")
    args = ap.parse_args(argv)

    load_network()  # loaded once, shared by every fork
    default_gazetteer()
    base = Path(tempfile.mkdtemp(prefix="routes-fuzz-"))
    counts: Counter[str] = Counter()
    codes: Counter[int] = Counter()
    peak_mb = 0.0
    slowest = 0.0
    running: dict[int, tuple[int, Path, float, list[str], bytes]] = {}
    next_i = 0
    done = [0]
    started = time.monotonic()

    def finish(pid: int, status: int, rusage: resource.struct_rusage) -> None:
        nonlocal peak_mb, slowest
        i, folder, t0, run_argv, raw = running.pop(pid)
        seconds = time.monotonic() - t0
        killed = os.WIFSIGNALED(status)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
        stderr = (folder / ".stderr").read_text(encoding="utf-8", errors="replace")
        stdout = (folder / ".stdout").read_text(encoding="utf-8", errors="replace")
        names = {".stdout", ".stderr", run_argv[1]}
        left = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name not in names)
        mb = rusage.ru_maxrss / 1024
        peak_mb, slowest = max(peak_mb, mb), max(slowest, seconds)
        codes[code] += 1
        found = [] if killed else problems(Outcome(code, stdout, stderr, seconds, left))
        if killed:
            found.append(("killed", f"killed at {KILL_SECONDS:g} s"))
        if mb > LIMIT_MB:
            found.append(("memory", f"peak memory {mb:.0f} MB"))
        for category, _ in found:
            counts[category] += 1
        done[0] += 1
        if done[0] % 500 == 0:
            print(f"  {done[0]:,} files, {time.monotonic() - started:,.0f} s", file=sys.stderr)
        if found:
            keep = args.keep / f"{i:05d}"
            keep.mkdir(parents=True, exist_ok=True)
            (keep / run_argv[1]).write_bytes(raw)
            details = [detail for _, detail in found]
            (keep / "problems.txt").write_text("\n".join([" ".join(run_argv), *details, "", stderr]), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)

    while next_i < args.n or running:
        while next_i < args.n and len(running) < args.jobs:
            rng = random.Random(args.seed + next_i)
            raw, suffix = trip_file(rng)
            folder = base / f"{next_i:05d}"
            folder.mkdir()
            name = f"trip{suffix}"
            (folder / name).write_bytes(raw)
            run_argv = argv_for(rng, name)
            pid = os.fork()
            if pid == 0:
                child(folder, run_argv)
            running[pid] = (next_i, folder, time.monotonic(), run_argv, raw)
            next_i += 1
        pid, status, rusage = os.wait4(-1, os.WNOHANG)
        if pid:
            finish(pid, status, rusage)
            continue
        now = time.monotonic()
        for p, (_, _, t0, _, _) in list(running.items()):
            if now - t0 > KILL_SECONDS:
                os.kill(p, signal.SIGKILL)
        select.select([], [], [], 0.01)
    shutil.rmtree(base, ignore_errors=True)

    print(f"{args.n:,} hostile trip files (seeds {args.seed}–{args.seed + args.n - 1}), {args.jobs} at a time")
    print(f"exit codes: {dict(sorted(codes.items()))}")
    print(
        f"slowest run {slowest:.1f} s; largest peak memory {peak_mb:.0f} MB; {time.monotonic() - started:,.0f} s in all"
    )
    rows = [(label, counts[key]) for key, label in CATEGORIES.items()]
    rows += [(f"killed at {KILL_SECONDS:g} s", counts["killed"]), (f"peak memory over {LIMIT_MB} MB", counts["memory"])]
    for label, n in rows:
        print(f"  {label:<36} {n}")
    bad = sum(n for _, n in rows)
    if bad:
        print(f"failing files and their stderr: {args.keep}/")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main_())
