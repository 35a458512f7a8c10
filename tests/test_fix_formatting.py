"""The formatting rules' safe fixes, end to end through the real CLI in a subprocess.

Each fixable defect is planted in a copy of seed text; `python -m lint check DIR --fix`
must remove it so that a re-lint no longer reports it, touch nothing else, and keep a
UTF-16 (BOM, CRLF) file's encoding and line endings byte for byte.  `--diff` must
show the change without writing anything.
"""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SEEDS

FIXABLE = ["FMT002", "FMT005", "FMT006", "FMT007", "FMT017", "FMT020", "FMT021", "FMT022", "FMT023", "FMT026"]

CLEAN = "\n".join((SEEDS / next(p.name for p in SEEDS.iterdir() if p.name.startswith("000"))).read_text(
    encoding="utf-8").split("\n")[:10]) + "\n"

BOOK = (
    "\n\n"                                                      # leading-blank-lines
    "Jack Ma: A Biography\n\n\n\n"                              # excess-blank-lines
    "Table of Contents\n\n"
    "Chapter 1: Early Life\t6\n"                                # toc-page-number
    "1.1 Childhood in Hangzhou\t8\n"
    "1.2 Early Education.....\t10\n\n"                          # toc-dot-leader
    "Chapter 1: Early Life\n\n"
    "Jack Ma was born in **Hangzhou** in 1964.   \n"            # emphasis residue, trailing whitespace
    "-\n\n"                                                     # lone-bullet
    "Alibaba raised \\$25 billion in its IPO.\x07\n\n"          # escaped dollar, control character
    "The rest of the story is told in the next chapter.\n\n"
    "Chapter 2: Education\n\nHe studied English."               # missing-final-newline
)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lint", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def lint_json(folder: Path) -> list[dict]:
    out = folder.parent / "report.json"
    cli("check", ".", "--isolated", "--select", ",".join(FIXABLE), "--format", "json", "--output", str(out),
        "--no-cache", "--jobs", "1", cwd=folder)
    return json.loads(out.read_text(encoding="utf-8"))["findings"]


def make_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "book.txt").write_bytes(BOOK.encode("utf-8"))
    (folder / "clean.txt").write_bytes(CLEAN.encode("utf-8"))
    utf16 = BOOK.replace("\n", "\r\n")
    (folder / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + utf16.encode("utf-16-le"))
    return folder


def test_fix_removes_every_fixable_formatting_finding(tmp_path):
    folder = make_corpus(tmp_path)
    before = lint_json(folder)
    rules = {f["rule"] for f in before if f["path"] == "book.txt"}
    assert rules == set(FIXABLE), rules
    assert all(f["fix"]["safety"] == "safe" for f in before)
    clean_bytes = (folder / "clean.txt").read_bytes()

    result = cli("check", ".", "--isolated", "--select", ",".join(FIXABLE), "--fix", "--no-cache", "--jobs", "1",
                 cwd=folder)
    assert result.returncode in (0, 1), result.stderr

    assert lint_json(folder) == []
    assert (folder / "clean.txt").read_bytes() == clean_bytes
    fixed = (folder / "book.txt").read_text(encoding="utf-8")
    assert fixed.startswith("Jack Ma: A Biography\n\nTable of Contents\n")
    assert "Chapter 1: Early Life\n1.1 Childhood in Hangzhou\n1.2 Early Education\n" in fixed
    assert "Jack Ma was born in Hangzhou in 1964.\n\n" in fixed
    assert "Alibaba raised $25 billion in its IPO.\n" in fixed
    assert fixed.endswith("He studied English.\n")
    assert "\n\n\n" not in fixed


def test_fix_keeps_utf16_bom_and_crlf(tmp_path):
    folder = make_corpus(tmp_path)
    cli("check", ".", "--isolated", "--select", ",".join(FIXABLE), "--fix", "--no-cache", "--jobs", "1", cwd=folder)
    raw = (folder / "wide.txt").read_bytes()
    assert raw.startswith(codecs.BOM_UTF16_LE)
    text = raw[2:].decode("utf-16-le")
    assert "\n" not in text.replace("\r\n", "")
    # Apart from the fixes, the file is the UTF-8 file's fixed text in UTF-16 with CRLF.
    expected = (folder / "book.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert text == expected


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path):
    folder = make_corpus(tmp_path)
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = cli("check", ".", "--isolated", "--select", ",".join(FIXABLE), "--diff", "--no-cache", "--jobs", "1",
                 cwd=folder)
    assert "-Jack Ma was born in **Hangzhou** in 1964.   " in result.stdout
    assert "+Jack Ma was born in Hangzhou in 1964." in result.stdout
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == snapshot
