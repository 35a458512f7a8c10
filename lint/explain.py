"""Rule documentation rendered from the rule files, never written by hand elsewhere."""

from __future__ import annotations

import dataclasses
import textwrap

from lint.catalogue import Rule

_SECTIONS = (("what", "What it finds"), ("why", "Why it matters"), ("fix", "How to fix or suppress"),
             ("known_problems", "Known problems"))


def _params(rule: Rule) -> list[tuple[str, object]]:
    return [(f.name, getattr(rule.params, f.name)) for f in dataclasses.fields(rule.params)]


def rule_text(rule: Rule) -> str:
    """What `doclint explain` prints: ruff's documentation shape, in plain text."""
    out = [f"{rule.code} {rule.name}", "", rule.summary, "",
           f"category: {rule.category}    severity: {rule.severity}    status: {rule.status}    since: {rule.since}"]
    if rule.aliases:
        out.append(f"aliases: {', '.join(rule.aliases)}")
    for key, title in _SECTIONS:
        if rule.doc.get(key):
            out += ["", title, "-" * len(title), rule.doc[key]]
    if rule.examples:
        out += ["", "Examples", "--------"]
        for ex in rule.examples:
            verdict = "clean" if ex.expect == 0 else f"{ex.expect} finding{'s' if ex.expect != 1 else ''}"
            for name, text in ex.files.items():
                out.append(f"{name} ({verdict}):")
                out.append(textwrap.indent(text.rstrip("\n"), "    | ", lambda _: True))
    out += ["", "Parameters", "----------", f"check kind: {rule.kind}"]
    out += [f"  {name} = {value!r}" for name, value in _params(rule)]
    out += ["", f"Configure in [tool.doclint.rules.{rule.code}] or [rules.{rule.code}] of doclint.toml."]
    return "\n".join(out) + "\n"


def catalogue_markdown(rules: list[Rule]) -> str:
    """`doclint rules --format markdown`: the catalogue as one Markdown document."""
    out = ["# doclint rules", "", "| code | name | category | severity | status | summary |", "|---|---|---|---|---|---|"]
    for r in rules:
        out.append(f"| {r.code} | [{r.name}](#{r.code.lower()}-{r.name}) | {r.category} | {r.severity} | {r.status} | {r.summary} |")
    for r in rules:
        out += ["", f"## {r.code} {r.name}", "", r.summary, "",
                f"*{r.category}, {r.severity}, {r.status} since {r.since}; check kind `{r.kind}`*"]
        for key, title in _SECTIONS:
            if r.doc.get(key):
                out += ["", f"### {title}", "", r.doc[key]]
        if r.examples:
            out += ["", "### Examples"]
            for ex in r.examples:
                verdict = "clean" if ex.expect == 0 else f"{ex.expect} finding{'s' if ex.expect != 1 else ''}"
                for name, text in ex.files.items():
                    out += ["", f"`{name}` ({verdict}):", "", "```text", text.rstrip("\n"), "```"]
        out += ["", "### Parameters", ""]
        out += [f"- `{name}` = `{value!r}`" for name, value in _params(r)]
    return "\n".join(out) + "\n"
