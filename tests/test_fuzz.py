"""A bounded fuzz run in the suite: hostile trip files from the format's schema plus the
mutations of the security issue; every run keeps the command line's contract.

``python benchmarks/fuzz.py`` runs the same generator on 10,000 files in separate
processes and counts tracebacks, kills, slow runs and memory peaks.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import resource
import time
import traceback
from pathlib import Path

from fuzzing import Outcome, argv_for, problems, trip_file
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from routes.cli import main

MB = 1024  # ru_maxrss is in KiB on Linux


def run(raw: bytes, suffix: str, argv_rng: random.Random, folder: Path) -> Outcome:
    folder.mkdir()
    trip = folder / f"trip{suffix}"
    trip.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    start = time.monotonic()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv_for(argv_rng, trip.name))
            except BaseException:  # a crash is what the test looks for: keep its traceback
                err.write(traceback.format_exc())
                code = 70
    finally:
        os.chdir(cwd)
    seconds = time.monotonic() - start
    leftovers = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p != trip)
    return Outcome(code, out.getvalue(), err.getvalue(), seconds, leftovers)


# derandomized: the suite sees the same files every run (benchmarks/fuzz.py explores);
# no shrinking: a failing file is reported as it was generated, at once
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.randoms(use_true_random=False), st.integers(0, 2**32 - 1))
def test_hostile_trip_files_keep_the_contract(tmp_path_factory, rng, n):
    raw, suffix = trip_file(rng)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    folder = tmp_path_factory.mktemp("fuzz")
    outcome = run(raw, suffix, random.Random(n), folder / "run")
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / MB
    found = problems(outcome)
    assert not found, (found, raw[:300], outcome.stderr[-2000:])
    assert grown < 500, f"peak memory grew by {grown:.0f} MB"
