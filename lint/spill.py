"""Arrays parked on disk for the length of a run, read back a slice at a time.

The shingle sets that near-duplicate units keep for exact confirmation are about as
large as the corpus itself, yet the corpus pass reads back only those of the few
units that LSH proposes.  So, as each file's result reaches the main process, they
move to an unlinked temporary file (gone when the run ends, or the process dies),
and memory holds the MinHash values alone.  If the file cannot be written (a full
disk), arrays simply stay in memory.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np


class Spill:
    def __init__(self, folder: str | None = None):
        self._end = 0
        try:
            self._file = tempfile.TemporaryFile(prefix="doclint-spill-", dir=folder)
        except OSError:  # no writable temporary folder: nothing is parked
            self._file = None
        self.failed = self._file is None

    def put(self, array: np.ndarray) -> "Spilled | np.ndarray":
        """The array parked, or the array itself when the disk refuses it."""
        if self.failed or self._file is None or not len(array):
            return array
        data = np.ascontiguousarray(array)
        try:
            written = os.pwrite(self._file.fileno(), memoryview(data).cast("B"), self._end)
        except OSError:
            written = -1
        if written != data.nbytes:
            self.failed = True
            return array
        spilled = Spilled(self, self._end, data.dtype, len(data))
        self._end += data.nbytes
        return spilled

    def read(self, offset: int, nbytes: int) -> bytes:
        if self._file is None:
            raise ValueError("spill read after the run ended")
        return os.pread(self._file.fileno(), nbytes, offset)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> "Spill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Spilled:
    """A one-dimensional array in a Spill: its length, and any slice of it on demand."""

    __slots__ = ("spill", "offset", "dtype", "count")

    def __init__(self, spill: Spill, offset: int, dtype: np.dtype, count: int):
        self.spill, self.offset, self.dtype, self.count = spill, offset, dtype, count

    def __len__(self) -> int:
        return self.count

    def slice(self, start: int, stop: int) -> np.ndarray:
        size = self.dtype.itemsize
        data = self.spill.read(self.offset + start * size, (stop - start) * size)
        return np.frombuffer(data, dtype=self.dtype)

    def load(self) -> np.ndarray:
        return self.slice(0, self.count)

    def __reduce__(self):  # pickled (the cache, the snapshot): as the array it stands for
        return (np.array, (self.load(),))
