"""Command line: subcommands, exit codes, nothing else."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .arguments import build_parser, parse_arguments
from .errors import UsageError
from .paths import remove_scratch
from .progress import progress, show_progress
from .scope import Scope, head_start

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
    outputs = [os.path.abspath(output) for output in (args.output, *(o for _, o in args.output_format)) if output]
    if len(set(outputs)) < len(outputs):
        raise UsageError("one FILE is named twice among --output and --output-format; give each output its own")
    show_progress(args.progress or (sys.stderr.isatty() and not args.quiet))
    try:
        cwd = os.getcwd()
    except FileNotFoundError:
        raise UsageError("the current directory no longer exists; cd into the repository and run again") from None
    scope = Scope(paths=args.paths or None, rev=rev, diff=diff, cwd=cwd)
    started = head_start(scope, args.repo or ".")  # git reads the index while the rest is imported
    try:
        from .runner import run_check

        outcome = run_check(scope, repo=args.repo or ".", as_of=args.as_of or datetime.date.today(),
                            metadata=not args.no_metadata, started=started, approvers=args.approvers,
                            version_control=fmt == "sarif", cache=not args.no_cache, jobs=args.jobs)
    finally:
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
    for further, output in args.output_format:  # the same result in more formats: one run, one verdict
        write_output(render(outcome.result, further, quiet=args.quiet), output)
    if "github" in (fmt, *(further for further, _ in args.output_format)):
        from .output.github import step_summary

        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as stream:
                    stream.write(step_summary(outcome.result))
            except OSError as error:
                raise UsageError(f"cannot append to GITHUB_STEP_SUMMARY {summary_file}: {error.strerror}") from None
    return code


def _inspect(args: argparse.Namespace) -> int:
    from .inspection import inspect_paths
    from .output.signals import render_json, render_text

    found = inspect_paths(args.paths, repo=args.repo, rev=args.rev, cwd=os.getcwd())
    write_output(render_json(found) if args.format == "json" else render_text(found), None)
    for item in found:
        if not item.read:
            print(f"genai-hooks: {item.path}: {item.error}", file=sys.stderr)
    return EXIT_OK if all(item.read for item in found) else EXIT_USAGE


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "run":
        return _run(args)
    if args.command == "acknowledge":
        from .acknowledged import entries_for
        from .runner import run_check

        as_of = args.as_of or datetime.date.today()
        outcome = run_check(Scope(rev=args.rev), repo=args.repo or ".", as_of=as_of, metadata=True)
        write_output(entries_for(list(outcome.result.findings), outcome.manifests, as_of), None)
        return EXIT_OK
    if args.command in ("inspect", "declare") and not args.paths:
        parser.error(f"`{args.command}` needs at least one PATH")
    if args.command == "inspect":
        return _inspect(args)
    if args.command == "declare":
        from .writers.declare import declare

        done = declare(args.paths, tool=args.tool, approval=args.approval, purpose=args.purpose,
                       manifest=args.manifest, repo=args.repo, cwd=os.getcwd())
        if not done.written:
            write_output(f"already declared in {done.manifest}:{done.line}, by an entry with this tool, approval and "
                         "purpose; nothing written\n", None)
            return EXIT_OK
        write_output(f"declared in {done.manifest}:{done.line}:\n{done.entry}"
                     + (f"note: {done.manifest} also holds edits that are not staged; `git add` stages them too\n"
                        if done.unstaged else "")
                     + f"nothing is staged: review it, then `git add {done.manifest}`\n", None)
        return EXIT_OK
    if args.command == "approve":
        from .writers.approve import Request, approve

        request = Request(args.approval, tuple(args.paths), args.rev, args.payload, args.sign_with, args.principal,
                          args.replace)
        write_output(approve(args.repo or ".", os.getcwd(), request), None)
        return EXIT_OK
    if args.command == "pre-receive":
        from .server.hook import pre_receive

        text, code = pre_receive(args)
        try:
            write_output(text, None)
        except BrokenPipeError:  # the pusher hung up: the verdict stands
            _silence_stdout()
        return code
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
        if args.command in ("report", "acknowledge", "approve", "explain", "inspect", "declare", "pre-receive"):
            try:  # before their imports: some modules (multiprocessing's) fail oddly in a deleted directory
                os.getcwd()
            except FileNotFoundError:
                raise UsageError("the current directory no longer exists; cd into the repository and run again") \
                    from None
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
