"""Where a run keeps the bulk of its per-file signatures until the corpus pass.

The shingle sets that near-duplicate units keep for exact confirmation are about as
large as the corpus itself, yet the corpus pass reads back only those of the few
units that LSH proposes.  So, as each file's result reaches the main process, they
move to an unlinked temporary file (gone when the run ends, or the process dies),
and memory holds the MinHash values alone.  If the file cannot be written (a full
disk), arrays simply stay in memory.

With several worker processes, each worker parks its results' shingles itself, in a
file of its own in a folder the main process made for the run (`Spill.shared`), and
sends only where they lie: a gigabyte of text has some 700 MB of shingles, which would
otherwise be pickled, piped to the main process and written again there.  The main
process opens a worker's file at its first reference to it and unlinks it at once.

The MinHash values wait there too, until the corpus pass reads every file's straight
into its one matrix (`Spilled.read_into`): held in memory meanwhile, a few kilobytes
per file allocated a million times, they would leave the heap fragmented, and the
matrix would sit beside the freed space instead of in it.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading

import numpy as np


_IOV_MAX = 1024  # buffers per pwritev call (POSIX guarantees at least 16; Linux and macOS take 1024)


class Spill:
    FLUSH_BYTES = 4 << 20

    def __init__(self, folder: str | None = None, reading: str | None = None) -> None:
        """A spill of this process's own; with `folder`, a worker's, named in that folder
        so that the main process can read it; with `reading`, the main process's handle
        on such a file, which is unlinked once open."""
        self._end = 0
        self.path: str | None = None  # set for a worker's spill: its arrays pickle as references
        self._folder: str | None = None  # the folder this process made for its workers' spills
        self._readers: dict[str, Spill] = {}  # a worker's file -> this process's handle on it
        self._pending: list[Spilled] = []  # parked, not yet written
        self._pending_bytes = 0
        if reading is not None:  # a worker's results cannot be read without it: errors propagate
            self._file = open(reading, "rb")
            os.unlink(reading)
            self.failed = True  # nothing is written to it from here
            return
        try:
            if folder is None:
                self._file = tempfile.TemporaryFile(prefix="doclint-spill-")
            else:
                fd, self.path = tempfile.mkstemp(prefix="worker-", dir=folder)
                self._file = os.fdopen(fd, "w+b")
        except OSError:  # no writable temporary folder: nothing is parked
            self._file = None
        self.failed = self._file is None

    def shared(self) -> str | None:
        """A folder, made once, where worker processes keep their spills for this one to
        read; None when it cannot be made (the workers then send their arrays)."""
        if self._folder is None and self._file is not None:
            try:
                self._folder = tempfile.mkdtemp(prefix="doclint-spill-")
            except OSError:
                return None
            with _OWNERS_LOCK:
                _OWNERS[self._folder] = self
        return self._folder

    def adopt(self, path: str) -> "Spill":
        """This process's reader of a worker's spill file, opened at the first request."""
        with _OWNERS_LOCK:  # results are unpickled on the pool's own thread
            reader = self._readers.get(path)
            if reader is None:
                reader = self._readers[path] = _READERS[path] = Spill(reading=path)
        return reader

    def release_folder(self) -> None:
        """Remove the workers' folder once they are gone; the files read so far stay
        readable through their open handles until close()."""
        if self._folder is not None:
            with _OWNERS_LOCK:
                _OWNERS.pop(self._folder, None)
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def put(self, array: np.ndarray) -> "Spilled | np.ndarray":
        """The array parked, or the array itself when the disk refuses it.  Arrays are
        written a few MB at a time (`flush`): a write per file's shingles was a tenth of
        a worker's time; until then a parked array still holds its data."""
        if self.failed or self._file is None or not len(array):
            return array
        data = np.ascontiguousarray(array)
        spilled = Spilled(self, self._end, data.dtype, len(data))
        spilled.pending = data
        self._pending.append(spilled)
        self._pending_bytes += data.nbytes
        self._end += data.nbytes
        if self._pending_bytes >= self.FLUSH_BYTES:
            self.flush()
        return spilled

    def flush(self) -> None:
        """Write the arrays parked since the last flush.  If the disk refuses them they
        stay in memory, and so do later ones."""
        pending, self._pending, self._pending_bytes = self._pending, [], 0
        if not pending or self._file is None:
            return
        offset = pending[0].offset
        for lo in range(0, len(pending), _IOV_MAX):
            views = [memoryview(s.pending).cast("B") for s in pending[lo : lo + _IOV_MAX]]
            size = sum(v.nbytes for v in views)
            try:
                written = os.pwritev(self._file.fileno(), views, offset)
            except OSError:
                written = -1
            if written != size:
                self.failed = True
                return
            for s in pending[lo : lo + _IOV_MAX]:
                s.pending = None
            offset += size

    def read_into(self, offset: int, view: memoryview) -> int:
        if self._file is None:
            raise ValueError("spill read after the run ended")
        done = 0
        while done < view.nbytes:  # preadv may return less than asked near a signal; 0 at the end of the file
            got = os.preadv(self._file.fileno(), [view[done:]], offset + done)
            if got <= 0:
                break
            done += got
        return done

    def close(self) -> None:
        self.release_folder()
        if self._readers:
            with _OWNERS_LOCK:
                for path in self._readers:
                    _READERS.pop(path, None)
            for reader in self._readers.values():
                reader.close()
            self._readers = {}
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> "Spill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Spilled:
    """A one-dimensional array in a Spill: its length, and any slice of it on demand."""

    __slots__ = ("spill", "offset", "dtype", "count", "pending")

    def __init__(self, spill: Spill, offset: int, dtype: np.dtype, count: int):
        self.spill, self.offset, self.dtype, self.count = spill, offset, dtype, count
        self.pending: np.ndarray | None = None  # the data, until its spill has written it

    def __len__(self) -> int:
        return self.count

    def slice(self, start: int, stop: int) -> np.ndarray:
        if self.pending is not None:
            return self.pending[start:stop]
        out = np.empty(stop - start, dtype=self.dtype)
        self._fill(start, out)
        return out

    def load(self) -> np.ndarray:
        return self.slice(0, self.count)

    def read_into(self, out: np.ndarray) -> None:
        """The whole array into `out` (contiguous, of its dtype and length), with no
        bytes object between: the corpus pass reads every file's MinHash values so."""
        if len(out) != self.count or out.dtype != self.dtype:
            raise ValueError(f"spilled array of {self.count} {self.dtype} read into {len(out)} {out.dtype}")
        if self.pending is not None:
            out[...] = self.pending
            return
        self._fill(0, out)

    def _fill(self, start: int, out: np.ndarray) -> None:
        """Elements start.. of the written array into `out`; a file cut short is an error."""
        view = memoryview(out).cast("B")
        done = self.spill.read_into(self.offset + start * self.dtype.itemsize, view)
        if done != view.nbytes:
            raise ValueError(f"spill read short: {done} of {view.nbytes} bytes")

    def __reduce__(self):
        if self.spill.path is not None and self.pending is None:  # a worker's result on its way to the main process
            return (_adopted, (self.spill.path, self.offset, self.dtype.str, self.count))
        return (np.array, (self.load(),))  # into the cache or a snapshot: the array itself


_OWNERS: dict[str, Spill] = {}  # workers' folder -> the main process's Spill that made it
_OWNERS_LOCK = threading.Lock()
# A worker's file -> the main process's open reader of it, until its owner closes.  A
# run unpickles a few Spilled per file (400,000 at 1 GB): found here with one lookup,
# not a lock, a dirname and two lookups each.
_READERS: dict[str, Spill] = {}
_dtype = functools.cache(np.dtype)  # a parked array's dtype from its name, built once per name


def _adopted(path: str, offset: int, dtype: str, count: int) -> Spilled:
    """A worker's parked array, unpickled in the main process: read from the worker's file."""
    reader = _READERS.get(path)
    if reader is None:  # the file's first reference: its owner opens it
        with _OWNERS_LOCK:
            owner = _OWNERS.get(os.path.dirname(path))
        if owner is None:
            raise ValueError(f"no run reads the spill {path}")
        reader = owner.adopt(path)
    return Spilled(reader, offset, _dtype(dtype), count)
