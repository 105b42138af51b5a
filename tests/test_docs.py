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


def test_readme_example_is_what_routes_check_prints(capsys):
    """The example output in the README is the bundled trip's real table and timing lines
    (the claim lines are wrapped for the page, so they are compared without the wrapping)."""
    from routes.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ routes check\n(.+?)```", readme, re.S)
    assert block, "the README shows `routes check` output"
    shown = block.group(1)
    assert main(["check"]) == 0
    printed = capsys.readouterr().out
    head, _, claims = shown.partition("\nclaim ")
    assert printed.startswith(head.rstrip("\n")), "the README's legs and timing lines are stale"
    words = lambda text: " ".join(text.split())  # noqa: E731 - undo the page's wrapping
    for line in claims.splitlines()[2:]:
        if line.strip():
            assert words(line) in words(printed), f"stale claim text in the README: {line.strip()}"
