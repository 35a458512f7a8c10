"""The corpus as the last full run saw it, so a focused run need not re-read the rest.

A full run with the cache leaves a snapshot: each file's path, size, mtime and
cache key, for each corpus rule the arrays its check needs to find the units a
changed unit may pair with (`CorpusCheck.index`), and the run's results, which
answer a repeat run over a corpus in which nothing changed.  A focused run (pre-commit,
`--changed-since`) trusts a file whose size and mtime are unchanged, as git's index
does. A file modified within a second of the snapshot may have changed without its
mtime showing it, so its bytes are hashed instead.

Beside it lies the report those results gave, stamped for one configuration
(findings.bin): a repeat run with the same rules and per-file ignores answers with it
as it is, without stamping the results again.

Arrays are stored as .npy files and memory-mapped, so a lookup touches a few pages
rather than loading the whole index.  A snapshot is replaced whole, by renaming a
finished folder into place, so a reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np

SCHEMA = 2  # 2: results.bin holds the results pickled file by file
KEEP = 2  # snapshots kept per cache folder (one per rule set and working folder)
RACY_NS = 1_000_000_000  # mtimes this close to the snapshot's creation are not trusted


class FileState(NamedTuple):
    """One file as a full run saw it.  A tuple: a snapshot of a large corpus reads back
    a hundred thousand of them on every focused and repeat run, made from the
    manifest's rows in ~65 ms per 128,000 where a frozen dataclass took ~105 ms."""

    path: str
    size: int
    mtime_ns: int
    key: str  # the result cache key; "" when the file had no cacheable result


@dataclass(frozen=True)
class Streamed:
    """Arrays written a row at a time: indexes that would not fit in memory beside the
    run's signatures (at 1 GB, a sorted copy of every MinHash column is 1.6 GB).
    `rows()` yields, row by row, one row of each array named in `names`."""

    names: tuple[str, ...]
    dtypes: tuple[type, ...]
    shape: tuple[int, int]
    rows: Callable[[], Iterable[tuple[np.ndarray, ...]]]


@dataclass
class Snapshot:
    files: list[FileState]  # in path order: the arrays' file ids index this list
    rules: dict[str, dict[str, "np.ndarray | Streamed"]]  # rule code -> array name -> array (or arrays)
    created_ns: int = 0
    # The run's per-file results and corpus hits, pickled and compressed: a repeat run's
    # answer.  Bytes, or a function that writes them to a file (at 1 GB they are
    # hundreds of MB, better not held whole).
    results: "bytes | Callable[[BinaryIO], None]" = b""

    def trusted(self, i: int, size: int, mtime_ns: int) -> bool:
        """Whether file i is unchanged, judging by its size and mtime alone."""
        f = self.files[i]
        return (bool(f.key) and f.size == size and f.mtime_ns == mtime_ns
                and mtime_ns < self.created_ns - RACY_NS)


def snapshot_dir(cache_dir: Path, ruleset: str, cwd: str) -> Path:
    """One snapshot per rule set and working folder (report paths are relative to it)."""
    ident = hashlib.sha256(f"snapshot {SCHEMA}\0{ruleset}\0{cwd}".encode()).hexdigest()[:20]
    return Path(cache_dir) / "snapshots" / ident


def read(folder: Path) -> Snapshot | None:
    """The snapshot in `folder`, or None when there is none or it cannot be read."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("schema") != SCHEMA:
            return None
        files = list(map(FileState._make, manifest["files"]))
        rules = {
            code: {name: np.load(folder / f"{code}.{name}.npy", mmap_mode="r", allow_pickle=False)
                   for name in names}
            for code, names in manifest["rules"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Snapshot(files, rules, manifest.get("created_ns", 0))


def read_results(folder: Path) -> bytes:
    """The pickled results a snapshot was written with (b"" when there are none)."""
    return _read(folder, "results.bin")


def read_findings(folder: Path) -> bytes:
    """The stamped report written beside the snapshot (b"" when there is none)."""
    return _read(folder, "findings.bin")


def _read(folder: Path, name: str) -> bytes:
    try:
        return (Path(folder) / name).read_bytes()
    except OSError:
        return b""


def write_findings(folder: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Replace the stamped report of an existing snapshot, atomically; False when the
    snapshot is gone or the folder is not writable."""
    folder = Path(folder)
    if not (folder / "manifest.json").is_file():
        return False
    tmp = folder / f"findings.bin.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            write(fh)
        os.replace(tmp, folder / "findings.bin")
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        return False
    return True


def write(folder: Path, snap: Snapshot) -> bool:
    """Write a snapshot atomically; False (and nothing left behind) when the folder is not writable."""
    folder = Path(folder)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=False)
        for code, arrays in snap.rules.items():
            for name, arr in arrays.items():
                if isinstance(arr, Streamed):
                    _write_rows(tmp, code, arr)
                else:
                    np.save(tmp / f"{code}.{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        manifest = {
            "schema": SCHEMA,
            "created_ns": snap.created_ns or time.time_ns(),
            "files": [[f.path, f.size, f.mtime_ns, f.key] for f in snap.files],
            "rules": {code: sorted(_names(arrays)) for code, arrays in snap.rules.items()},
        }
        if callable(snap.results):
            with open(tmp / "results.bin", "wb") as fh:
                snap.results(fh)
        else:
            (tmp / "results.bin").write_bytes(snap.results)
        (tmp / "manifest.json").write_text(json.dumps(manifest, separators=(",", ":")))
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        if folder.exists():
            os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    except ValueError:  # a streamed index that broke its promise: a bug, not a full disk
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(folder.parent)
    return True


def _names(arrays: dict) -> list[str]:
    return [n for name, arr in arrays.items() for n in (arr.names if isinstance(arr, Streamed) else (name,))]


def _write_rows(folder: Path, code: str, streamed: Streamed) -> None:
    """Each of the streamed arrays as a .npy file, header first, then row after row."""
    handles = [open(folder / f"{code}.{name}.npy", "wb") for name in streamed.names]
    try:
        for fh, dtype in zip(handles, streamed.dtypes):
            header = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False,
                      "shape": streamed.shape}
            np.lib.format.write_array_header_1_0(fh, header)
        count = 0
        for row in streamed.rows():
            for fh, dtype, part in zip(handles, streamed.dtypes, row):
                if part.shape != streamed.shape[1:]:
                    raise ValueError(f"{code}: a row of shape {part.shape}, not {streamed.shape[1:]}")
                fh.write(np.ascontiguousarray(part, dtype=dtype).tobytes())
            count += 1
        if count != streamed.shape[0]:
            raise ValueError(f"{code}: {count} rows streamed, not {streamed.shape[0]}")
    finally:
        for fh in handles:
            fh.close()


def _prune(parent: Path) -> None:
    """Keep the newest few snapshots: each may be as large as the corpus's signatures."""
    try:
        done = sorted((p for p in parent.iterdir() if p.is_dir() and "." not in p.name),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in done[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
