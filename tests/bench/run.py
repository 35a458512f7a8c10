"""The benchmark: doclint on generated corpora, per stage, against datatrove and plain datasketch.

    python tests/bench/run.py --sizes 10MB,100MB,1GB [--jobs 2] [--baselines datatrove,datasketch]

For each size it generates (once, cached under --workdir) a corpus with
tests/bench/corpus.py, then runs each measurement in a fresh child process so that
peak RSS belongs to that run alone:

- doclint, every default rule, cold (no cache): wall time per stage, MB/s, documents/s, peak RSS;
- doclint, the near-duplicate file rule alone: MB/s and recall of the injected pairs with Jaccard >= 0.7;
- doclint again with a warm cache: the speed-up of a second run over an unchanged corpus;
- a pre-commit style run: one changed file checked against the whole corpus with a warm cache;
- the baselines on the same corpus in the same run: plain datasketch (MinHash per document,
  MinHashLSH at 0.7) and datatrove's MinHash pipeline, and the ratios to doclint.

Baselines need their packages: `--baseline-python PATH` names an interpreter that has
them (tests/bench/requirements-baselines.txt says how to make one); without them a
baseline is reported as skipped, never silently dropped.  datatrove runs at well under
1 MB/s here, so baselines run only on corpora up to --baseline-max (default 100 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from corpus import FOOTERS, VERSION, generate, parse_size  # noqa: E402

NEAR_DUP_RULE = "near-duplicate-file"


def _rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024  # ru_maxrss is in KiB on Linux


# -- children: each prints one JSON object ------------------------------------


def child_doclint(corpus: Path, jobs: int, select: list[str] | None, cache_dir: Path | None,
                  focus: str | None) -> dict:
    sys.path.insert(0, str(ROOT))
    from lint.api import prepare
    from lint.engine import Timings, run
    from lint.reporters import render_chunks

    t_start = time.perf_counter()
    cfg = {"select": select} if select else {}
    if select == [NEAR_DUP_RULE]:
        # The benchmark measures recall of the pairs with Jaccard >= 0.7.
        cfg["rules"] = {NEAR_DUP_RULE: {"threshold": 0.7}}
    prepared = prepare(cfg, isolated=True)
    if cache_dir is not None:
        prepared.config.cache_dir = cache_dir
    timings = Timings()
    focus_set = {focus} if focus else None
    os.chdir(corpus)
    report = run(["."], prepared.config, prepared.rules, jobs=jobs, timings=timings,
                 use_cache=cache_dir is not None, focus=focus_set)
    t0 = time.perf_counter()
    report_bytes = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:  # as `--output FILE` writes it: a piece at a time
        for piece in render_chunks(report, "json"):
            report_bytes += len(piece.encode("utf-8"))
            sink.write(piece)
    timings.add("report", time.perf_counter() - t0)
    wall = time.perf_counter() - t_start
    groups = []
    for f in report.findings:
        if f.name == NEAR_DUP_RULE:
            groups.append(sorted({f.path, *(r.path for r in f.related)}))
    return {
        "wall": wall, "stages": timings.stages, "worker": timings.worker, "bytes": timings.bytes_read,
        "files": timings.files, "cached": timings.cached, "findings": len(report.findings),
        "report_bytes": report_bytes, "rss_mb": _rss_mb(), "near_dup_groups": groups,
        "rules": len(prepared.rules), "focused": timings.focused,
    }


def child_datasketch(corpus: Path, num_perm: int, threshold: float) -> dict:
    """datasketch used plainly, as its documentation shows: one MinHash per document, one LSH."""
    import re

    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    sigs = {}
    total = 0
    word = re.compile(r"\w+")
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        total += len(text.encode())
        toks = word.findall(text.lower())
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch(" ".join(toks[i : i + 5]).encode() for i in range(max(1, len(toks) - 4)))
        key = path.relative_to(corpus).as_posix()
        lsh.insert(key, m)
        sigs[key] = m
    pairs = set()
    for key, m in sigs.items():
        for other in lsh.query(m):
            if other != key and m.jaccard(sigs[other]) >= threshold:
                pairs.add(tuple(sorted((key, other))))
    return {"wall": time.perf_counter() - t0, "bytes": total, "pairs": sorted(pairs), "rss_mb": _rss_mb()}


def child_datatrove(corpus: Path, jobs: int, work: Path) -> dict:
    """datatrove's four-stage MinHash deduplication, over the corpus written as JSON lines."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    data = work / "input"
    data.mkdir(parents=True, exist_ok=True)
    total = 0
    files = sorted(corpus.rglob("*.txt"))
    shards = [open(data / f"part-{i}.jsonl", "w") for i in range(jobs)]
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8", errors="replace")
        total += len(text.encode())
        shards[i % jobs].write(json.dumps({"text": text, "id": path.relative_to(corpus).as_posix()}) + "\n")
    for fh in shards:
        fh.close()
    config = MinhashConfig()
    sig, buckets, clusters, out = work / "sig", work / "buckets", work / "clusters", work / "out"
    t0 = time.perf_counter()
    stages = [
        ([JsonlReader(str(data)), MinhashDedupSignature(output_folder=str(sig), config=config)], jobs),
        ([MinhashDedupBuckets(input_folder=str(sig), output_folder=str(buckets), config=config)], config.num_buckets),
        ([MinhashDedupCluster(input_folder=str(buckets), output_folder=str(clusters), config=config)], 1),
        ([JsonlReader(str(data)), MinhashDedupFilter(input_folder=str(clusters)), JsonlWriter(str(out))], jobs),
    ]
    for pipeline, tasks in stages:
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=jobs, logging_dir=str(work / "logs"),
                              skip_completed=False).run()
    return {"wall": time.perf_counter() - t0, "bytes": total, "rss_mb": _rss_mb()}


# -- the parent --------------------------------------------------------------


def spawn(python: str, *args: str) -> dict | None:
    env = None
    if args[0] == "doclint":  # as the `doclint` command sets it before numpy loads (lint/cli.py)
        env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    proc = subprocess.run([python, str(Path(__file__)), "--child", *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"  child {args[0]} failed: {proc.stderr.strip().splitlines()[-1:] if proc.stderr else proc.returncode}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def recall(groups: list[list[str]], truth: dict, threshold: float = 0.7) -> tuple[float, int]:
    together: dict[str, int] = {}
    for i, g in enumerate(groups):
        for p in g:
            together.setdefault(p, i)
    wanted = [p for p in truth["near_duplicate_pairs"] if p["jaccard"] >= threshold]
    found = 0
    for p in wanted:
        a, b = p["a"], p["b"]
        if a in together and b in together and together[a] == together[b]:
            found += 1
        elif any(a in g and b in g for g in groups):
            found += 1
    return (found / len(wanted) if wanted else 1.0), len(wanted)


def pre_commit(corpus: Path, truth: dict, cache: Path, jobs: str, count: int) -> list[dict]:
    """Edit one file at a time, as a commit does, and check it against the corpus with a warm cache.

    Measured twice: the lint itself (in a child, imports excluded) and the whole
    `doclint check --focus FILE` command a pre-commit hook runs.  The files are spread
    over the corpus, and include ones with a shared footer and a copied paragraph.
    """
    names = sorted(p.relative_to(corpus).as_posix() for p in corpus.glob("*/*.txt"))
    if not names:
        return []
    picks = [names[round(i * (len(names) - 1) / max(1, count - 1))] for i in range(count)]
    picks += [c["to"] for c in truth["paragraph_copies"][:1]]
    footer = next((n for n in names[len(names) // 2 :] if FOOTERS[0] in (corpus / n).read_text()), None)
    picks += [footer] if footer else []
    config = cache / "precommit.toml"
    config.write_text(f'cache-dir = "{cache}"\n')
    sentence = "\nOne more sentence for the pre-commit run, written by the benchmark.\n"
    out = []
    for name in dict.fromkeys(picks):
        path = corpus / name
        original = path.read_bytes()
        try:
            path.write_bytes(original + sentence.encode())
            t0 = time.perf_counter()  # the command first: the edited file is not in the cache yet
            proc = subprocess.run([sys.executable, "-m", "lint", "check", "--config", str(config), "--focus",
                                   "--quiet", "--exit-zero", "--format", "json", name],
                                  cwd=corpus, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            cli = time.perf_counter() - t0
            res = spawn(sys.executable, "doclint", str(corpus), jobs, "", str(cache), name)
        finally:
            path.write_bytes(original)
        if res and proc.returncode == 0:
            out.append({"file": name, "run": res["wall"], "cli": cli, "focused": res["focused"],
                        "findings": len(json.loads(proc.stdout)["findings"])})
    return out


def median(values: list[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def mbps(nbytes: int, seconds: float) -> float:
    return nbytes / 1e6 / seconds if seconds > 0 else float("inf")


def _fastest(runs: Iterable[dict | None]) -> tuple[dict | None, list[float], str]:
    """The fastest of the runs that finished, every one's wall time, and the note that
    says so when there was more than one."""
    done = [run for run in runs if run]
    walls = [run["wall"] for run in done]
    note = f" (best of {len(done)}: {', '.join(f'{wall:.2f}' for wall in walls)} s)" if len(done) > 1 else ""
    return (min(done, key=lambda run: run["wall"]) if done else None), walls, note


def bench(size: int, args: argparse.Namespace) -> dict:
    corpus = args.workdir / f"corpus-{size}-{args.seed}-v{VERSION}"
    if not (corpus / "truth.json").exists():
        print(f"generating {size / 1e6:.0f} MB corpus in {corpus} ...")
        shutil.rmtree(corpus, ignore_errors=True)
        generate(corpus, size, args.seed)
    truth = json.loads((corpus / "truth.json").read_text())
    _read_through(corpus)
    py = sys.executable
    jobs = str(args.jobs)
    out: dict = {"size": truth["bytes"], "documents": truth["documents"]}
    print(f"\n== {truth['bytes'] / 1e6:.0f} MB, {truth['documents']} documents, jobs={args.jobs}")

    # On a machine whose timings move from run to run, the best of several runs is the
    # run least disturbed; every run's time is kept and printed beside it.
    full, walls, runs = _fastest(spawn(py, "doclint", str(corpus), jobs, "", "") for _ in range(args.repeat))
    if full:
        out["full"], out["full_walls"] = full, walls
        print(f"  doclint, all default rules ({full['rules']}): {full['wall']:.2f} s{runs}, "
              f"{mbps(full['bytes'], full['wall']):.1f} MB/s, {full['files'] / full['wall']:.0f} docs/s, "
              f"peak RSS {full['rss_mb']:.0f} MB, {full['findings']} findings")
        for stage, sec in full["stages"].items():
            print(f"    {stage:<10} {sec:8.2f} s wall")
        for stage, sec in sorted(full["worker"].items()):
            if not stage.startswith("rule "):
                print(f"    {stage:<10} {sec:8.2f} s worker CPU")
        slow = sorted(((v, k[5:]) for k, v in full["worker"].items() if k.startswith("rule ")), reverse=True)[:6]
        print("    slowest rules (worker CPU): " + ", ".join(f"{code} {sec:.2f}s" for sec, code in slow))

    # The near-duplicate rule alone, the fastest of as many runs as the full check: a
    # 10 MB run takes a fifth of a second, which one pause of the machine can add again.
    near, walls, runs = _fastest(spawn(py, "doclint", str(corpus), jobs, NEAR_DUP_RULE, "")
                                 for _ in range(args.repeat))
    if near:
        r, n = recall(near["near_dup_groups"], truth)
        near["recall"] = r
        out["near_duplicate"], out["near_duplicate_walls"] = near, walls
        print(f"  doclint near-duplicate stage alone: {near['wall']:.2f} s{runs}, "
              f"{mbps(near['bytes'], near['wall']):.1f} MB/s, recall {r:.3f} of {n} pairs with Jaccard >= 0.7")

    if "warm" in args.skip:
        print("  warm cache and pre-commit runs: skipped (--skip warm)")
    else:
        with tempfile.TemporaryDirectory(dir=args.workdir) as cache:
            cold = spawn(py, "doclint", str(corpus), jobs, "", cache)
            warm = spawn(py, "doclint", str(corpus), jobs, "", cache)
            if cold and warm:
                out["warm"] = {"cold": cold["wall"], "warm": warm["wall"], "speedup": cold["wall"] / warm["wall"]}
                print(f"  warm cache: cold {cold['wall']:.2f} s, warm {warm['wall']:.2f} s, "
                      f"{cold['wall'] / warm['wall']:.1f}x faster ({warm['cached']}/{warm['files']} from cache)")
            hooks = pre_commit(corpus, truth, Path(cache), jobs, args.precommit_files)
            if hooks:
                out["pre_commit"] = hooks
                runs, clis = [h["run"] for h in hooks], [h["cli"] for h in hooks]
                print(f"  one changed file against the corpus, warm cache ({len(hooks)} files, "
                      f"{sum(h['focused'] for h in hooks)} answered from the snapshot): "
                      f"lint {median(runs):.2f} s median, {max(runs):.2f} s max; whole `doclint check --focus` "
                      f"command {median(clis):.2f} s median, {max(clis):.2f} s max")

    bpy = args.baseline_python
    if size > args.baseline_max:
        print(f"  baselines: not run above {args.baseline_max / 1e6:.0f} MB (--baseline-max)")
        return out
    for name, label in (("datasketch", "plain datasketch"), ("datatrove", "datatrove MinHash pipeline")):
        if name not in args.baselines:
            continue
        with tempfile.TemporaryDirectory(dir=args.workdir) as work:
            extra = (jobs, work) if name == "datatrove" else ()
            res = spawn(bpy, name, str(corpus), *extra)
        if not res:
            print(f"  {label}: skipped (install tests/bench/requirements-baselines.txt for --baseline-python)")
            continue
        out[name] = res
        line = f"  {label}: {res['wall']:.2f} s, {mbps(res['bytes'], res['wall']):.2f} MB/s"
        if near:
            line += f"; doclint near-duplicate stage is {res['wall'] / near['wall']:.1f}x faster"
        print(line)
    return out


def _read_through(corpus: Path) -> None:
    """Read every file of the corpus once before the timed runs: each size then starts
    with its files in the page cache, as every run after the first finds them anyway,
    so that sizes (and doclint and the baselines) are compared on their own work rather
    than on what the kernel happened to keep since the last size was measured."""
    for path in sorted(corpus.rglob("*")):
        if path.is_file():
            with open(path, "rb") as fh:
                while fh.read(1 << 20):
                    pass


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "doclint":
            corpus, jobs, select, cache, *focus = rest
            res = child_doclint(Path(corpus), int(jobs), [select] if select else None,
                                Path(cache) if cache else None, focus[0] if focus else None)
        elif kind == "datasketch":
            res = child_datasketch(Path(rest[0]), 128, 0.7)
        else:
            res = child_datatrove(Path(rest[0]), int(rest[1]), Path(rest[2]))
        print(json.dumps(res))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10MB,100MB", help="comma-separated corpus sizes (e.g. 10MB,100MB,1GB)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "doclint-bench")
    ap.add_argument("--baselines", default="datasketch,datatrove", help="comma-separated; empty for none")
    ap.add_argument("--baseline-python", default=sys.executable,
                    help="interpreter with datatrove and datasketch installed")
    ap.add_argument("--baseline-max", type=parse_size, default=parse_size("100MB"),
                    help="largest corpus the baselines run on")
    ap.add_argument("--skip", default="", help="comma-separated: warm (the cached and pre-commit runs; "
                    "they repeat the full run twice, which matters at 1 GB)")
    ap.add_argument("--precommit-files", type=int, default=5,
                    help="files edited one at a time for the pre-commit measurement")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the whole check, and the near-duplicate rule alone, this many times per size "
                         "and report the fastest (all are printed)")
    ap.add_argument("--json", type=Path, help="write all figures here")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.baselines = [b for b in args.baselines.split(",") if b]
    args.skip = {s for s in args.skip.split(",") if s}
    results = [bench(parse_size(s), args) for s in args.sizes.split(",")]
    if len(results) > 1 and all("full" in r for r in results):
        rates = [mbps(r["full"]["bytes"], r["full"]["wall"]) for r in results]
        print(f"\nlinearity: MB/s across sizes {', '.join(f'{x:.1f}' for x in rates)} "
              f"(spread {100 * (max(rates) - min(rates)) / max(rates):.0f}%)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
