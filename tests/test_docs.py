"""The README's promises: its test command is what CI runs; its example trip is bundled."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    test_cmd = next(c for c in commands if c.rstrip().endswith("pytest"))
    assert test_cmd in ci.splitlines()


def test_readme_names_the_file_build_writes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "output/kim-jong-uns-train-to-the-vostochny-summit-september-2023.html" in readme
