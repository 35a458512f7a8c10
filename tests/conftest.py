"""Shared paths and helpers: the fixtures folder, the seeds, the real CLI in a subprocess."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from lint.engine import run

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEEDS = FIXTURES / "seeds"
EBOOK = SEEDS / "004_bc88c7d21c4337ff.txt"
SHARED = REPO.parent / "shared"


def lint_folder(folder: Path, prepared, jobs: int = 1, **run_options):
    """Lint `folder` from inside it, as a user would, so report paths are relative to it."""
    with contextlib.chdir(folder):
        return run(["."], prepared.config, prepared.rules, jobs=jobs, **run_options)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """The real command line in a subprocess: what a user or CI sees, exit code included."""
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "lint", *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL, **kw,
    )


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
