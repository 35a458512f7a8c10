"""The wheel carries the rule catalogue, the compiled kernels and the compiled hot
modules, and works in a fresh virtual environment; the source distribution carries
their source, not the build."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import venv
import zipfile

from conftest import FIXTURES, REPO


def test_wheel_installs_into_a_fresh_venv_with_its_rules(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(dist.glob("doclint-*.whl"))
    assert "py3-none-any" not in wheel.name  # a platform wheel: it carries compiled code
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("lint/kernels.") and n.endswith((".so", ".pyd")) for n in names), names
    assert "lint/_compiled/manifest.txt" in names and "lint/document.py" in names
    assert any(n.startswith("lint/_compiled/lint.document.") for n in names), names
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    install = subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    doclint = env_dir / "bin" / "doclint"
    listed = subprocess.run([str(doclint), "rules", "--format", "json", "--isolated"],
                            cwd=outside, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    codes = {r["code"] for r in json.loads(listed.stdout)}
    assert {"BPL001", "FMT001"} <= codes
    where = subprocess.run([str(py), "-c", "import lint.catalogue as c; print(c.builtin_rules_dir())"],
                           cwd=outside, capture_output=True, text=True, timeout=60)
    assert "site-packages/lint/rules" in where.stdout, where.stdout + where.stderr
    checked = subprocess.run([str(doclint), "check", str(FIXTURES / "boilerplate" / "donation-appeal"), "--isolated"],
                             cwd=outside, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and "BPL001" in checked.stdout
    kernels = subprocess.run([str(py), "-c", "import lint.minhash as m; print(m._compiled().__file__)"],
                             cwd=outside, capture_output=True, text=True, timeout=60)
    assert "site-packages/lint/kernels." in kernels.stdout, kernels.stdout + kernels.stderr
    modules = subprocess.run([str(py), "-c", "import lint.engine as e, lint.document as d; print(e.__file__, d.__file__)"],
                             cwd=outside, capture_output=True, text=True, timeout=60)
    assert modules.stdout.count("site-packages/lint/_compiled/lint.") == 2, modules.stdout + modules.stderr


def test_the_source_distribution_carries_the_kernels_source_and_no_build(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    sdist = next(tmp_path.glob("doclint-*.tar.gz"))
    names = [n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n]
    from lint.compiled import KERNEL_SOURCES  # every file the kernels are built from

    assert {f"lint/{name}" for name in KERNEL_SOURCES} | {"hatch_build.py"} <= set(names)
    assert "lint/blake2b.h" in names
    assert not [n for n in names if n.startswith("lint/kernels.") and n.endswith((".so", ".pyd", ".c"))]
    assert not [n for n in names if n.startswith("lint/_compiled")]
