"""A non-editable install, run from another folder: the bundled data ships inside the wheel.

Offline: the wheel is built without build isolation from the test environment's own
setuptools, installed with --no-deps into a separate folder, and run with the test
environment's dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_install_builds_the_map_from_another_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = wheels.glob("routes_rail-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import routes, sys; from routes.cli import main; print(routes.__file__); sys.exit(main(['build']))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith(str(target)), f"imported the source tree, not the wheel: {first}"
    maps = list((work / "output").glob("*.html"))
    assert len(maps) == 1 and maps[0].stat().st_size > 10_000
    assert str(ROOT) not in proc.stdout
