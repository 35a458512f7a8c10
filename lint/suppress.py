"""Inline suppression comments in Markdown, in markdownlint's and Vale's vocabulary.

    <!-- doclint: disable=DUP001,donation-appeal -->   ... off until enabled again
    <!-- doclint: enable=DUP001 -->
    <!-- doclint: disable-next-line=BPL002 -->
    <!-- doclint: disable-file -->                       (optionally =CODES)

Plain text has no comment syntax; there, per-file-ignores and the baseline do the
job, so the corpus text itself never has to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

_DIRECTIVE = regex.compile(
    r"<!--\s*doclint:\s*(?P<action>disable-next-line|disable-file|disable|enable)"
    r"(?:\s*=\s*(?P<rules>[\w\-, ]+?))?\s*-->",
    regex.IGNORECASE,
)
ALL = "*"


@dataclass
class Suppressions:
    """Which (rule, line) pairs a document's directives switch off."""

    file_wide: set[str] = field(default_factory=set)
    next_line: dict[int, set[str]] = field(default_factory=dict)
    # (rule or ALL, first line off, last line off)
    ranges: list[tuple[str, int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.file_wide or self.next_line or self.ranges)

    def suppressed(self, code: str, name: str, start_line: int) -> bool:
        keys = {ALL, code.casefold(), name.casefold()}
        if keys & self.file_wide:
            return True
        if keys & self.next_line.get(start_line, set()):
            return True
        return any(rule in keys and lo <= start_line <= hi for rule, lo, hi in self.ranges)


def parse(lines: list[str]) -> Suppressions:
    out = Suppressions()
    open_since: dict[str, int] = {}
    for i, line in enumerate(lines):
        if "doclint" not in line:
            continue
        for m in _DIRECTIVE.finditer(line):
            n = i + 1
            action = m.group("action").lower()
            rules = [r.strip().casefold() for r in (m.group("rules") or "").split(",") if r.strip()] or [ALL]
            if action == "disable-file":
                out.file_wide.update(rules)
            elif action == "disable-next-line":
                out.next_line.setdefault(n + 1, set()).update(rules)
            elif action == "disable":
                for r in rules:
                    open_since.setdefault(r, n)
            else:
                for r in rules:
                    targets = list(open_since) if r == ALL else [r]
                    for t in targets:
                        if t in open_since:
                            out.ranges.append((t, open_since.pop(t), n))
    for r, since in open_since.items():
        out.ranges.append((r, since, len(lines)))
    return out
