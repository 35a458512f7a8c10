"""The Python API: `lint.check(paths, config=None) -> Report`, for use inside data pipelines.

    import lint
    report = lint.check(["corpus/"], config={"select": ["duplicate"], "fail-on": "error"})
    for finding in report.findings:
        print(finding.path, finding.start_line, finding.rule, finding.message)

`config` is a Config, a path to a doclint.toml / pyproject.toml, a dict shaped like
the [tool.doclint] table, or None to use the nearest config file (as the CLI does).
Bad input raises lint.errors.DoclintError with the same one-line message the CLI prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lint.catalogue import Catalogue, Rule, load_catalogue
from lint.config import Config, load_config, parse_config, resolve_rules
from lint.engine import Timings, run
from lint.findings import Finding, Report

__all__ = ["check", "prepare", "Prepared", "Report", "Finding"]


@dataclass
class Prepared:
    config: Config
    catalogue: Catalogue
    rules: list[Rule]


def prepare(
    config: Config | str | os.PathLike | dict[str, Any] | None = None,
    *,
    isolated: bool = False,
    select: list[str] | None = None,
    extend_select: list[str] = (),
    ignore: list[str] = (),
    preview: bool | None = None,
) -> Prepared:
    """Resolve config, catalogue and the active rules once; reusable across runs."""
    if isinstance(config, Config):
        cfg = config
    elif isinstance(config, dict):
        cfg = parse_config(config, None)
    elif config is not None:
        cfg = load_config(Path(config))
    else:
        cfg = Config() if isolated else load_config()
    if preview is not None:
        cfg.preview = preview
    catalogue = load_catalogue(cfg.rule_dirs)
    rules = resolve_rules(catalogue, cfg, select=select, extend_select=list(extend_select), ignore=list(ignore))
    return Prepared(cfg, catalogue, rules)


def check(
    paths: list[str | os.PathLike] | str | os.PathLike,
    config: Config | str | os.PathLike | dict[str, Any] | None = None,
    *,
    jobs: int | None = None,
    cache: bool = False,
) -> Report:
    """Lint files and folders and return the Report (findings sorted by path and line).

    With `cache=True` results are kept in the config's cache-dir (default
    .doclint_cache beside the config file), as the command line does.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    prepared = prepare(config)
    return run([os.fspath(p) for p in paths], prepared.config, prepared.rules, jobs=jobs,
               timings=Timings(), use_cache=cache)
