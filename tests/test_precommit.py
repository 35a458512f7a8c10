"""The pre-commit hook, run by the real pre-commit against this checkout in a temporary repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.org", "NO_COLOR": "1",
                # One hook environment per test session, not per test.
                "PRE_COMMIT_HOME": str(home),
                # Each hook environment is a real install of this checkout; built without
                # the compiled modules (about 100 s a build: tests/test_compiled.py and
                # the wheel test cover them), the hook runs the same checks as Python.
                "DOCLINT_PURE_PYTHON": "1"})
    return env


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def _repo(tmp_path: Path, env) -> Path:
    repo = tmp_path / "corpus"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    (repo / "chapter-1.txt").write_text("The first chapter tells a plain story about a river.\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "base"], cwd=repo, check=True, env=env)
    return repo


def _try_repo(repo: Path, env) -> subprocess.CompletedProcess:
    return subprocess.run([*PRE_COMMIT, "try-repo", str(REPO), "doclint"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


def test_commit_adding_a_donation_appeal_is_blocked(tmp_path, precommit_home):
    env = _env(precommit_home)
    repo = _repo(tmp_path, env)
    (repo / "chapter-2.txt").write_text(
        "The second chapter.\n\nIf you appreciate this eBook, please send money\nthrough PayPal Account:\n")
    subprocess.run(["git", "add", "chapter-2.txt"], cwd=repo, check=True, env=env)
    proc = _try_repo(repo, env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "doclint" in proc.stdout and "Failed" in proc.stdout
    assert "chapter-2.txt:3:1: BPL001 [warning] Donation appeal" in proc.stdout


def test_clean_commit_passes(tmp_path, precommit_home):
    env = _env(precommit_home)
    repo = _repo(tmp_path, env)
    (repo / "chapter-2.txt").write_text("The second chapter continues the story of the river.\n")
    subprocess.run(["git", "add", "chapter-2.txt"], cwd=repo, check=True, env=env)
    proc = _try_repo(repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_hook_definition_matches_the_cli():
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "entry: doclint check --focus" in text
    assert shutil.which("git")


def _readme_hook_config() -> str:
    """The pre-commit configuration exactly as the README shows it."""
    text = (REPO / "README.md").read_text()
    start = text.index("```yaml\n# .pre-commit-config.yaml")
    block = text[start + len("```yaml\n") : text.index("```", start + 8)]
    return block


def test_readme_configuration_blocks_a_real_git_commit(tmp_path, precommit_home):
    env = _env(precommit_home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    repo = _repo(tmp_path, env)
    (repo / ".pre-commit-config.yaml").write_text(_readme_hook_config())
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "config"], cwd=repo, check=True, env=env)
    subprocess.run([*PRE_COMMIT, "install"], cwd=repo, check=True, env=env, capture_output=True)

    (repo / "chapter-2.txt").write_text("Chapter two.\n\nPlease consider a small donation via PayPal.\n")
    subprocess.run(["git", "add", "chapter-2.txt"], cwd=repo, check=True, env=env)
    blocked = subprocess.run(["git", "commit", "-m", "add chapter 2"], cwd=repo, env=env,
                             capture_output=True, text=True, timeout=300)
    assert blocked.returncode != 0
    assert "chapter-2.txt:3:1: BPL001" in blocked.stdout + blocked.stderr
    log = subprocess.run(["git", "log", "--oneline"], cwd=repo, env=env, capture_output=True, text=True).stdout
    assert "add chapter 2" not in log

    (repo / "chapter-2.txt").write_text("Chapter two continues the story of the river.\n")
    subprocess.run(["git", "add", "chapter-2.txt"], cwd=repo, check=True, env=env)
    ok = subprocess.run(["git", "commit", "-m", "add chapter 2"], cwd=repo, env=env,
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout + ok.stderr
