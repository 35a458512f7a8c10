"""Configuration: finding it, validating it, and resolving which rules run and how.

Precedence, in one sentence (README, `doclint explain` and tests say the same):
start from every stable rule (and preview rules when `preview = true`); `select`
replaces that set and `extend-select` adds to it; `ignore` removes; when a rule is
named both ways the more specific selector wins (a code or slug beats a prefix, a
longer prefix beats a shorter one, a category or ALL is least specific) and at equal
specificity `ignore` wins; `per-file-ignores` apply last.  Command-line `--select`
replaces the config's `select`; `--extend-select` and `--ignore` add to the config's.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from lint.catalogue import Catalogue, Rule
from lint.errors import DoclintError
from lint.findings import CATEGORIES, SEVERITIES
from lint.params import merge_params

CONFIG_FILES = ("doclint.toml", "pyproject.toml")
DEFAULT_EXTENSIONS = (".txt", ".md")
_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on",
    "rules", "rule-dirs", "include", "exclude", "extensions", "preview", "jobs",
    "cache-dir", "baseline", "respect-gitignore", "corpus-root",
}


@dataclass
class Config:
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "warning"
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_dirs: list[Path] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    preview: bool = False
    jobs: int | None = None
    cache_dir: Path | None = None
    baseline: Path | None = None
    respect_gitignore: bool = True
    corpus_root: Path | None = None
    source: Path | None = None  # the file this came from, or None for defaults

    @property
    def where(self) -> str:
        return _display(self.source) if self.source else "configuration"

    @property
    def root(self) -> Path:
        """Relative paths in the config are relative to the file's folder."""
        return self.source.parent if self.source else Path.cwd()


def find_config(start: Path | None = None) -> Path | None:
    """The nearest doclint.toml, or pyproject.toml with a [tool.doclint] table, walking up."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "doclint.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue  # someone else's broken pyproject is not ours to judge
            if isinstance(data.get("tool"), dict) and "doclint" in data["tool"]:
                return candidate
    return None


def load_config(path: Path | None = None, *, discover: bool = True) -> Config:
    """Read a config file (`path`, or the nearest one when `discover`); defaults when none."""
    if path is None:
        path = find_config() if discover else None
        if path is None:
            return Config()
    where = _display(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DoclintError(f"config file {where} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise DoclintError(f"{where}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DoclintError(f"{where}: cannot read: {exc}") from None
    if Path(path).name == "pyproject.toml":
        table = data.get("tool", {}).get("doclint")
        if table is None:
            raise DoclintError(f"{where} has no [tool.doclint] table")
        prefix = "tool.doclint."
    else:
        table = data
        prefix = ""
    return parse_config(table, Path(path).resolve(), prefix)


def parse_config(table: dict[str, Any], source: Path | None, prefix: str = "") -> Config:
    where = _display(source) if source else "configuration"
    cfg = Config(source=source)
    for key, value in table.items():
        name = f"{where}: key '{prefix}{key}'"
        if key not in _KEYS:
            raise DoclintError(f"{where}: unknown key '{prefix}{key}'")
        if key in ("select", "extend-select", "ignore", "include", "exclude", "extensions"):
            _require_str_list(value, name)
        if key == "select":
            cfg.select = list(value)
        elif key == "extend-select":
            cfg.extend_select = list(value)
        elif key == "ignore":
            cfg.ignore = list(value)
        elif key == "include":
            cfg.include = list(value)
        elif key == "exclude":
            cfg.exclude = list(value)
        elif key == "extensions":
            cfg.extensions = tuple(v if v.startswith(".") else "." + v for v in value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise DoclintError(f"{name} must be a table of glob = [codes]")
            for glob, codes in value.items():
                _require_str_list(codes, f"{name} entry '{glob}'")
            cfg.per_file_ignores = {g: list(c) for g, c in value.items()}
        elif key == "severity":
            if not isinstance(value, dict) or not all(v in SEVERITIES for v in value.values()):
                raise DoclintError(f"{name} must map rule selectors to one of {', '.join(SEVERITIES)}")
            cfg.severity = dict(value)
        elif key == "fail-on":
            if value not in SEVERITIES:
                raise DoclintError(f"{name} must be one of {', '.join(SEVERITIES)}, not {value!r}")
            cfg.fail_on = value
        elif key == "rules":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise DoclintError(f"{name} must hold one table per rule: [{prefix}rules.CODE]")
            cfg.rules = {k: dict(v) for k, v in value.items()}
        elif key == "rule-dirs":
            _require_str_list(value, name)
            cfg.rule_dirs = [(cfg.root / v).resolve() for v in value]
        elif key in ("preview", "respect-gitignore"):
            if not isinstance(value, bool):
                raise DoclintError(f"{name} must be true or false")
            setattr(cfg, key.replace("-", "_"), value)
        elif key == "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DoclintError(f"{name} must be a positive integer")
            cfg.jobs = value
        elif key in ("cache-dir", "baseline", "corpus-root"):
            if not isinstance(value, str):
                raise DoclintError(f"{name} must be a path")
            setattr(cfg, key.replace("-", "_"), (cfg.root / value).resolve())
    return cfg


def _require_str_list(value: Any, name: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DoclintError(f"{name} must be a list of strings")


# -- which rules run --------------------------------------------------------


def specificity(selector: str, catalogue: Catalogue) -> int:
    if selector.upper() == "ALL":
        return 0
    if selector in CATEGORIES:
        return 1
    if catalogue.lookup(selector) is not None:
        return 100
    return 1 + len(selector)


def check_selectors(selectors: list[str], catalogue: Catalogue, where: str) -> None:
    for s in selectors:
        if not catalogue.matching(s):
            raise DoclintError(f"{where}: unknown rule code, name, prefix or category '{s}'")


def resolve_rules(
    catalogue: Catalogue,
    cfg: Config,
    *,
    select: list[str] | None = None,
    extend_select: list[str] = (),
    ignore: list[str] = (),
) -> list[Rule]:
    """The rules that run, with severity overrides and parameter overrides applied."""
    cfg_where = cfg.where
    for label, sels, where in (
        ("select", cfg.select or [], cfg_where),
        ("extend-select", cfg.extend_select, cfg_where),
        ("ignore", cfg.ignore, cfg_where),
        ("severity", list(cfg.severity), cfg_where),
        ("--select", list(select or []), "command line"),
        ("--extend-select", list(extend_select), "command line"),
        ("--ignore", list(ignore), "command line"),
    ):
        check_selectors(sels, catalogue, f"{where} ({label})")
    for globbed, codes in cfg.per_file_ignores.items():
        check_selectors(codes, catalogue, f"{cfg_where} (per-file-ignores '{globbed}')")

    chosen_select = list(select) if select is not None else cfg.select
    positive: list[str] = list(chosen_select) if chosen_select is not None else []
    positive += list(cfg.extend_select) + list(extend_select)
    negative = list(cfg.ignore) + list(ignore)

    active: list[Rule] = []
    for rule in catalogue:
        if rule.status == "removed":
            for s in positive:
                if catalogue.lookup(s) is rule:
                    raise DoclintError(f"rule {rule.code} ({rule.name}) has been removed; it cannot be selected")
            continue
        best_pos = _best(rule, positive, catalogue)
        best_neg = _best(rule, negative, catalogue)
        if chosen_select is None and best_pos is None:
            # The default set: stable rules, and preview ones when asked for.
            enabled_by_default = rule.status == "stable" or (rule.status == "preview" and cfg.preview)
            best_pos = 0 if enabled_by_default else None
        if best_pos is None or (best_neg is not None and best_neg >= best_pos):
            continue
        if rule.status == "preview" and not cfg.preview and best_pos < 100:
            continue  # preview rules run only when named exactly or with preview = true
        active.append(_with_overrides(rule, cfg, catalogue))
    _check_rule_overrides(cfg, catalogue)
    return active


def _best(rule: Rule, selectors: list[str], catalogue: Catalogue) -> int | None:
    scores = [specificity(s, catalogue) for s in selectors if rule in catalogue.matching(s)]
    return max(scores) if scores else None


def _with_overrides(rule: Rule, cfg: Config, catalogue: Catalogue) -> Rule:
    severity = rule.severity
    best = -1
    for selector, level in cfg.severity.items():
        if rule in catalogue.matching(selector):
            score = specificity(selector, catalogue)
            if score > best:
                best, severity = score, level
    params = rule.params
    for ident, overrides in cfg.rules.items():
        if catalogue.lookup(ident) is rule:
            params = merge_params(params, overrides, f"{cfg.where}: [rules.{ident}]")
    if severity == rule.severity and params is rule.params:
        return rule
    return dataclasses.replace(rule, severity=severity, params=params)


def _check_rule_overrides(cfg: Config, catalogue: Catalogue) -> None:
    for ident in cfg.rules:
        if catalogue.lookup(ident) is None:
            raise DoclintError(f"{cfg.where}: [rules.{ident}] names no known rule")


def glob_spec(patterns: list[str]) -> pathspec.PathSpec:
    """Globs with .gitignore semantics (`**`, a trailing `/` for folders), as users write them."""
    try:
        return pathspec.PathSpec.from_lines("gitignore", patterns)
    except (KeyError, LookupError):  # pathspec < 0.12.2 knows the style only by its old name
        return pathspec.PathSpec.from_lines("gitwildmatch", patterns)


class FileIgnores:
    """per-file-ignores: which rules are off for a given report path."""

    def __init__(self, cfg: Config, catalogue: Catalogue):
        self._entries = [
            (glob_spec([glob]),
             {r.code for sel in codes for r in catalogue.matching(sel)})
            for glob, codes in cfg.per_file_ignores.items()
        ]

    def ignored(self, path: str) -> set[str]:
        out: set[str] = set()
        for spec, codes in self._entries:
            if spec.match_file(path):
                out |= codes
        return out


def _display(path: Path | None) -> str:
    if path is None:
        return "configuration"
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return Path(path).as_posix()
