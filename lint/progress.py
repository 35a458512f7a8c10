"""A progress line on stderr for long runs: files, megabytes, rate and time left.

Shown only when stderr is a terminal (never in CI logs or pipes) and not --quiet.
It redraws at most ten times a second, so it costs nothing measurable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total_files: int, total_bytes: int, stream: TextIO | None = None, min_interval: float = 0.1):
        self.total_files = total_files
        self.total_bytes = max(total_bytes, 1)
        self.stream = stream or sys.stderr
        self.min_interval = min_interval
        self.files = 0
        self.bytes = 0
        self.start = time.perf_counter()
        self._last = 0.0
        self._width = 0

    def __call__(self, result) -> None:
        self.files += 1
        self.bytes += getattr(result, "size", 0)
        now = time.perf_counter()
        if now - self._last >= self.min_interval or self.files == self.total_files:
            self._last = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.perf_counter()) - self.start, 1e-9)
        rate = self.bytes / elapsed
        share = min(1.0, self.bytes / self.total_bytes)
        left = (self.total_bytes - self.bytes) / rate if rate > 0 and share < 1 else 0.0
        bar_width = 24
        filled = int(share * bar_width)
        bar = "#" * filled + "-" * (bar_width - filled)
        return (f"[{bar}] {self.files}/{self.total_files} files  {self.bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB"
                f"  {rate / 1e6:.1f} MB/s  ETA {_clock(left)}")

    def _draw(self, now: float) -> None:
        text = self.line(now)
        pad = " " * max(0, self._width - len(text))
        self._width = len(text)
        self.stream.write("\r" + text + pad)
        self.stream.flush()

    def close(self) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
