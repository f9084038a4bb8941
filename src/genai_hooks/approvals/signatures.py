"""Signed approvals (SPEC §14): the payload an approver signs, and OpenSSH's `ssh-keygen -Y` to sign and verify.

No signature code of our own: `ssh-keygen -Y verify` checks the signature, the principal's key in an
`allowed_signers` file, the namespace and the key's validity window, offline.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from ..errors import UsageError
from ..manifest import Approval
from .lock import Pins

NAMESPACE = "genai-hooks-approval"
SIGNERS_LIMIT = 1 << 20
_TIMEOUT = 30
_KEY_TYPE = re.compile(r"\A(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp(?:256|384|521)|sk-\S+)\Z")
_OPTION = re.compile(r'([A-Za-z-]+)(?:="([^"]*)")?(?:,|\Z)')
_SUPPORTED_OPTIONS = ("namespaces", "valid-after", "valid-before")
_TIMESTAMP = re.compile(r"\A\d{8}(?:\d{4}(?:\d{2})?)?Z?\Z")
_ARMOR = re.compile(r"\A-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]{1,65536}-----END SSH SIGNATURE-----\n?\Z")


def payload(approval: Approval, pins: Pins | None) -> bytes:
    """The exact bytes an approval's signature covers (`genai-hooks approve ID --payload` prints them)."""
    lines = [
        "genai-hooks approval v1",
        f"id={approval.id}",
        f"covers={','.join(sorted(approval.covers))}",
        f"granted_by={approval.granted_by}",
        f"date={approval.date.isoformat()}",
        f"expires={approval.expires.isoformat() if approval.expires else ''}",
        f"consent={approval.consent or ''}",
        f"pins={pins.digest if pins is not None else ''}",
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")


def signers_problem(data: bytes) -> str | None:
    """Why an allowed_signers file cannot be used as genai-hooks uses it (one line), or None.

    Certificate authorities and options other than namespaces, valid-after and valid-before are
    refused: an approver is a key, named, and nothing else may widen who can sign.
    """
    if len(data) > SIGNERS_LIMIT:
        return f"it is over {SIGNERS_LIMIT >> 20} MiB"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    keys = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        principals = re.match(r'"[^"]*"|\S+', line)
        assert principals is not None
        after = line[principals.end():].lstrip()
        token = re.match(r'(?:[^\s"]|"[^"]*")+', after)  # options may quote spaces: command="a b"
        rest = after.split(None, 1)
        if token is not None and not _KEY_TYPE.match(token.group(0)):
            options = token.group(0)
            rest = after[token.end():].split(None, 1)
            problem = _options_problem(options)
            if problem is not None:
                return f"line {number}: {problem}"
        if not rest or not _KEY_TYPE.match(rest[0]) or len(rest) < 2:
            return f"line {number}: expected `principals [options] key-type base64-key`"
        keys += 1
    return None if keys else "it names no approver key"


def _options_problem(options: str) -> str | None:
    position = 0
    while position < len(options):
        found = _OPTION.match(options, position)
        if found is None or found.end() == position:
            return f"cannot read the options {options!r}"
        name, value = found.group(1).lower(), found.group(2)
        if name == "cert-authority":
            return "cert-authority lines are not supported; list each approver's own key"
        if name not in _SUPPORTED_OPTIONS:
            return f"option {name!r} is not supported (only {', '.join(_SUPPORTED_OPTIONS)})"
        if value is None or (name != "namespaces" and not _TIMESTAMP.match(value)):
            return f"option {name!r} needs a quoted value" + ("" if name == "namespaces" else " (YYYYMMDD[HHMM[SS]][Z])")
        position = found.end()
    return None


def ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise UsageError("signed approvals need OpenSSH's ssh-keygen (8.2 or newer), which is not on PATH; "
                         "install openssh-client (apt-get install openssh-client) and run again")
    return found


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str  # why not, in the words of a finding ("" when ok)


def verify(signers: bytes, principal: str, signature: str, signed: bytes, as_of: datetime.date) -> Verdict:
    """Whether `signature` is `principal`'s over `signed`, by a key `signers` lists for them, valid on `as_of`."""
    if not _ARMOR.match(signature.replace("\r\n", "\n")):
        return Verdict(False, "its signature is not an armored SSH signature")
    program = ssh_keygen()
    with tempfile.TemporaryDirectory(prefix="genai-hooks-verify-") as scratch:
        allowed = os.path.join(scratch, "allowed_signers")
        armored = os.path.join(scratch, "signature")
        with open(allowed, "wb") as stream:
            stream.write(signers)
        with open(armored, "w", encoding="utf-8") as stream:
            stream.write(signature.replace("\r\n", "\n").rstrip("\n") + "\n")
        try:
            done = subprocess.run(
                [program, "-Y", "verify", "-f", allowed, "-I", principal, "-n", NAMESPACE, "-s", armored,
                 "-O", f"verify-time={as_of.strftime('%Y%m%d')}"],
                input=signed, capture_output=True, timeout=_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise UsageError(f"ssh-keygen could not verify an approval's signature: {error}") from None
    if done.returncode == 0:
        return Verdict(True, "")
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
    detail = said[-1] if said else "ssh-keygen refused it"
    return Verdict(False, f"its signature does not verify for '{principal}' on {as_of.isoformat()} ({detail})")


def sign(key: str, signed: bytes) -> str:
    """An armored signature by the private `key` over `signed`, in the approvals' namespace."""
    if not os.path.isfile(key):
        raise UsageError(f"--sign-with {key}: no such key file")
    try:
        done = subprocess.run([ssh_keygen(), "-Y", "sign", "-q", "-f", key, "-n", NAMESPACE], input=signed,
                              capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UsageError(f"ssh-keygen could not sign: {error}") from None
    signature = done.stdout.decode("ascii", "replace")
    if done.returncode != 0 or "BEGIN SSH SIGNATURE" not in signature:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"ssh-keygen could not sign with {key}: {said[-1] if said else 'no signature made'}")
    return signature.strip() + "\n"
