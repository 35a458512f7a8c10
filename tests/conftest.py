"""Shared helpers: run rules on inline text, run the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lint.api import prepare
from lint.catalogue import load_catalogue
from lint.document import Document
from lint.engine import run, run_document

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEEDS = FIXTURES / "seeds"
EBOOK = SEEDS / "004_bc88c7d21c4337ff.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


def lint_files(tmp_path: Path, files: dict[str, str], select: list[str], **config) -> list:
    """Write `files` under tmp_path and lint them with only `select` running."""
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    cfg = {"select": select, "preview": True, **config}
    prepared = prepare(cfg)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return run(["."], prepared.config, prepared.rules, jobs=1).findings
    finally:
        os.chdir(cwd)


def lint_text(text: str, select: list[str], path: str = "doc.txt", dedent: bool = True) -> list:
    """Findings of the selected rules on one in-memory document (no files, no processes)."""
    if dedent:
        text = textwrap.dedent(text).lstrip("\n")
    prepared = prepare({"select": select, "preview": True})
    doc = Document.from_text(text, path)
    return run_document(doc, prepared.rules)


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
