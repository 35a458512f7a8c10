"""The little doclint asks of git: where the work tree is, and what changed since a ref."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from lint.errors import DoclintError


def _git(args: list[str], cwd: str | os.PathLike | None = None) -> subprocess.CompletedProcess:
    git = shutil.which("git")
    if git is None:
        raise DoclintError("git is not installed, but --changed-since needs it")
    try:
        return subprocess.run([git, *args], cwd=cwd, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DoclintError(f"git failed: {exc}") from None


def toplevel(cwd: str | os.PathLike | None = None) -> Path | None:
    try:
        proc = _git(["rev-parse", "--show-toplevel"], cwd)
    except DoclintError:
        return None
    if proc.returncode != 0:
        return None
    return Path(os.fsdecode(proc.stdout).strip())


def changed_since(ref: str, cwd: str | os.PathLike | None = None) -> list[Path]:
    """Files added, copied, modified or renamed since `ref`, committed or not, plus untracked ones."""
    top = toplevel(cwd)
    if top is None:
        raise DoclintError("--changed-since needs a git work tree, and this is not one")
    verify = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    if verify.returncode != 0:
        raise DoclintError(f"--changed-since: '{ref}' is not a commit git knows")
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", ref, "--"], top)
    if diff.returncode != 0:
        raise DoclintError(f"git diff against '{ref}' failed: {os.fsdecode(diff.stderr).strip()}")
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard"], top)
    names = [n for n in (diff.stdout + b"\0" + untracked.stdout).split(b"\0") if n]
    return sorted({top / os.fsdecode(n) for n in names})
