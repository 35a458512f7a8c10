"""The command line: wiring only.  The exit code is decided here and nowhere else.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage, configuration or input errors (one line on stderr, never a traceback).
"""

from __future__ import annotations

import enum
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from lint import __version__
from lint.errors import DoclintError

# Before numpy is first imported (lazily, by the commands): doclint's only linear algebra
# is one small matrix-vector product, and OpenBLAS's threads, started with numpy, spin
# on another core after it loads, 0.1 s of CPU in a 0.25 s run on one file.  A value
# the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


class ExitStatus(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    ERROR = 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _format_choices() -> list[str]:
    from lint.reporters import FORMATS

    return sorted(FORMATS)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="doclint")
def cli() -> None:
    """doclint: find duplicates, truncation, boilerplate, formatting artefacts and
    structure problems in text corpora."""


def _selection_options(func):
    """Options shared by every command that lints: what runs, with which config."""
    options = [
        click.option("--select", multiple=True, help="Rules to run (codes, names, prefixes, categories); replaces the config's."),
        click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones."),
        click.option("--ignore", multiple=True, help="Rules not to run."),
        click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file."),
        click.option("--isolated", is_flag=True, help="Ignore every config file."),
        click.option("--preview", is_flag=True, default=None, help="Enable preview rules."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count)."),
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but the report; no notices, no progress."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
        click.option("--changed-since", metavar="REF",
                     help="Report only files changed since the git REF (still compared against the whole corpus)."),
        click.option("--focus", is_flag=True,
                     help="Report only PATHS, comparing them against the whole corpus (corpus-root, default the "
                          "git work tree); this is how the pre-commit hook runs."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _lint(paths, select, extend_select, ignore, config_path, isolated, preview, jobs, quiet, no_cache,
          changed_since, focus):
    """Resolve config and rules, decide corpus and focus, and run: the part check and baseline share."""
    from lint.api import prepare
    from lint.discover import discover, report_path
    from lint.engine import run

    prepared = prepare(
        config_path, isolated=isolated,
        select=_split(select) if select else None,
        extend_select=_split(extend_select), ignore=_split(ignore), preview=preview,
    )
    cfg = prepared.config
    focus_paths = None
    corpus = list(paths)
    if focus or changed_since:
        from lint import git

        root = cfg.corpus_root or git.toplevel() or Path.cwd()
        if changed_since:
            changed = git.changed_since(changed_since)
            focus_paths = {report_path(p) for p in changed if p.is_file()}
            corpus = corpus or [str(root)]
        else:
            focus_paths = {f.path for f in discover(corpus, cfg)} if corpus else set()
            corpus = [str(root), *corpus]
    files = discover(corpus, cfg)
    progress = None
    if not quiet and sys.stderr.isatty():
        from lint.progress import Progress

        progress = Progress(len(files), sum(_size(f.fs_path) for f in files))
    try:
        report = run(corpus, cfg, prepared.rules, jobs=jobs, use_cache=not no_cache, focus=focus_paths,
                     files=files, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    for notice in report.notices:
        if notice.is_error:
            click.echo(f"doclint: error: {notice.path}: {notice.message}", err=True)
        elif not quiet:
            click.echo(f"doclint: notice: {notice.path}: {notice.message}", err=True)
    return prepared, report


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(_format_choices()), default=None,
              help="Output format (default: github inside GitHub Actions, else text).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@_selection_options
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings that are not in this baseline file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default from config, else warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", help="Colour the text report.")
@click.option("--statistics/--no-statistics", default=True, help="Counts per rule after the text report.")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that delete content (boilerplate blocks); implies --fix.")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff instead of writing them.")
def check(paths, fmt, output, baseline_path, fail_on, exit_zero, color, statistics, fix, unsafe_fixes, diff,
          **lint_options) -> None:
    """Lint PATHS (files, folders or globs; default: the current folder)."""
    from lint.reporters import render_chunks

    prepared, report = _lint(paths, **lint_options)
    cfg = prepared.config
    if fix or unsafe_fixes or diff:
        from lint import fix as fixes_mod

        fixes = fixes_mod.fix_report(report, prepared.rules, cfg, unsafe=unsafe_fixes)
        if diff:
            for fx in fixes:
                click.echo(fixes_mod.unified_diff(fx.path, fx.before, fx.after), nl=False)
            if not lint_options["quiet"]:
                n = sum(fx.applied for fx in fixes)
                click.echo(f"doclint: {n} fix{'es' if n != 1 else ''} would change {len(fixes)} "
                           f"file{'s' if len(fixes) != 1 else ''}", err=True)
            sys.exit(ExitStatus.ERROR if report.has_errors else ExitStatus.FINDINGS if fixes else ExitStatus.CLEAN)
        fixes_mod.write_fixes(fixes)
        if not lint_options["quiet"]:
            n = sum(fx.applied for fx in fixes)
            click.echo(f"doclint: applied {n} fix{'es' if n != 1 else ''} to {len(fixes)} "
                       f"file{'s' if len(fixes) != 1 else ''}", err=True)
        if fixes:
            prepared, report = _lint(paths, **lint_options)
    baseline_path = baseline_path or cfg.baseline
    if baseline_path is not None:
        from lint import baseline

        report.findings, matched, stale = baseline.read(baseline_path).apply(report)
        if not lint_options["quiet"] and (matched or stale):
            click.echo(f"doclint: baseline: {matched} known finding{'s' if matched != 1 else ''} hidden; "
                       f"{len(stale)} baseline entr{'ies' if len(stale) != 1 else 'y'} no longer match", err=True)

    fmt = fmt or _default_format()
    use_colour = color == "always" or (color == "auto" and output is None and sys.stdout.isatty()
                                       and "NO_COLOR" not in os.environ)
    pieces = render_chunks(report, fmt, colour=use_colour, statistics=statistics)
    if output is not None:
        _write(output, pieces)
    else:
        for piece in pieces:
            click.echo(piece, nl=False)

    if report.has_errors:
        sys.exit(ExitStatus.ERROR)
    level = fail_on or cfg.fail_on
    if not exit_zero and report.count_at_or_above(level):
        sys.exit(ExitStatus.FINDINGS)
    sys.exit(ExitStatus.CLEAN)


@cli.command("baseline")
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(".doclint-baseline.json"), show_default=True, help="Where to write the baseline.")
@_selection_options
def baseline_cmd(paths, output, **lint_options) -> None:
    """Record the current findings of PATHS so that later runs report only new ones."""
    from lint import baseline

    _, report = _lint(paths, **lint_options)
    _write(output, baseline.render(report))
    if not lint_options["quiet"]:
        click.echo(f"doclint: wrote {len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} "
                   f"to {output}", err=True)
    sys.exit(ExitStatus.ERROR if report.has_errors else ExitStatus.CLEAN)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Include rules from this config's rule-dirs.")
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
def rules_cmd(fmt, config_path, isolated) -> None:
    """List the rule catalogue."""
    from lint.api import prepare
    from lint.explain import catalogue_markdown

    prepared = prepare(config_path, isolated=isolated)
    active = {r.code for r in prepared.rules}
    rules = list(prepared.catalogue)
    if fmt == "json":
        click.echo(json.dumps([{**r.to_dict(), "enabled": r.code in active} for r in rules], indent=2))
    elif fmt == "markdown":
        click.echo(catalogue_markdown(rules), nl=False)
    else:
        width = max((len(r.name) for r in rules), default=4)
        for r in rules:
            mark = "*" if r.code in active else " "
            click.echo(f"{mark} {r.code}  {r.name:<{width}}  {r.category:<11}  {r.severity:<7}  {r.status:<8}  {r.summary}")
        click.echo(f"\n{len(rules)} rules; * marks the {len(active)} that run with the current configuration.")


@cli.command()
@click.argument("rule")
@click.option("--config", "config_path", type=click.Path(path_type=Path))
@click.option("--isolated", is_flag=True)
def explain(rule, config_path, isolated) -> None:
    """Print the documentation of RULE (a code such as BPL001, or a name)."""
    from lint.api import prepare
    from lint.explain import rule_text

    prepared = prepare(config_path, isolated=isolated)
    found = prepared.catalogue.lookup(rule)
    if found is None:
        raise DoclintError(f"unknown rule '{rule}' (see `doclint rules`)")
    click.echo(rule_text(found), nl=False)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _write(path: Path, text: str | Iterable[str]) -> None:
    from lint.atomic import write_atomic

    write_atomic(path, text.encode("utf-8") if isinstance(text, str) else (t.encode("utf-8") for t in text))


def entry() -> None:
    """The `doclint` program: main(), then an exit that leaves the process's objects to
    the operating system instead of freeing them one by one at interpreter shutdown
    (as mypy's hard exit does).  That shutdown was a twentieth of a 10 MB check and of
    a pre-commit run's focused check.  Everything the run writes (the report, the
    cache, the snapshot) is closed by then; only the standard streams are flushed here."""
    try:
        main()
        code: object = ExitStatus.CLEAN
    except SystemExit as exc:
        code = exc.code
    _hard_exit(code)


def _hard_exit(code: object) -> None:
    """End the process with the status sys.exit(code) asks for, its output flushed."""
    if code is None:
        status = ExitStatus.CLEAN
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed as Python prints it, with an error's status
        print(code, file=sys.stderr)
        status = ExitStatus.ERROR
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away, or the stream was closed
            pass
    os._exit(int(status))


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="doclint", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("doclint: aborted", err=True)
        sys.exit(ExitStatus.ERROR)
    except click.ClickException as exc:
        click.echo(f"doclint: error: {exc.format_message()}", err=True)
        sys.exit(ExitStatus.ERROR)
    except DoclintError as exc:
        click.echo(f"doclint: error: {exc}", err=True)
        sys.exit(ExitStatus.ERROR)
    except KeyboardInterrupt:
        click.echo("doclint: interrupted", err=True)
        sys.exit(ExitStatus.ERROR)
    except BrokenPipeError:
        # The reader went away (`doclint check | head`); that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitStatus.CLEAN)
    except Exception as exc:  # a bug: still one line, with a way to get the traceback
        if os.environ.get("DOCLINT_DEBUG"):
            raise
        click.echo(f"doclint: internal error: {type(exc).__name__}: {exc} (set DOCLINT_DEBUG=1 for a traceback)", err=True)
        sys.exit(ExitStatus.ERROR)
