"""A focused run: the changed files checked against the snapshot of the rest.

pre-commit and `--changed-since` name a few files, but duplicates need the whole
corpus.  Reading and pairing every file again costs the full run, so a full run
with the cache leaves a snapshot (lint.snapshot), and a focused run then:

1. stats every file and trusts those the snapshot saw with the same size and mtime;
2. lints the focus files and any others that changed (through the result cache);
3. lets each corpus check find, through its index, the few unchanged files that can
   pair with a changed one, and pair only those (`CorpusCheck.check_changed`).

Its findings are the full run's findings that touch a focus file.  Whenever that
cannot be promised (no snapshot, a rule without an index, too many changed files, a
cached signature gone) it returns None and the caller runs in full.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import time
import zlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

from lint import __version__, snapshot, suppress
from lint.checks.base import CorpusView, Unavailable
from lint.config import Config, FileIgnores
from lint.discover import SourceFile
from lint.findings import Report

if TYPE_CHECKING:
    from lint.engine import FileResult, Timings, _Job

MIN_BUDGET = 64  # changed or compared files allowed before a full run is the cheaper way


def _budget(n_files: int) -> int:
    return max(MIN_BUDGET, n_files // 20)


def _folder(job: _Job):
    return snapshot.snapshot_dir(job.cache.directory, job.ruleset, os.getcwd())


def save_snapshot(results: list[FileResult], job: _Job,
                  corpus_hits: dict[str, list]) -> list[snapshot.FileState] | None:
    """After a full run's corpus passes: record every file, each corpus rule's index and
    the results, unless nothing changed since the last snapshot.  The files as recorded,
    for the stamped report that `save_report` adds; None when nothing could be written."""
    if job.cache is None or not job.cache.writable():
        return None
    ordered = sorted(results, key=lambda r: r.path)
    files = [snapshot.FileState(r.path, r.stat[0], r.stat[1], r.cache_key or "") for r in ordered]
    folder = _folder(job)
    old = snapshot.read(folder)
    if (old is None or old.files != files) and not _write_snapshot(folder, ordered, files, job, corpus_hits):
        return None
    return files


def _write_snapshot(folder, ordered: list[FileResult], files: list[snapshot.FileState], job: _Job,
                    corpus_hits: dict[str, list]) -> bool:
    corpus_rules = [r for r in job.rules if r.is_corpus]
    indexes = {}
    for rule in corpus_rules:
        sigs = [r.signatures.get(rule.code, ()) for r in ordered]
        arrays = rule.check().index(sigs, rule.params)
        if arrays is not None:  # a rule without one sends focused runs to the full path
            arrays["signed"] = np.array([rule.code in r.signatures for r in ordered], dtype=bool)
            indexes[rule.code] = arrays
    light = [replace(r, signatures={}) for r in ordered]

    def results(fh: BinaryIO) -> None:
        """The corpus hits, the number of files, then each file's result: pickled one by
        one into a zlib stream, so that no pickler's memo holds the whole run (each
        file's findings come back from the spill file as it is written)."""
        out = _Compressing(fh)
        for item in (corpus_hits, len(light), *light):
            pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.finish()

    return snapshot.write(folder, snapshot.Snapshot(files, indexes, results=results))


@dataclass
class Repeat:
    """What a run over a corpus in which nothing changed reuses: the report itself when
    it was stamped for the same configuration, else the results and corpus hits to stamp."""

    states: list[snapshot.FileState]  # the files, as the snapshot saw them
    report: Report | None = None
    results: list[FileResult] | None = None
    corpus_hits: dict[str, list] | None = None


def _stamp_identity(job: _Job, cfg: Config, files: list[snapshot.FileState]) -> bytes:
    """What a stamped report depends on beyond the per-file results: the rules' identity
    and wording, the per-file ignores, and the very files (by size, mtime and content
    key) whose results were stamped."""
    h = hashlib.sha256(f"stamped {__version__}\0{job.ruleset}".encode())
    for rule in sorted(job.rules, key=lambda r: r.code):
        h.update(repr((rule.code, rule.name, rule.category, rule.severity, rule.message, rule.aliases)).encode())
    h.update(repr(sorted((glob, sorted(codes)) for glob, codes in cfg.per_file_ignores.items())).encode())
    for f in files:
        h.update(f"\0{f.path}\0{f.size}\0{f.mtime_ns}\0{f.key}".encode("utf-8", "surrogateescape"))
    return h.hexdigest().encode()


_FINDINGS_AT_ONCE = 4096  # findings pickled together: a pickler's memo shares their rule names


def save_report(report: Report, job: _Job, cfg: Config, files: list[snapshot.FileState]) -> None:
    """Write a report (before any narrowing to focus files) beside the snapshot of the
    files it came from: its identity on the first line, then the report, compressed."""
    if job.cache is None or not job.cache.writable():
        return
    findings = report.findings

    def write(fh: BinaryIO) -> None:
        fh.write(_stamp_identity(job, cfg, files) + b"\n")
        out = _Compressing(fh)
        chunks = range(0, len(findings), _FINDINGS_AT_ONCE)
        head = (report.files_scanned, report.paths, report.notices, len(chunks))
        pickle.dump(head, out, protocol=pickle.HIGHEST_PROTOCOL)
        for lo in chunks:
            pickle.dump(findings[lo : lo + _FINDINGS_AT_ONCE], out, protocol=pickle.HIGHEST_PROTOCOL)
        out.finish()

    snapshot.write_findings(_folder(job), write)


def _stored_report(folder, job: _Job, cfg: Config, files: list[snapshot.FileState]) -> Repeat | None:
    """The report stored beside the snapshot, when it was stamped for this configuration."""
    data = snapshot.read_findings(folder)
    identity, _, body = data.partition(b"\n")
    if not body or identity != _stamp_identity(job, cfg, files):
        return None
    try:
        stream = io.BytesIO(zlib.decompress(body))
        scanned, paths, notices, chunks = pickle.load(stream)
        findings = [f for _ in range(chunks) for f in pickle.load(stream)]
    except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    report = Report(findings=findings, files_scanned=scanned, version=__version__,
                    rules={r.code: r for r in job.rules}, notices=notices, paths=paths)
    return Repeat(files, report=report)


class _Compressing:
    """A file that zlib-compresses what is written to it, as zlib.compress(data, 1) would."""

    def __init__(self, fh: BinaryIO):
        self.fh, self.zlib = fh, zlib.compressobj(1)

    def write(self, data) -> int:  # bytes, or a buffer (pickle protocol 5 hands arrays' data over so)
        view = memoryview(data)
        self.fh.write(self.zlib.compress(view))
        return view.nbytes

    def finish(self) -> None:
        self.fh.write(self.zlib.flush())


def repeat(files: list[SourceFile], job: _Job, cfg: Config) -> Repeat | None:
    """The last full run's report or results when no file changed since (judged by size
    and mtime), else None."""
    folder = _folder(job)
    snap = snapshot.read(folder)
    if snap is None or [f.path for f in files] != [f.path for f in snap.files]:
        return None
    for i, f in enumerate(files):
        try:
            st = os.stat(f.fs_path)
        except OSError:
            return None
        if not snap.trusted(i, st.st_size, st.st_mtime_ns):
            return None
    stored = _stored_report(folder, job, cfg, snap.files)
    if stored is not None:
        return stored
    try:
        stream = io.BytesIO(zlib.decompress(snapshot.read_results(folder)))
        corpus_hits = pickle.load(stream)
        results = [pickle.load(stream) for _ in range(pickle.load(stream))]
    except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    for r in results:
        r.from_cache = True
    return Repeat(snap.files, results=results, corpus_hits=corpus_hits)


def run(files: list[SourceFile], focus: set[str], job: _Job, jobs: int, cfg: Config,
        timings: Timings) -> Report | None:
    from lint.engine import _map_files, narrow, stamp, _catalogue_of

    snap = snapshot.read(_folder(job))
    corpus_rules = [r for r in job.rules if r.is_corpus]
    if snap is None or any(r.code not in snap.rules for r in corpus_rules):
        return None
    index_of = {f.path: i for i, f in enumerate(snap.files)}
    present = np.zeros(len(snap.files), dtype=bool)
    to_lint: list[SourceFile] = []
    for f in files:
        i = index_of.get(f.path)
        if i is not None:
            present[i] = True
        if f.path in focus or i is None:
            to_lint.append(f)
            continue
        try:
            st = os.stat(f.fs_path)
        except OSError:
            to_lint.append(f)
            continue
        if not snap.trusted(i, st.st_size, st.st_mtime_ns):
            to_lint.append(f)  # changed, or too recent to judge by mtime: its bytes decide
    budget = _budget(len(files))
    if len(to_lint) > budget:
        return None
    t0 = time.perf_counter()
    few = 1 if len(to_lint) < 16 else jobs  # a process pool costs more than a few files
    results = list(_map_files(to_lint, job, few, None))
    timings.add("documents", time.perf_counter() - t0)
    timings.record(results)
    new = [r for r in results if r.cache_key and not r.from_cache]
    if new:
        job.cache.put_many((r.cache_key, r) for r in new)

    stale = ~present
    changed: list[FileResult] = []  # what the corpus checks see afresh: focus files and real changes
    for r in results:
        i = index_of.get(r.path)
        if r.path not in focus and i is not None and r.cache_key and r.cache_key == snap.files[i].key:
            continue  # only touched: the snapshot's rows still describe it
        if i is not None:
            stale[i] = True
        changed.append(r)

    loaded: dict[int, Any] = {}

    def load_result(i: int):
        if i not in loaded:
            key = snap.files[i].key
            res = job.cache.get(key) if key else None
            if res is None:
                raise Unavailable(f"{snap.files[i].path}: cached result gone")
            loaded[i] = res
        return loaded[i]

    paths = [f.path for f in snap.files]
    raw = []
    by_code = {r.code: r for r in job.rules}
    for res in results:
        raw.extend((res.path, by_code[code], hit) for code, hit in res.hits)
    t0 = time.perf_counter()
    try:
        for rule in corpus_rules:
            arrays = snap.rules[rule.code]
            fresh = {r.path: r.signatures[rule.code] for r in changed if rule.code in r.signatures}
            signed = int(np.count_nonzero(np.asarray(arrays["signed"]) & ~stale)) + len(fresh)
            view = CorpusView(paths, stale, arrays, fresh,
                              load=lambda i, code=rule.code: load_result(i).signatures.get(code, ()),
                              focus=frozenset(focus), signed=signed, budget=budget)
            raw.extend((hit.path, rule, hit) for hit in rule.check().check_changed(view, rule.params))
    except Unavailable:
        return None
    except Exception:  # the full run gives the same answer: a focused run must never block a commit
        if os.environ.get("DOCLINT_DEBUG"):
            raise
        return None
    timings.add("corpus", time.perf_counter() - t0)

    suppressions: dict[str, suppress.Suppressions] = {r.path: r.suppressions for r in results if r.suppressions}
    for path in {p for p, _, _ in raw} - {r.path for r in results}:
        i = index_of.get(path)
        try:
            res = load_result(i) if i is not None else None
        except Unavailable:
            return None
        if res is not None and res.suppressions:
            suppressions[path] = res.suppressions
    findings = stamp(raw, FileIgnores(cfg, _catalogue_of(job.rules)), suppressions)
    scanned = {f.path for f, ok in zip(snap.files, present & ~stale) if ok and f.key}
    scanned |= {r.path for r in results if r.scanned}
    report = Report(
        findings=findings,
        files_scanned=len(scanned),
        version=__version__,
        rules={r.code: r for r in job.rules},
        notices=sorted((r.notice for r in results if r.notice), key=lambda n: n.path),
        paths=sorted(scanned),
    )
    narrow(report, focus)
    timings.focused = True
    return report
