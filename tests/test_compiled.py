"""The hot modules compiled by the build stand in for their sources only while they
match them, and give the same findings as the sources do (lint/compiled.py)."""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import subprocess
import sys

from conftest import REPO, SEEDS, run_cli

from lint import compiled

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _package(tmp_path, source: str = "X = 1\n", head: str | None = None):
    """A package folder like lint/, with one module and a manifest naming its compiled form."""
    package = tmp_path / "lint"
    (package / "_compiled").mkdir(parents=True)
    (package / "mod.py").write_text(source)
    (package / "_compiled" / f"lint.mod{SUFFIX}").write_bytes(b"compiled")
    digest = hashlib.sha256(source.encode()).hexdigest()
    head = head or f"{sys.implementation.cache_tag} {SUFFIX}"
    (package / "_compiled" / compiled.MANIFEST).write_text(f"{head}\nlint.mod {digest} lint.mod{SUFFIX}\nnot a row\n")
    return package


def test_a_compiled_module_is_offered_while_its_source_is_unchanged(tmp_path):
    package = _package(tmp_path)
    assert compiled.fresh_modules(str(package)) == {"lint.mod": str(package / "_compiled" / f"lint.mod{SUFFIX}")}
    (package / "mod.py").write_text("X = 2\n")  # edited since the build: imported as Python
    assert compiled.fresh_modules(str(package)) == {}


def test_nothing_is_offered_without_a_manifest_or_for_another_interpreter(tmp_path):
    package = _package(tmp_path, head=f"cpython-299 {SUFFIX}")
    assert compiled.fresh_modules(str(package)) == {}
    (package / "_compiled" / compiled.MANIFEST).unlink()
    assert compiled.fresh_modules(str(package)) == {}
    package = _package(tmp_path / "again")
    (package / "_compiled" / f"lint.mod{SUFFIX}").unlink()  # a manifest naming a file that is gone
    assert compiled.fresh_modules(str(package)) == {}


def test_the_finder_serves_its_own_modules_and_no_other(tmp_path):
    path = str(tmp_path / f"lint.mod{SUFFIX}")
    finder = compiled.CompiledFinder({"lint.mod": path})
    assert finder.find_spec("lint.other") is None
    spec = finder.find_spec("lint.mod")
    assert spec.origin == path and spec.has_location
    assert isinstance(spec.loader, importlib.machinery.ExtensionFileLoader) and spec.loader.path == path


def _in_use(env: dict | None = None) -> list[str]:
    code = "import lint.api, lint.engine, lint.compiled as c; print(' '.join(c.in_use()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **(env or {})}, cwd=REPO, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_the_build_compiled_the_hot_modules_and_a_run_imports_them():
    """The install that runs these tests built them (a C compiler is there: the kernels
    need one too); each still matching its source is what a run imports, and with
    DOCLINT_PURE_PYTHON=1 none is."""
    manifest = (REPO / "lint" / "_compiled" / compiled.MANIFEST).read_text().splitlines()
    built = {row.split()[0] for row in manifest[1:]}
    assert {"lint.document", "lint.engine", "lint.checks.pattern", "lint.minhash"} <= built
    fresh = compiled.fresh_modules()
    assert fresh, "every compiled module is stale: reinstall (pip install -e .) to rebuild them"
    used = _in_use()
    assert used and set(used) <= set(fresh)
    assert {"lint.document", "lint.engine"} & set(fresh) <= set(used)
    assert _in_use({compiled.PURE_PYTHON: "1"}) == []


def test_compiled_and_python_modules_report_the_seeds_alike():
    reports = []
    for env in ({}, {compiled.PURE_PYTHON: "1"}):
        result = run_cli("check", str(SEEDS), "--isolated", "--no-cache", "--format", "json", "--exit-zero",
                         "--jobs", "2", env=env)
        assert result.returncode == 0, result.stderr
        reports.append(json.loads(result.stdout)["findings"])
    assert len(reports[0]) > 1000
    assert reports[0] == reports[1]


def test_the_kernels_carry_the_digest_of_their_sources_and_a_stale_build_is_passed_over(tmp_path, monkeypatch):
    """The install built lint.kernels from the sources here, and stamped it so; a build
    from other sources (an edit, or a pull, since the last install) is not used, and the
    numpy and Python forms run instead; with no sources to compare, the build is trusted."""
    from lint import kernels

    assert kernels.SOURCE_DIGEST == compiled.kernels_digest() != ""
    assert compiled.fresh_kernels() is kernels
    for name in compiled.KERNEL_SOURCES:  # a copy of the sources with one line more
        text = (REPO / "lint" / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text + ("# edited\n" if name.endswith(".pyx") else ""), encoding="utf-8")
    edited = compiled.kernels_digest(str(tmp_path))
    assert edited is not None and edited != kernels.SOURCE_DIGEST
    monkeypatch.setattr(compiled, "kernels_digest", lambda package=None: edited)
    assert compiled.fresh_kernels() is None
    monkeypatch.undo()
    (tmp_path / "kernels_simd.h").unlink()
    assert compiled.kernels_digest(str(tmp_path)) is None
    monkeypatch.setattr(compiled, "kernels_digest", lambda package=None: None)
    assert compiled.fresh_kernels() is kernels
