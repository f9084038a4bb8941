"""`genai-hooks pre-receive`: stdin and options in, the verdict out, exit 0 to accept the push."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time

from ..errors import UsageError
from .gate import GateOptions, gate
from .render import render_push


def pre_receive(args: argparse.Namespace) -> tuple[str, int]:
    """The verdict on the push git describes on stdin, rendered, and the exit code (0 accepts the push).

    Any exception reaching cli.main is exit 2 with one line: that rejects the push too."""
    started = time.monotonic()
    if args.budget is not None and not 0 <= args.budget < float("inf"):  # nan fails both comparisons
        raise UsageError(f"--budget {args.budget:g}: a budget is a finite number of seconds, 0 or more")
    if args.approvers is not None:  # checked once, before any ref: an unusable file rejects every push
        from ..runner import read_approvers

        read_approvers(args.approvers)
    options = GateOptions(repo=args.repo or ".", fmt=args.format or "text", lfs_store=args.lfs_store,
                          approvers=args.approvers, allow_breakglass=args.allow_breakglass,
                          breakglass_log=args.breakglass_log, budget=args.budget,
                          as_of=datetime.date.today())
    stdin = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    verdict = gate(options, stdin, os.environ, started)
    return render_push(verdict, options.fmt), verdict.code
