"""Files named to the kernel before they are read: every file, ahead of its turn, never blocking."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from lint import engine, readahead
from lint.api import prepare

# posix_fadvise, and /proc/self/fd to name the file each call was about.
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's posix_fadvise and /proc")


def _recorded(monkeypatch) -> list[tuple[str, int, int]]:
    """(file name, advice, bytes asked for) for each posix_fadvise call, the real call still made."""
    calls: list[tuple[str, int, int]] = []
    real = os.posix_fadvise

    def fadvise(fd, offset, length, advice):
        calls.append((os.path.basename(os.readlink(f"/proc/self/fd/{fd}")), advice, offset + length))
        return real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", fadvise)
    return calls


def test_readable_files_are_asked_for_and_the_rest_passed_over(tmp_path, monkeypatch):
    calls = _recorded(monkeypatch)
    (tmp_path / "a.txt").write_text("one\n")
    (tmp_path / "b.txt").write_text("two\n")
    os.mkfifo(tmp_path / "pipe")  # opened for reading without a writer: must not wait for one
    paths = [str(tmp_path / name) for name in ("a.txt", "missing.txt", "pipe", "b.txt")]
    worker = threading.Thread(target=readahead.hint, args=(paths,), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "hinting a named pipe blocked"
    asked = [name for name, advice, _ in calls if advice == os.POSIX_FADV_WILLNEED]
    assert asked[0] == "a.txt" and asked[-1] == "b.txt" and "missing.txt" not in asked
    # The start of each file, never "to its end" (a length of 0), which for a huge file
    # would be all of it in the page cache at once.
    assert all(0 < end <= readahead.HINT_BYTES for _, _, end in calls)


def test_ahead_names_each_file_before_it_is_reached_and_keeps_the_order(monkeypatch):
    hinted: list[str] = []
    monkeypatch.setattr(readahead, "hint", lambda paths: hinted.extend(paths))
    items = [f"f{i}" for i in range(10)]
    seen = []
    for i, item in enumerate(readahead.ahead(items, str, count=3)):
        assert hinted == items[: min(len(items), i + 4)]  # this one and the three after it, no further
        seen.append(item)
    assert seen == items


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_names_every_file_of_the_corpus(tmp_path, monkeypatch, jobs):
    hinted: list[str] = []
    real = readahead.hint

    def recording(paths):
        paths = list(paths)
        hinted.extend(paths)
        real(paths)

    monkeypatch.setattr(readahead, "hint", recording)
    for i in range(6):
        (tmp_path / f"doc{i}.txt").write_text(f"Paragraph {i} of plain prose, complete.\n")
    prepared = prepare({"select": ["FMT002"]}, isolated=True)
    report = engine.run([str(tmp_path)], prepared.config, prepared.rules, jobs=jobs)
    assert report.files_scanned == 6
    assert sorted(os.path.basename(p) for p in hinted) == [f"doc{i}.txt" for i in range(6)]
