"""From files to a Report: the per-document pass (parallel), the corpus pass, stamping.

Per-document checks and corpus signatures run in worker processes, one file at a
time, so only findings and small signatures cross process boundaries.  Corpus
checks then see every signature at once.  Everything is sorted before it leaves
here, so the output does not depend on worker scheduling (`--jobs`).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import Any

import numpy as np

from lint import __version__
from lint.catalogue import Rule
from lint.config import Config, FileIgnores
from lint.discover import SourceFile, discover
from lint.document import SCANNED_LITERALS, Document
from lint.errors import DoclintError
from lint.findings import Finding, Hit, Notice, Report, fingerprint
from lint.cache import Cache, entry_key, ruleset_key
from lint.load import BinaryFile, decode, read_file
from lint import focused, readahead, suppress
from lint.checks import literals
from lint.spill import Spill, Spilled


@dataclass(slots=True)  # one per file of the corpus: no per-object __dict__
class FileResult:
    """What one worker sends back for one file."""

    path: str
    hits: Any = field(default_factory=list)  # (rule code, hit) pairs: a list, or PackedHits once the file is done
    signatures: dict[str, Any] = field(default_factory=dict)  # rule code -> signature
    suppressions: suppress.Suppressions | None = None
    notice: Notice | None = None
    size: int = 0
    scanned: bool = True
    cache_key: str | None = None  # set when the result may be stored
    from_cache: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # worker time: load, rules, signatures
    stat: tuple[int, int] = (0, 0)  # (size, mtime_ns) when read, for the snapshot

    def __reduce__(self):
        """Pickled as its fields in order (one per file from every worker, and into the
        cache and the snapshot): dataclasses' own __setstate__ for slots is Python code
        that looks the fields up for every object."""
        return (FileResult, (self.path, self.hits, self.signatures, self.suppressions, self.notice, self.size,
                             self.scanned, self.cache_key, self.from_cache, self.seconds, self.stat))


@dataclass
class Timings:
    """Wall time per stage in this process, and worker CPU time per stage, for the benchmark."""

    stages: dict[str, float] = field(default_factory=dict)
    worker: dict[str, float] = field(default_factory=dict)
    bytes_read: int = 0
    files: int = 0
    cached: int = 0
    focused: bool = False  # the corpus pass ran on the changed files against the snapshot
    repeated: bool = False  # nothing had changed: the last full run's results were reused

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds

    def record(self, results: list[FileResult]) -> None:
        """Count a batch of per-file results and sum their worker time per stage."""
        self.files += len(results)
        self.cached += sum(1 for r in results if r.from_cache)
        self.bytes_read += sum(r.size for r in results)
        for r in results:
            _add_seconds(self.worker, r.seconds)
            r.seconds = {}  # summed: a dict per file is memory a large corpus cannot spare


def _add_seconds(total: dict[str, float], seconds: dict[str, float]) -> None:
    for stage, value in seconds.items():
        total[stage] = total.get(stage, 0.0) + value


@dataclass
class _Job:
    """What every worker needs for the whole run, sent once per process."""

    rules: list[Rule]
    cache: Cache | None = None
    ruleset: str = ""


_WORKER_JOB: _Job | None = None
_SPILL_FOLDER: str | None = None  # where this worker parks its results' bulk (see lint.spill)
_WORKER_SPILL: Spill | None = None
_PARKERS: dict[str, Any] = {}  # rule code -> its corpus check, which parks its signatures


def _init_worker(job: _Job, spill_folder: str | None = None) -> None:
    global _WORKER_JOB, _SPILL_FOLDER, _WORKER_SPILL
    _WORKER_JOB, _SPILL_FOLDER, _WORKER_SPILL = job, spill_folder, None


def _process(file: SourceFile) -> FileResult:
    result = process_file(file, _WORKER_JOB.rules, _WORKER_JOB.cache, _WORKER_JOB.ruleset)
    if _SPILL_FOLDER is not None:
        _park(result)
    return result


def _park(result: FileResult) -> None:
    """Park a result's shingles and packed hits in this worker's spill: what crosses to
    the main process is then where they lie, not the bytes."""
    global _WORKER_SPILL, _PARKERS
    if _WORKER_SPILL is None:
        _WORKER_SPILL = Spill(_SPILL_FOLDER)
        _PARKERS = {rule.code: check for rule, check, corpus in _plan(_WORKER_JOB.rules).rows if corpus}
    for code, signature in result.signatures.items():
        _PARKERS[code].park(signature, _WORKER_SPILL)
    if isinstance(result.hits, PackedHits):
        result.hits.park(_WORKER_SPILL)


def process_file(file: SourceFile, rules: list[Rule], cache: Cache | None = None, ruleset: str = "") -> FileResult:
    """Load one file and run every per-document check and corpus signature on it."""
    t0 = time.perf_counter()
    try:
        data, stat = read_file(file.fs_path)
    except DoclintError as exc:
        return _unreadable(file, exc)
    key = None
    if cache is not None:
        key = entry_key(data, file.path, ruleset)
        cached = cache.get(key)
        if cached is not None:
            cached.from_cache = True
            cached.stat = stat
            cached.seconds = {"cache read": time.perf_counter() - t0}
            return cached
    try:
        source = decode(data, file.fs_path)
    except BinaryFile:
        return FileResult(file.path, notice=Notice(file.path, "binary file skipped"), scanned=False)
    except DoclintError as exc:
        return _unreadable(file, exc)
    load_seconds = time.perf_counter() - t0
    result = process_document(Document(file.path, source, file.fs_path), rules)
    result.seconds["load"] = load_seconds
    result.size = len(data)
    result.stat = stat
    if result.notice is None:
        result.cache_key = key
    return result


def _unreadable(file: SourceFile, exc: DoclintError) -> FileResult:
    reason = str(exc).removeprefix(f"{file.fs_path}: ")
    return FileResult(file.path, notice=Notice(file.path, reason, is_error=True), scanned=False)


def process_document(doc: Document, rules: list[Rule]) -> FileResult:
    """Every per-document check and corpus signature on one Document."""
    result = FileResult(doc.path, size=len(doc.text))
    if doc.is_markdown:
        result.suppressions = suppress.parse(doc.lines) or None
    plan = _plan(rules)
    # One clock reading per rule, each rule's time the gap since the last, labelled
    # once at the end: two readings and four dict updates per rule were 30 us a
    # document, 2% of the per-document pass on a corpus of 8 KB files.
    ticks = [time.perf_counter()]
    hits = result.hits
    for rule, check, corpus in plan.rows:
        try:
            if corpus:
                result.signatures[rule.code] = check.signature(doc, rule.params)
            else:  # a loop, not extend() over a generator expression: one object fewer per rule
                code = rule.code
                for hit in check.check(doc, rule.params):
                    hits.append((code, hit))
        except Exception as exc:  # a bug in one check must not hide the other findings
            result.notice = Notice(doc.path, f"internal error in {rule.code} ({rule.name}): "
                                             f"{type(exc).__name__}: {exc}", is_error=True)
        ticks.append(time.perf_counter())
    elapsed = [b - a for a, b in zip(ticks, ticks[1:])]
    result.seconds = dict(zip(plan.labels, elapsed))
    signatures = sum(compress(elapsed, plan.corpus))
    result.seconds["signatures"] = signatures
    result.seconds["rules"] = max(0.0, ticks[-1] - ticks[0] - signatures)
    result.hits = PackedHits(result.hits)
    return result


class PackedHits:
    """One file's (rule code, Hit) pairs, pickled until the report is made.

    A large corpus has hundreds of thousands of findings, each a Hit with its dicts;
    waiting through the corpus passes as bytes they take about a third of the memory,
    and the main process never unpickles them twice.
    """

    __slots__ = ("data", "count")

    def __init__(self, hits: list[tuple[str, Hit]]):
        self.data = pickle.dumps(hits, protocol=pickle.HIGHEST_PROTOCOL) if hits else b""
        self.count = len(hits)

    def park(self, spill: Spill) -> None:
        """Move the bytes to the run's spill file, where they wait out the corpus passes
        (at 1 GB, about 90 MB that the near-duplicate pass's peak no longer carries)."""
        if self.count and isinstance(self.data, bytes):
            self.data = spill.put(np.frombuffer(self.data, dtype=np.uint8))

    def __iter__(self) -> Iterator[tuple[str, Hit]]:
        if not self.count:
            return iter(())
        data = self.data.load() if isinstance(self.data, Spilled) else self.data
        return iter(pickle.loads(data))  # bytes, or an array of them back from a cache or snapshot

    def __len__(self) -> int:
        return self.count


@dataclass
class _Plan:
    """Each rule with its check object, and the labels its time is kept under."""

    rules: list[Rule]
    rows: list[tuple[Rule, Any, bool]]  # (rule, check, is a corpus rule)
    labels: list[str]  # "rule CODE", in the rows' order
    corpus: list[bool]  # which rows' time is the signatures stage's; the others', the rules'


_PLAN: _Plan | None = None


def _plan(rules: list[Rule]) -> _Plan:
    """Made once per rule list (per worker), not once per rule per document."""
    global _PLAN
    if _PLAN is None or _PLAN.rules is not rules:
        rows = [(r, r.check(), r.is_corpus) for r in rules]
        _PLAN = _Plan(rules, rows, ["rule " + r.code for r in rules], [r.is_corpus for r in rules])
        literals.expect(SCANNED_LITERALS)  # the document model's own, asked by every document
        for rule, check, corpus in rows:
            if not corpus:
                literals.expect(check.literals(rule.params))
    return _PLAN


def lint_documents(docs: list[Document], rules: list[Rule], cfg: Config | None = None) -> list[Finding]:
    """Lint documents already in memory (tests, rule examples, the Python API)."""
    results = [process_document(d, rules) for d in docs]
    return collect(results, rules, cfg or Config()).findings


def run(
    paths: list[str],
    cfg: Config,
    rules: list[Rule],
    *,
    jobs: int | None = None,
    files: list[SourceFile] | None = None,
    progress: Callable[[FileResult], None] | None = None,
    timings: Timings | None = None,
    use_cache: bool = False,
    focus: set[str] | None = None,
) -> Report:
    timings = timings or Timings()
    t0 = time.perf_counter()
    if files is None:
        files = discover(paths, cfg)
    timings.add("discover", time.perf_counter() - t0)

    cache = Cache(cfg.cache_dir or cfg.root / ".doclint_cache") if use_cache else None
    job = _Job(rules, cache, ruleset_key(rules) if cache else "")
    if focus is not None and cache is not None:
        t0 = time.perf_counter()
        try:
            report = focused.run(files, focus, job, jobs or cfg.jobs, cfg, timings)
        finally:
            cache.close()
        timings.add("focused", time.perf_counter() - t0)
        if report is not None:
            return report
    if cache is not None:
        t0 = time.perf_counter()
        stored = focused.repeat(files, job, cfg)
        timings.add("repeat", time.perf_counter() - t0)
        if stored is not None:  # nothing changed since the last full run: its report or results stand
            timings.repeated = True
            if stored.report is not None:
                report = stored.report
                timings.files = timings.cached = len(stored.states)
                timings.bytes_read = sum(f.size for f in stored.states)
            else:
                timings.record(stored.results)
                report = collect(stored.results, rules, cfg, timings, corpus_hits=stored.corpus_hits)
                t0 = time.perf_counter()
                focused.save_report(report, job, cfg, stored.states)
                timings.add("snapshot", time.perf_counter() - t0)
            if focus is not None:
                narrow(report, focus)
            return report
    t0 = time.perf_counter()
    spill = Spill()
    corpus_checks = [(r.code, r.check()) for r in rules if r.is_corpus]
    results = []
    freezing = gc.get_freeze_count() == 0  # else someone else is freezing: leave it to them
    pausing = freezing and gc.isenabled()
    try:
        for res in _map_files(files, job, jobs or cfg.jobs, progress, spill):
            timings.record([res])  # now, not at the end: a chunk's first result carries a dict of ~40 floats
            for code, check in corpus_checks:
                if code in res.signatures:
                    check.settle(res.signatures[code], spill)
            if isinstance(res.hits, PackedHits):
                res.hits.park(spill)
            results.append(res)
            if freezing and len(results) % _FREEZE_EVERY == 0:
                gc.freeze()
        if freezing:  # the last few: each corpus pass ends with a collection, which would walk them
            gc.freeze()
        timings.add("documents", time.perf_counter() - t0)
        if pausing:  # what the corpus passes and stamping make lives until the report: see below
            gc.disable()
        corpus_hits: dict[str, list[Hit]] = {}
        recorded = None  # the files as the snapshot recorded them, once it is written
        if cache is not None:
            t0 = time.perf_counter()
            cache.put_many((r.cache_key, r) for r in results if r.cache_key and not r.from_cache)
            timings.add("cache", time.perf_counter() - t0)

        def snapshot_then_let_go(hits: dict[str, list[Hit]]) -> None:
            """The snapshot is the signatures' last reader: written before stamping, the
            signatures (at 1 GB, most of a gigabyte of MinHash values) are gone before the
            findings are made, which without this peaked together above 2 GB."""
            nonlocal recorded
            t0 = time.perf_counter()
            recorded = focused.save_snapshot(results, job, hits)
            for res in results:
                res.signatures = {}
            timings.add("snapshot", time.perf_counter() - t0)

        report = collect(results, rules, cfg, timings, cache, job.ruleset, corpus_hits,
                         settled=snapshot_then_let_go if cache is not None else None)
        if recorded is not None:
            t0 = time.perf_counter()
            focused.save_report(report, job, cfg, recorded)
            timings.add("snapshot", time.perf_counter() - t0)
    finally:
        if freezing:
            gc.freeze()  # the findings made while the collector was paused: see below _FREEZE_EVERY
            gc.unfreeze()
        if pausing:
            gc.enable()
        spill.close()
        if cache is not None:
            cache.close()
    if focus is not None:
        narrow(report, focus)
    return report


# The results of a large corpus are millions of objects that live until the report is
# made.  Each full collection of Python's cycle collector would walk all of them (a
# third of the main process's CPU time in a near-duplicate run over 1 GB), so every
# this many results they are frozen: moved out of the collector's sight until the run
# ends.  A run leaves no cyclic garbage behind (none after a full check of the 100 MB
# benchmark corpus), so freezing keeps nothing alive that a collection would free.
_FREEZE_EVERY = 2048
# After the documents stage the corpus passes and stamping add hundreds of thousands of
# findings and their dicts, which also live until the report is made: the collector is
# paused for them, rather than frozen piecemeal.
# At the run's end everything goes back to the collector's oldest generation: the
# frozen results by unfreezing, and the findings made while it was paused by freezing
# them first.  Left in the youngest generation, those findings (at 1 GB, 390,000 of
# them with their dicts) were walked by the first collection after the collector
# resumed, and again as they were promoted: most of a second before the report could
# be written.  Moving a generation is one list splice; the next full collection takes
# what little cyclic garbage the run leaves.


def narrow(report: Report, focus: set[str]) -> None:
    """Keep only what touches a focus file: findings on it or naming it as the other copy."""
    report.findings = [f for f in report.findings
                       if f.path in focus or any(r.path in focus for r in f.related)]
    # A baseline entry of an unfocused file is neither matched nor stale in this run.
    report.paths = [p for p in report.paths if p in focus]


def collect(
    results: list[FileResult],
    rules: list[Rule],
    cfg: Config,
    timings: Timings | None = None,
    cache: Cache | None = None,
    ruleset: str = "",
    corpus_hits: dict[str, list[Hit]] | None = None,
    settled: Callable[[dict[str, list[Hit]]], None] | None = None,
) -> Report:
    """Per-file results to a Report: corpus checks, stamping, filtering, sorting.

    A corpus check's hits are cached under the identity of every file it saw, so a
    second run over an unchanged corpus skips the pairing stage as well as shingling.
    `corpus_hits` gives hits already known per rule code, and receives those computed;
    `settled` is called with them once every corpus pass is done, before stamping.
    """
    corpus_hits = {} if corpus_hits is None else corpus_hits
    timings = timings or Timings()
    by_code = {r.code: r for r in rules}
    corpus_raw: dict[str, list[tuple[str, Rule, Hit]]] = defaultdict(list)  # path -> its corpus hits
    notices: list[Notice] = []
    suppressions: dict[str, suppress.Suppressions] = {}
    scanned = []
    for res in results:
        if res.notice:
            notices.append(res.notice)
        if res.suppressions:
            suppressions[res.path] = res.suppressions
        if res.scanned:
            scanned.append(res.path)

    t0 = time.perf_counter()
    for rule in rules:
        if not rule.is_corpus:
            continue
        hits = corpus_hits.get(rule.code)
        if hits is None:
            hits = corpus_hits[rule.code] = _corpus_pass(rule, results, cache, ruleset)
            # Compiled (lint/compiled.py), a function's nested functions share one closure
            # object, which makes a cycle as soon as one of them calls another: the pass's
            # matrix and sketches would wait for the collector, which is paused from here
            # to the report (at 1 GB, 340 MB more at the peak).  The pass is over: collect.
            gc.collect()
        if cache is None:  # nothing will index the signatures: let them go before the next rule
            for res in results:
                res.signatures.pop(rule.code, None)
        for hit in hits:
            corpus_raw[hit.path].append((hit.path, rule, hit))
    timings.add("corpus", time.perf_counter() - t0)
    if settled is not None:
        settled(corpus_hits)

    # A file's hits become objects only now, after the corpus passes have let their
    # signatures go, and one file at a time: occurrence numbers are counted per file,
    # so stamping file by file gives the same findings as stamping them all at once.
    t0 = time.perf_counter()
    ignores = FileIgnores(cfg, _catalogue_of(rules))
    findings: list[Finding] = []
    for res in results:
        raw = [(res.path, by_code[code], hit) for code, hit in res.hits] + corpus_raw.pop(res.path, [])
        if raw:
            findings += stamp(raw, ignores, suppressions)
    for raw in corpus_raw.values():
        findings += stamp(raw, ignores, suppressions)
    findings.sort(key=Finding.sort_key)
    timings.add("stamp", time.perf_counter() - t0)
    return Report(
        findings=findings,
        files_scanned=len(scanned),
        version=__version__,
        rules={r.code: r for r in rules},
        notices=sorted(notices, key=lambda n: n.path),
        paths=scanned,
    )


def _corpus_pass(rule: Rule, results: list[FileResult], cache: Cache | None, ruleset: str) -> list[Hit]:
    """One corpus rule's hits, from the cache or from its check.  A function of its own so
    that nothing of the pass (its list of signatures above all) outlives it."""
    having = [res for res in results if rule.code in res.signatures]
    key = _corpus_key(rule, having, ruleset) if cache is not None else None
    hits = cache.get(key) if key else None
    if hits is None:
        hits = list(rule.check().check_corpus([(res.path, res.signatures[rule.code]) for res in having],
                                              rule.params))
        if key:
            cache.put_many([(key, hits)])
    return hits


def _corpus_key(rule: Rule, results: list[FileResult], ruleset: str) -> str | None:
    """The identity of a corpus pass: the rule set, the rule, and every file's own cache key."""
    if not ruleset or any(r.cache_key is None for r in results):
        return None
    h = hashlib.sha256(f"corpus\0{ruleset}\0{rule.code}".encode())
    for r in sorted(results, key=lambda r: r.path):
        h.update(f"\0{r.path}\0{r.cache_key}".encode())
    return "corpus:" + h.hexdigest()


def _map_files(files: list[SourceFile], job: _Job, jobs: int | None, progress,
               spill: Spill | None = None) -> Iterator[FileResult]:
    """Each file's result, in file order; with `spill`, workers park their results' bulk
    where it can read them."""
    jobs = jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1:
        yield from _announced((process_file(f, job.rules, job.cache, job.ruleset)
                               for f in readahead.ahead(files, attrgetter("fs_path"))), progress)
        return
    # Small chunks keep the progress bar moving and balance uneven file sizes; only a
    # few chunks per worker are in flight, so a corpus of a million files does not
    # become a million futures at once.  Results come back in file order.
    chunksize = max(1, min(64, len(files) // (jobs * 32)))
    if multiprocessing.get_start_method() == "fork":
        _warm_up(files, job.rules)
    folder = spill.shared() if spill is not None else None
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(job, folder)) as pool:
            in_flight: deque = deque()
            for lo in range(0, len(files), chunksize):
                chunk = files[lo : lo + chunksize]
                # Read by the kernel while the workers lint the chunks before it.
                readahead.hint(f.fs_path for f in chunk)
                in_flight.append(pool.submit(_process_chunk, chunk))
                if len(in_flight) > 8 * jobs:
                    yield from _announced(in_flight.popleft().result(), progress)
            while in_flight:
                yield from _announced(in_flight.popleft().result(), progress)
    finally:
        if spill is not None:
            spill.release_folder()


def _warm_up(files: list[SourceFile], rules: list[Rule]) -> None:
    """Lint the head of one file here, before the workers fork, and forget the result.

    A process's first document builds what every later one reuses: the rule plan and
    its literal scan, the phrases the text needs compiled, the kernels' case-fold and
    class tables.  That was ~0.1 s in each worker, a tenth of a 10 MB run on two cores;
    built once here, the workers inherit it.  Only the head is linted (a huge first file
    would otherwise be linted twice), and a file that cannot be read or decoded is
    passed over here and left to its worker to report.
    """
    for file in files[:_WARM_UP_TRIES]:
        try:
            data, _ = read_file(file.fs_path)
            head = data[:_WARM_UP_BYTES]
            source = decode(head[: head.rfind(b"\n") + 1] or head, file.fs_path)
        except (DoclintError, BinaryFile):
            continue
        process_document(Document(file.path, source, file.fs_path), rules)
        return


_WARM_UP_BYTES = 1 << 16
_WARM_UP_TRIES = 8


def _process_chunk(files: list[SourceFile]) -> list[FileResult]:
    results = [_process(f) for f in files]
    # The chunk's worker time travels summed on its first result: a dict of ~40 floats
    # per file was 1.2 MB of pickles per 10 MB of text, for the benchmark's totals alone.
    for res in results[1:]:
        _add_seconds(results[0].seconds, res.seconds)
        res.seconds = {}
    if _WORKER_SPILL is not None:
        _WORKER_SPILL.flush()  # before the results that point into it are sent
    return results


def _announced(results: Iterable[FileResult], progress) -> Iterator[FileResult]:
    """The results, each shown to the progress bar as it passes."""
    for res in results:
        if progress:
            progress(res)
        yield res


def stamp(
    raw: Iterable[tuple[str, Rule, Hit]],
    ignores: FileIgnores,
    suppressions: dict[str, suppress.Suppressions],
) -> list[Finding]:
    """Hits to Findings: rule identity, severity, message, fingerprint; filtered and sorted."""
    kept: list[tuple[str, Rule, Hit]] = []
    ignored_cache: dict[str, set[str]] = {}
    for path, rule, hit in raw:
        off = ignored_cache.get(path)
        if off is None:
            off = ignored_cache[path] = ignores.ignored(path)
        if rule.code in off:
            continue
        sup = suppressions.get(path)
        if sup is not None and sup.suppressed(rule.code, rule.name, hit.start_line):
            continue
        kept.append((path, rule, hit))
    kept.sort(key=lambda t: (t[0], t[2].start_line, t[2].start_col or 0, t[1].code, t[2].end_line))
    seen: dict[tuple[str, str, str], int] = {}  # which repeat of its text each finding is
    findings = []
    for path, rule, hit in kept:
        code, key, start, end = rule.code, hit.key, hit.start_line, hit.end_line
        ident = (code, path, key)
        occurrence = seen.get(ident, 0)
        seen[ident] = occurrence + 1
        # Finding's fields in order (keywords cost 0.4 us more a finding, of about 8).
        findings.append(Finding(code, rule.name, rule.category, rule.severity, path, start,
                                end if end > start else start, rule.format_message(hit.args),
                                fingerprint(code, path, key, occurrence), hit.start_col, hit.end_col,
                                tuple(hit.related), hit.fix))
    findings.sort(key=Finding.sort_key)
    return findings


def _catalogue_of(rules: list[Rule]):
    from lint.catalogue import Catalogue

    cat = Catalogue()
    for r in rules:
        cat.rules[r.code] = r
    return cat
