"""Baselines: accept today's findings by fingerprint so that CI fails only on new ones.

A baseline is a JSON file listing fingerprints with the rule, path and message
they stood for (for people reading the diff of the file, not for matching).
Fingerprints ignore line numbers, so edits elsewhere in a file keep entries valid.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from lint.errors import DoclintError
from lint.findings import Finding, Report

FORMAT = "doclint-baseline"
VERSION = 1


@dataclass
class Baseline:
    entries: dict[str, dict[str, str]] = field(default_factory=dict)  # fingerprint -> rule/path/message

    def apply(self, report: Report) -> tuple[list[Finding], int, list[dict[str, str]]]:
        """(new findings, how many matched the baseline, entries that no longer match anything).

        An entry counts as stale only when its file was scanned in this run (or is
        gone), so linting part of a corpus does not make the rest of the baseline stale.
        """
        matched: set[str] = set()
        kept = []
        for f in report.findings:
            if f.fingerprint in self.entries:
                matched.add(f.fingerprint)
            else:
                kept.append(f)
        scanned = set(report.paths)
        stale = [
            {"fingerprint": fp, **entry} for fp, entry in sorted(self.entries.items())
            if fp not in matched and (entry.get("path") in scanned or not os.path.exists(entry.get("path", "")))
        ]
        return kept, len(matched), stale


def read(path: Path) -> Baseline:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DoclintError(f"baseline file {path} does not exist (create it with `doclint baseline`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DoclintError(f"cannot read baseline {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DoclintError(f"baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise DoclintError(f"{path} is not a doclint baseline (expected \"format\": \"{FORMAT}\")")
    entries = {}
    for item in data["findings"]:
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise DoclintError(f"baseline {path}: every entry needs a \"fingerprint\" string")
        entries[item["fingerprint"]] = {k: str(item.get(k, "")) for k in ("rule", "path", "message")}
    return Baseline(entries)


def render(report: Report) -> str:
    items = [
        {"fingerprint": f.fingerprint, "rule": f.rule, "path": f.path, "message": f.message}
        for f in report.findings
    ]
    return json.dumps({"format": FORMAT, "version": VERSION, "findings": items}, indent=2, ensure_ascii=False) + "\n"
