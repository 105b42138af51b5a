"""Drive Debian's headless Chromium: dump the DOM after scripts ran, or take a screenshot."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str:
    """Path of the browser; tests that need it fail in CI without it, and skip elsewhere."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def run(url: str, *extra: str, offline: bool = False, timeout: int = 120) -> tuple[str, str]:
    """Load ``url`` and return (DOM after scripts ran, browser log).

    ``offline`` makes every host unresolvable but 127.0.0.1 (where the tests serve
    Leaflet), so nothing leaves the machine.
    """
    exe = chromium()
    with tempfile.TemporaryDirectory() as profile:
        args = [exe, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=8000", *extra]
        if offline:
            args.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        proc = subprocess.run([*args, "--dump-dom", url], capture_output=True, text=True, timeout=timeout)
    return proc.stdout, proc.stderr


def screenshot(url: str, out: Path, size: str = "1280,860", offline: bool = True) -> None:
    exe = chromium()
    with tempfile.TemporaryDirectory() as profile:
        args = [
            exe,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=8000",
            f"--window-size={size}",
            "--hide-scrollbars",
            f"--screenshot={out}",
        ]
        if offline:
            args.append("--host-resolver-rules=MAP * ~NOTFOUND")
        subprocess.run([*args, url], capture_output=True, text=True, timeout=120, check=True)
