"""Command line: subcommands, exit codes, nothing else."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .early import (
    EarlyDiff,
    EarlyListing,
    IndexLookup,
    full_clone,
    start_early_diff,
    start_early_listing,
    start_index_lookup,
)
from .errors import UsageError
from .output import FORMATS
from .paths import remove_scratch
from .progress import progress, show_progress

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _jobs(text: str) -> int:
    """--jobs N: at least 1; more than the CPUs available only makes processes wait on each other, so it is clamped."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{text} processes cannot read anything; give 1 or more")
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return min(jobs, max(1, available))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="genai-hooks", allow_abbrev=False,
                     description="Keep generative-AI use in a production repository within the studio's rules.")
    parser.add_argument("--version", action="version", version=f"genai-hooks {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = commands.add_parser(
        "run", help="judge the index, a commit or a change", allow_abbrev=False,
        epilog="Everything after `--` is a path, whatever it is called (hooks pass file names so). "
               "`--` followed by no path judges the staged change, as `--diff HEAD` does.")
    run.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to judge (default: all)")
    run.add_argument("--rev", help="judge commit REV instead of the index")
    run.add_argument("--diff", metavar="BASE", help="judge what changed since the merge base of BASE")
    run.add_argument("--format", choices=FORMATS,
                     help="text (default), json, sarif, github, junit, codequality (GitLab), markdown")
    run.add_argument("--output", metavar="FILE", help="write the output to FILE instead of stdout")
    run.add_argument("--as-of", type=_date, metavar="DATE", help="judge approvals as of DATE (default: today)")
    run.add_argument("--no-metadata", action="store_true", help="do not sniff embedded provenance")
    run.add_argument("--no-cache", action="store_true",
                     help="neither read nor write the evidence cache (what was found in each blob, kept between runs)")
    run.add_argument("--jobs", type=_jobs, metavar="N",
                     help="read media in N processes (default: the CPUs available, at most 8; more than the CPUs "
                          "available counts as that many)")
    run.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory)")
    run.add_argument("--quiet", action="store_true", help="text format: print the findings only, no notes or summary")
    run.add_argument("--progress", action="store_true",
                     help="show progress on stderr even when it is not a terminal (it is shown on one by default)")
    run.add_argument("--approvers", metavar="FILE",
                     help="an OpenSSH allowed_signers file held outside the repository (by CI or the server): every "
                          "register approval must be signed by one of its principals; overrides [production] approvers")

    init = commands.add_parser("init", help="write a starter genai.toml")
    init.add_argument("directory", nargs="?", default=".", metavar="DIR")

    report = commands.add_parser(
        "report", help="write the disclosure report for the studio contact", allow_abbrev=False,
        description="The disclosure report: the production, its tools and their attestations, every generated "
                    "entry with its files, approvals and their state, and the open findings, from a full audit.")
    report.add_argument("--rev", help="describe commit REV (default: the index, what the next commit holds)")
    report.add_argument("--since", metavar="BASE",
                        help="also list the declarations withdrawn since the merge base of BASE (GAI205)")
    report.add_argument("--format", choices=("markdown", "html", "json"), default="markdown",
                        help="markdown (default; readable raw in an e-mail), html (prints to PDF), json")
    report.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    report.add_argument("--as-of", type=_date, metavar="DATE",
                        help="judge approvals and their expiry as of DATE (default: today)")
    report.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory)")
    report.add_argument("--approvers", metavar="FILE",
                        help="an allowed_signers file held outside the repository (overrides [production] approvers)")

    approve = commands.add_parser(
        "approve", help="pin the files an approval was given for (genai.lock), print its payload, or sign it",
        allow_abbrev=False,
        description="Record in genai.lock (beside the root manifest) the blob ids of the files approval ID of the "
                    "register was given for, as the index (or --rev) holds them; with --sign-with, sign the "
                    "approval's payload with an SSH key and write signed_by and signature into its register entry. "
                    "Only the named approval's lines change; nothing is staged.")
    approve.add_argument("approval", metavar="ID", help="the id of an [[approvals]] entry of the root manifest")
    approve.add_argument("paths", nargs="*", metavar="PATH",
                         help="files (or directories: the files below them) the approval was given for")
    approve.add_argument("--rev", help="take the files' blob ids from commit REV (default: the index)")
    approve.add_argument("--replace", action="store_true",
                         help="pin exactly PATH..., dropping the approval's other pins (default: add to them)")
    approve.add_argument("--payload", action="store_true",
                         help="print the exact bytes an approver signs (ssh-keygen -Y sign -n genai-hooks-approval)")
    approve.add_argument("--sign-with", metavar="KEY", help="sign the approval with this SSH private key")
    approve.add_argument("--principal", metavar="NAME",
                         help="who signs: a principal of the approvers file (default: git config user.email)")
    approve.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory)")

    acknowledge = commands.add_parser(
        "acknowledge", help="print [[acknowledged]] entries for the open findings a production may accept",
        description="A full audit; prints ready-to-paste [[acknowledged]] entries for the open findings of "
                    "GAI103-105, GAI301, GAI303, GAI305 and GAI401 (a first rollout's backlog), with `reason` and "
                    "`by` left for a person to fill in.")
    acknowledge.add_argument("--rev", help="audit commit REV (default: the index)")
    acknowledge.add_argument("--as-of", type=_date, metavar="DATE", help="the date the entries are written on")
    acknowledge.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory)")

    explain = commands.add_parser(
        "explain", help="explain a rule, list them all, or say why a file is judged as it is",
        description="With a rule's id (GAI201): what it checks, why, the guidance it serves, how to fix it. With a "
                    "path: the file's chain of manifests, the entry that declares it, its deliverable and archival "
                    "patterns, the approvals it cites (coverage, expiry, pins, signature), its evidence and the "
                    "findings a named check reports on it.")
    explain.add_argument("rule", nargs="?", metavar="ID|PATH", help="a rule id, or a file of the snapshot")
    explain.add_argument("--rev", help="with a PATH: explain it in commit REV (default: the index)")
    explain.add_argument("--as-of", type=_date, metavar="DATE", help="judge approvals as of DATE (default: today)")
    explain.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory)")
    explain.add_argument("--approvers", metavar="FILE", help="an allowed_signers file held outside the repository")

    commands.add_parser("schema", help="print the JSON Schema of genai.toml")
    return parser


def write_output(text: str, output: str | None) -> None:
    """Print, or write FILE atomically (a reader never sees half a report) with the umask's permissions."""
    # A path that is not UTF-8 arrives as surrogates: write them as \udcXX escapes, valid in JSON
    # strings and readable elsewhere, whatever the locale's encoding of stdout.
    if output is None:
        data = text.encode("utf-8", "backslashreplace")
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream (tests, embedding)
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            buffer.write(data)
            buffer.flush()
        return
    directory = os.path.dirname(os.path.abspath(output))
    temporary = None
    try:
        import tempfile  # not at the top: a pre-commit run writes to stdout and should start fast

        handle, temporary = tempfile.mkstemp(prefix=".genai-hooks-", dir=directory)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; a report is read by the whole team
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            stream.write(text)
        os.replace(temporary, output)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise UsageError(f"cannot write --output {output}: {error.strerror or error}") from None


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse; everything after the first `--` is a path of `run`, never an option (a file may be called `--help`)."""
    paths_after: list[str] | None = None
    if "--" in argv:
        cut = argv.index("--")
        argv, paths_after = argv[:cut], argv[cut + 1:]
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "approve" and not any(e.startswith("-") for e in extra):
        args.paths = [*args.paths, *extra]  # `approve ID --replace PATH`: paths after an option
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if paths_after is not None:
        if args.command != "run":
            parser.error("`--` (paths follow) belongs to `genai-hooks run`")
        args.paths = [*args.paths, *paths_after]
    args.end_of_options = paths_after is not None
    return args


def _silence_stdout() -> None:
    """The reader of stdout went away: later writes and the final flush go nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real stream (tests, embedding)
        pass


def _run(args: argparse.Namespace) -> int:
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    rev = args.rev or os.environ.get("PRE_COMMIT_TO_REF") or None
    diff = args.diff
    if args.end_of_options and not args.paths and diff is None:
        # a hook run with no file names (a commit that only deletes files): the staged change, never an audit
        diff = (os.environ.get("PRE_COMMIT_FROM_REF") or "HEAD") if rev else "HEAD"
    show_progress(args.progress or (sys.stderr.isatty() and not args.quiet))
    try:
        cwd = os.getcwd()
    except FileNotFoundError:
        raise UsageError("the current directory no longer exists; cd into the repository and run again") from None
    # git reads the index while the rest is imported: the named files, and the staged change
    lookup: IndexLookup | None = None
    early: EarlyDiff | None = None
    kinds: EarlyListing | None = None
    hook = rev is None and args.paths and diff is None  # the genai-hooks hook
    staged_hook = rev is None and diff is not None and not args.paths  # the genai-hooks-staged hook
    where = full_clone(args.repo or ".") if hook or staged_hook else None
    if where is not None:
        # the staged change names the staged files' contents, deleted manifests and moves, in one read of
        # the index; only before the first commit are the named files looked up in it instead
        early = start_early_diff(where, "HEAD" if hook else diff)
        lookup = start_index_lookup(where, args.paths, cwd) if hook and early is None else None
        kinds = start_early_listing(where)
    try:
        from .runner import run_check

        outcome = run_check(
            repo=args.repo or ".", paths=args.paths or None, rev=rev, diff=diff, as_of=args.as_of or
            datetime.date.today(), metadata=not args.no_metadata, early_lookup=lookup, early_diff=early,
            early_listing=kinds, cwd=cwd, approvers=args.approvers, version_control=fmt == "sarif",
            cache=not args.no_cache, jobs=args.jobs,
        )
    finally:
        for started in (lookup, early, kinds):
            if started is not None:
                started.discard()
    code = EXIT_FINDINGS if outcome.result.errors else EXIT_OK  # decided before any output can fail
    for path in outcome.result.notes:
        if path.message.startswith("not in the snapshot"):
            print(f"genai-hooks: {path.path}: not in the snapshot; skipped", file=sys.stderr)
    color = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    from .output import render

    progress().clear()
    try:
        write_output(render(outcome.result, fmt, color=color, quiet=args.quiet), args.output)
    except BrokenPipeError:  # `genai-hooks run | head`: the verdict still stands
        _silence_stdout()
    if fmt == "github":
        from .output.github import step_summary

        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as stream:
                    stream.write(step_summary(outcome.result))
            except OSError as error:
                raise UsageError(f"cannot append to GITHUB_STEP_SUMMARY {summary_file}: {error.strerror}") from None
    return code


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "run":
        return _run(args)
    if args.command == "acknowledge":
        from .acknowledged import entries_for
        from .runner import run_check

        as_of = args.as_of or datetime.date.today()
        outcome = run_check(repo=args.repo or ".", paths=None, rev=args.rev, diff=None, as_of=as_of, metadata=True)
        write_output(entries_for(list(outcome.result.findings), outcome.manifests, as_of), None)
        return EXIT_OK
    if args.command == "approve":
        from .writers.approve import Request, approve

        request = Request(args.approval, tuple(args.paths), args.rev, args.payload, args.sign_with, args.principal,
                          args.replace)
        write_output(approve(args.repo or ".", os.getcwd(), request), None)
        return EXIT_OK
    if args.command == "explain":
        from .explain import explain
        from .rules import RULES

        if args.rule is not None and args.rule.upper() not in RULES and \
                args.rule not in {r.name for r in RULES.values()}:
            from .explain_path import explain_path, looks_like_path

            if looks_like_path(args.rule):
                write_output(explain_path(args.rule, repo=args.repo or ".", rev=args.rev,
                                          as_of=args.as_of or datetime.date.today(), approvers=args.approvers), None)
                return EXIT_OK
        write_output(explain(args.rule), None)
        return EXIT_OK
    if args.command == "schema":
        from .schema import json_schema_text

        write_output(json_schema_text(), None)
        return EXIT_OK
    if args.command == "init":
        from .init import init

        write_output(init(args.directory), None)
        return EXIT_OK
    if args.command == "report":
        from .report import build_report

        write_output(build_report(repo=args.repo or ".", rev=args.rev, fmt=args.format,
                                  as_of=args.as_of or datetime.date.today(), since=args.since,
                                  approvers=args.approvers), args.output)
        return EXIT_OK
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parse_arguments(parser, list(sys.argv[1:] if argv is None else argv))
        return _dispatch(args, parser)
    except UsageError as error:
        print(f"genai-hooks: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # explain | head
        _silence_stdout()
        return EXIT_OK
    except Exception as error:  # no traceback reaches a user; GENAI_HOOKS_DEBUG shows it
        if os.environ.get("GENAI_HOOKS_DEBUG"):
            raise
        print(f"genai-hooks: internal error: {type(error).__name__}: {error} "
              "(set GENAI_HOOKS_DEBUG=1 for details and please report it)", file=sys.stderr)
        return EXIT_USAGE
    finally:
        remove_scratch()  # objects git wrote while reading (a sparse index's trees) are not the repository's


def entry() -> NoReturn:
    """The console script: `main`, then leave without tearing the interpreter down.

    Output is flushed and every file is closed by then; finalising some 300 imported modules
    would add 0.04-0.07 s to each pre-commit run for nothing.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, or a closed stream
        pass
    os._exit(code)


if __name__ == "__main__":
    entry()
