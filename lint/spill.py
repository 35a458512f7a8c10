"""Where a run keeps the bulk of its per-file signatures until the corpus pass.

The shingle sets that near-duplicate units keep for exact confirmation are about as
large as the corpus itself, yet the corpus pass reads back only those of the few
units that LSH proposes.  So, as each file's result reaches the main process, they
move to an unlinked temporary file (gone when the run ends, or the process dies),
and memory holds the MinHash values alone.  If the file cannot be written (a full
disk), arrays simply stay in memory.

The MinHash values themselves are copied into large slabs (`pack`): a few kilobytes
per file, allocated and freed a million times, would leave the heap fragmented, and
the corpus pass's one matrix would then sit beside the freed space instead of in it.
A slab is its own mapping, returned to the system as soon as its last file's rows
have moved on.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np


class Spill:
    SLAB_BYTES = 32 << 20

    def __init__(self) -> None:
        self._end = 0
        self._slab: np.ndarray | None = None
        self._used = 0
        try:
            self._file = tempfile.TemporaryFile(prefix="doclint-spill-")
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

    def pack(self, rows: np.ndarray) -> np.ndarray:
        """The rows, copied into the current slab of their shape: a view of it."""
        slab = self._slab
        if (slab is None or slab.shape[1:] != rows.shape[1:] or slab.dtype != rows.dtype
                or self._used + len(rows) > len(slab)):
            per_row = max(1, rows[:1].nbytes)
            slab = self._slab = np.empty((max(len(rows), self.SLAB_BYTES // per_row), *rows.shape[1:]), rows.dtype)
            self._used = 0
        view = slab[self._used : self._used + len(rows)]
        view[...] = rows
        self._used += len(rows)
        return view

    def read(self, offset: int, nbytes: int) -> bytes:
        if self._file is None:
            raise ValueError("spill read after the run ended")
        return os.pread(self._file.fileno(), nbytes, offset)

    def close(self) -> None:
        self._slab = None
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
