"""The real command line in a subprocess: exit codes, one-line errors, formats, --jobs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, SEEDS, run_cli

APPEAL = FIXTURES / "boilerplate" / "donation-appeal"


def _no_traceback(proc):
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_findings_exit_1_and_clean_exit_0(tmp_path):
    proc = run_cli("check", str(APPEAL), "--isolated")
    assert proc.returncode == 1
    assert "BPL001" in proc.stdout
    (tmp_path / "clean.txt").write_text("A perfectly ordinary sentence.\n")
    proc = run_cli("check", str(tmp_path), "--isolated")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "No findings in 1 file."


def test_fail_on_and_exit_zero():
    assert run_cli("check", str(APPEAL), "--isolated", "--fail-on", "error").returncode == 0
    assert run_cli("check", str(APPEAL), "--isolated", "--exit-zero").returncode == 0


@pytest.mark.parametrize("args,message", [
    (["check", "does/not/exist"], "does/not/exist: no such file or directory"),
    (["check", ".", "--select", "NOPE999"], "unknown rule code, name, prefix or category 'NOPE999'"),
    (["check", ".", "--config", "missing.toml"], "config file missing.toml does not exist"),
    (["explain", "NOPE999"], "unknown rule 'NOPE999'"),
    (["check", ".", "--format", "yaml"], "Invalid value for '--format'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "a.txt").write_text("text\n")
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    _no_traceback(proc)


def test_invalid_config_names_file_and_key(tmp_path):
    (tmp_path / "doclint.toml").write_text('select = ["BPL001"]\nfail_on = "error"\n')
    (tmp_path / "a.txt").write_text("text\n")
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "doclint.toml: unknown key 'fail_on'" in proc.stderr
    _no_traceback(proc)
    (tmp_path / "doclint.toml").write_text('[rules.BPL001]\nscope = "chapter"\n')
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "'scope'" in proc.stderr and "doclint.toml" in proc.stderr
    _no_traceback(proc)


def test_bad_rule_file_in_user_rule_dir_names_file(tmp_path):
    rules = tmp_path / "myrules" / "boilerplate"
    rules.mkdir(parents=True)
    (rules / "x.toml").write_text('code = "BPL999"\nname = "x"\n')
    (tmp_path / "doclint.toml").write_text('rule-dirs = ["myrules"]\n')
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "x.toml" in proc.stderr and "'category'" in proc.stderr
    _no_traceback(proc)


def test_unreadable_file_is_an_error_but_other_files_are_still_reported(tmp_path):
    (tmp_path / "secret.txt").write_text("Please donate via PayPal.\n")
    (tmp_path / "open.txt").write_text("Please donate via PayPal.\n")
    os.chmod(tmp_path / "secret.txt", 0)
    prefix = []
    if os.geteuid() == 0:
        # Root reads everything; drop the capabilities that let it, as an ordinary user lacks them.
        setpriv = shutil.which("setpriv")
        assert setpriv, "util-linux setpriv is needed to test permissions as root"
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "lint", "check", ".", "--isolated", "--jobs", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2, proc.stderr
    assert "doclint: error: secret.txt: permission denied" in proc.stderr
    assert "open.txt:1:1: BPL001" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_binary_file_is_skipped_with_a_notice(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
    (tmp_path / "a.txt").write_text("Fine text.\n")
    proc = run_cli("check", ".", "--isolated", cwd=tmp_path)
    assert proc.returncode == 0
    assert "doclint: notice: image.txt: binary file skipped" in proc.stderr
    assert "in 1 file" in proc.stdout
    assert run_cli("check", ".", "--isolated", "-q", cwd=tmp_path).stderr == ""


def test_json_output_file_and_jobs_do_not_change_the_report(tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        proc = run_cli("check", str(SEEDS), str(APPEAL), "--isolated", "--format", "json",
                       "--output", str(out), "--jobs", jobs)
        assert proc.returncode == 1, proc.stderr
        assert proc.stdout == ""
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert data["files_scanned"] == 9


def test_format_defaults_to_github_inside_github_actions():
    proc = run_cli("check", str(APPEAL), "--isolated", env={"GITHUB_ACTIONS": "true"})
    first = proc.stdout.splitlines()[0]
    assert first.startswith("::warning file=")
    assert ",line=" in first and "title=BPL001 donation-appeal::Donation appeal" in first
    assert "BPL001 [warning]" in run_cli("check", str(APPEAL), "--isolated").stdout


def test_python_dash_m_and_console_script_agree():
    exe = shutil.which("doclint", path=os.path.dirname(sys.executable))
    assert exe, "the console script is installed next to the interpreter"
    a = subprocess.run([exe, "rules", "--format", "json"], capture_output=True, text=True)
    b = run_cli("rules", "--format", "json")
    assert a.returncode == b.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)


@pytest.mark.parametrize("code, status, stderr", [(None, 0, ""), (1, 1, ""), ("no such thing", 2, "no such thing\n")])
def test_the_programs_exit_flushes_what_was_written_and_keeps_the_status(code, status, stderr):
    """The program ends with os._exit, which skips Python's own flushing of buffered
    output: everything written must still arrive, and the status must be main's."""
    script = ("import sys; from lint.cli import _hard_exit; "
              f"sys.stdout.write('x' * 200_000); sys.stdout.write('end'); _hard_exit({code!r})")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as in most shells
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=buffered)
    assert proc.returncode == status
    assert proc.stdout == "x" * 200_000 + "end"
    assert proc.stderr == stderr


def test_rules_listing_formats():
    text = run_cli("rules", "--isolated").stdout
    assert "BPL001  donation-appeal" in text
    md = run_cli("rules", "--format", "markdown", "--isolated").stdout
    assert md.startswith("# doclint rules") and "## BPL001 donation-appeal" in md
    data = json.loads(run_cli("rules", "--format", "json", "--isolated").stdout)
    assert {"code": "BPL001", "name": "donation-appeal"}.items() <= data[0].items() or any(
        r["code"] == "BPL001" and r["enabled"] for r in data)


def test_explain_accepts_code_and_slug():
    by_code = run_cli("explain", "BPL001").stdout
    by_slug = run_cli("explain", "donation-appeal").stdout
    assert by_code == by_slug
    assert "Why it matters" in by_code and "How to fix" in by_code and "PayPal" in by_code


def test_the_command_keeps_openblas_to_one_thread_unless_told_otherwise():
    """numpy's OpenBLAS starts threads that spin on another core after it loads; doclint's
    only linear algebra is one small product, so the command asks for one thread before
    numpy is imported, and keeps a value the user set."""
    probe = ("import os, sys; import lint.cli; "
             "print(os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False"]
    out = subprocess.run([sys.executable, "-c", probe], env={**env, "OPENBLAS_NUM_THREADS": "3"},
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "False"]
