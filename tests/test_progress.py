"""The progress line: drawn on a terminal only, with files, megabytes, rate and ETA."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from types import SimpleNamespace

from lint.progress import Progress

from conftest import FIXTURES


def test_progress_line_counts_files_and_bytes():
    out = io.StringIO()
    p = Progress(2, 2_000_000, stream=out, min_interval=0)
    p(SimpleNamespace(size=1_000_000))
    p(SimpleNamespace(size=1_000_000))
    p.close()
    text = out.getvalue()
    assert "1/2 files  1.0/2.0 MB" in text and "2/2 files  2.0/2.0 MB" in text
    assert "MB/s" in text and "ETA" in text
    assert text.endswith("\r")


def test_progress_is_shown_on_a_terminal_and_not_in_pipes():
    args = [sys.executable, "-m", "lint", "check", str(FIXTURES / "seeds"), "--isolated", "--no-cache", "--jobs", "1"]
    piped = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert "files" not in piped.stderr and "ETA" not in piped.stderr
    # Under a pseudo-terminal stderr is a TTY, as it is for a person at a shell.
    master, slave = pty.openpty()
    proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL, timeout=120)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    shown = b"".join(chunks).decode()
    assert proc.returncode in (0, 1)
    assert "5/5 files" in shown and "ETA" in shown
    quiet = subprocess.run([*args, "--quiet"], capture_output=True, text=True, timeout=120)
    assert quiet.stderr == ""
