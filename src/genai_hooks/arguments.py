"""The command line's grammar: every subcommand, its options and their help; `--` ends the options."""

from __future__ import annotations

import argparse
import datetime
import os
from typing import NoReturn

from . import __version__
from .errors import UsageError
from .output import FORMATS


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


def _format_and_file(text: str) -> tuple[str, str]:
    fmt, equals, output = text.partition("=")
    if not equals or not output:
        raise argparse.ArgumentTypeError(f"{text!r} is not FORMAT=FILE (e.g. sarif=results.sarif)")
    if fmt not in FORMATS:
        raise argparse.ArgumentTypeError(f"{fmt!r} is not a format; choose one of: {', '.join(FORMATS)}")
    return fmt, output


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="genai-hooks", allow_abbrev=False,
                     description="Keep generative-AI use in a production repository within the studio's rules.")
    parser.add_argument("--version", action="version", version=f"genai-hooks {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = commands.add_parser(
        "run", help="judge the index, a commit or a change", allow_abbrev=False,
        description="Judge the files of a snapshot (the index by default, a commit with --rev) against the "
                    "genai.toml manifests: all of them, the PATHs given, or what changed since --diff BASE. "
                    "Exit 0: no error; 1: at least one error finding; 2: a usage or environment error.",
        epilog="Everything after `--` is a path, whatever it is called (hooks pass file names so). "
               "`--` followed by no path judges the staged change, as `--diff HEAD` does.")
    run.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to judge (default: all)")
    run.add_argument("--rev", help="judge commit REV instead of the index")
    run.add_argument("--diff", metavar="BASE", help="judge what changed since the merge base of BASE")
    run.add_argument("--format", choices=FORMATS,
                     help="text (default), json, sarif, github, junit, codequality (GitLab), markdown")
    run.add_argument("--output", metavar="FILE", help="write the output to FILE instead of stdout")
    run.add_argument("--output-format", action="append", default=[], type=_format_and_file, metavar="FORMAT=FILE",
                     help="also write FORMAT to FILE from the same run (repeatable), e.g. sarif=results.sarif")
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

    init = commands.add_parser(
        "init", help="write a starter genai.toml", allow_abbrev=False,
        description="Write a commented starter genai.toml, valid as written, into DIR (never over an existing "
                    "one; deliverable folders that exist are guessed), and print the .pre-commit-config.yaml "
                    "snippet that runs the checks.")
    init.add_argument("directory", nargs="?", default=".", metavar="DIR",
                      help="where to write genai.toml (default: the current directory)")

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

    _add_pre_receive(commands)

    explain = commands.add_parser(
        "explain", help="explain a rule, list them all, or say why a file is judged as it is",
        allow_abbrev=False,
        description="With a rule's id (GAI201) or name (deliverable-without-approval): what it checks, why, the "
                    "guidance it serves, how to fix it. With a path: the file's chain of manifests, the entry that declares it, its deliverable and archival "
                    "patterns, the approvals it cites (coverage, expiry, pins, signature), its evidence and the "
                    "findings a named check reports on it.")
    explain.add_argument("rule", nargs="?", metavar="ID|PATH",
                         help="a rule's id (GAI201) or name (deliverable-without-approval), as findings print them, "
                              "or a file of the snapshot; omit it to list every rule")
    explain.add_argument("--rev", help="with a PATH: explain it in commit REV (default: the index)")
    explain.add_argument("--as-of", type=_date, metavar="DATE", help="judge approvals as of DATE (default: today)")
    explain.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory)")
    explain.add_argument("--approvers", metavar="FILE", help="an allowed_signers file held outside the repository")

    inspect = commands.add_parser(
        "inspect", help="show every provenance, model and timeline signal the readers find in files",
        allow_abbrev=False,
        description="For each media, model or timeline file (declared or not, in the snapshot or only on disk), "
                    "every signal the readers of `run` find: reader, field, value and strength, as `c2patool FILE` "
                    "shows a manifest. Exit 0 when every path was read, 2 when one was not (the others are "
                    "still shown).")
    inspect.add_argument("paths", nargs="*", metavar="PATH",
                         help="files to inspect, relative to the current directory; read from the snapshot when "
                              "there, else from disk")
    inspect.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    inspect.add_argument("--rev", help="read the files of commit REV instead of the index")
    inspect.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory's)")

    declare = commands.add_parser(
        "declare", help="append the [[generated]] entry that declares files to their genai.toml",
        allow_abbrev=False,
        description="Append one [[generated]] entry declaring the PATHs (a frame sequence as one #### pattern) to "
                    "the genai.toml governing them, every other byte of it unchanged, written atomically. Nothing "
                    "is staged: review the change and commit it. An unknown tool or approval id is exit 2.",
        epilog="Everything after `--` is a path, whatever it is called.")
    declare.add_argument("paths", nargs="*", metavar="PATH",
                         help="generated files (or directories) to declare, relative to the current directory; in "
                              "the index or the working tree")
    declare.add_argument("--tool", required=True, metavar="ID", help="the tool that made them, declared in "
                         "[tools.ID] of this manifest or one above")
    declare.add_argument("--approval", metavar="ID", help="the written approval for this use, in the root's "
                         "[[approvals]] register (needed in deliverable and archival paths)")
    declare.add_argument("--purpose", metavar="TEXT", help="what the generated material is for")
    declare.add_argument("--manifest", metavar="FILE", help="the genai.toml to write (default: the nearest above "
                         "the paths); it must govern them all")
    declare.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory's)")

    commands.add_parser(
        "schema", help="print the JSON Schema of genai.toml", allow_abbrev=False,
        description="Print the JSON Schema (draft 2020-12) of genai.toml, for editors' completion and "
                    "validation (Taplo, Even Better TOML).")
    return parser


def _add_pre_receive(commands: argparse._SubParsersAction[_Parser]) -> None:
    hook = commands.add_parser(
        "pre-receive", help="a Git server's pre-receive hook: reject pushes with error findings", allow_abbrev=False,
        description="Reads the `OLD NEW REF` lines git writes to a pre-receive hook and judges each updated ref: its "
                    "new commit (tags peeled) against the old one, a new ref against its merge base with the default "
                    "branch, or every file when there is none. Any error finding, or anything that stops the push "
                    "from being judged, rejects the whole push. Run it in the bare repository (docs/server.md).")
    hook.add_argument("--lfs-store", metavar="DIR",
                      help="where the server keeps Git LFS objects (OID[0:2]/OID[2:4]/OID, or OID[4:] as GitLab and "
                           "Gitea name them; default: the repository's lfs/objects)")
    hook.add_argument("--approvers", metavar="FILE",
                      help="an allowed_signers file of the studio's approvers, kept on the server: signed approvals "
                           "are verified against it instead of the repository's own [production] approvers")
    hook.add_argument("--format", choices=FORMATS, help="text (default), json, or one document per ref")
    hook.add_argument("--allow-breakglass", action="store_true",
                      help="accept a push made with `git push -o genai-hooks.breakglass=REASON` despite error "
                           "findings, on the record (needs --breakglass-log and receive.advertisePushOptions)")
    hook.add_argument("--breakglass-log", metavar="FILE",
                      help="append one JSON line per overridden ref to FILE (a log that cannot be written rejects)")
    hook.add_argument("--budget", type=float, metavar="SECONDS",
                      help="reject a push that cannot be judged within SECONDS (GitHub Enterprise Server: 5 s for "
                           "all hooks of a push)")
    hook.add_argument("--repo", metavar="DIR", help="the repository (default: the current directory, as git runs hooks)")


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
        if args.command not in ("run", "inspect", "declare"):
            parser.error("`--` (paths follow) belongs to `genai-hooks run`, `inspect` and `declare`")
        args.paths = [*args.paths, *paths_after]
    args.end_of_options = paths_after is not None
    return args
