"""Errors a user can cause; cli.py turns them into a one-line message and exit code 2."""

from __future__ import annotations


class UsageError(Exception):
    """Bad arguments, not a repository, unknown revision, unwritable output: exit 2."""
