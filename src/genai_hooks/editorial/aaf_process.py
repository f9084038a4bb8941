"""AAF is read in a child process, bounded in memory and time, because pyaaf2 trusts the file.

The compound-file checks (compound_file.py) and the mob-reference checks (aaf.py) refuse the
hostile files we know of with a reason; pyaaf2 and the adapter still size lists, strings and
loops by counts and definitions the file gives (an index of four billion entries, a class that is
its own parent). The child limits its address space to MAX_AAF_MEMORY where the platform allows
(Linux, BSD) and is killed after MAX_AAF_SECONDS, so such a file costs at most that and is
unreadable. The bytes go in on stdin; the clips come back as one line of JSON on stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from genai_hooks.editorial.model import ClipReference, TimelineUnreadable, short_reason

MAX_AAF_MEMORY = 2 << 30  # address space of the reading process, interpreter and libraries included
MAX_AAF_SECONDS = 300.0  # a 5,000-clip, 37 MB turnover takes ~40 s on a 2-core machine

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the directory that holds genai_hooks


def read_in_child(data: bytes, rate: float) -> tuple[ClipReference, ...]:
    """The clips of the AAF `data`, read by `python -m genai_hooks.editorial.aaf_process`."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, (_PACKAGE_ROOT, environment.get("PYTHONPATH"))))
    command = [sys.executable, "-m", "genai_hooks.editorial.aaf_process", repr(float(rate)),
               str(MAX_AAF_MEMORY)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=MAX_AAF_SECONDS,
                              env=environment, check=False)
    except subprocess.TimeoutExpired:
        raise TimelineUnreadable(f"AAF not read within {MAX_AAF_SECONDS:g} s; not read") from None
    except OSError as error:
        raise TimelineUnreadable("the AAF reader could not start: " + short_reason(error)) from None
    lines = done.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1])
        if "unreadable" in answer:
            raise TimelineUnreadable(str(answer["unreadable"]))
        return tuple(ClipReference(str(clip), str(record_in), tuple(str(target) for target in targets),
                                   str(record_out))
                     for clip, record_in, targets, record_out in answer["clips"])
    except (IndexError, ValueError, KeyError, TypeError):
        ending = f"signal {-done.returncode}" if done.returncode < 0 else f"exit status {done.returncode}"
        raise TimelineUnreadable(f"the AAF reader stopped ({ending}) without an answer") from None


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: only the time limit holds
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # macOS does not enforce an address-space limit
        return


def _answer(rate: float, limit: int) -> dict[str, object]:
    data = sys.stdin.buffer.read()
    _limit_memory(limit)
    try:
        from genai_hooks.editorial.aaf import read_aaf_here, reason

        clips = read_aaf_here(data, rate)
    except TimelineUnreadable as error:
        return {"unreadable": str(error)}
    except RecursionError:
        return {"unreadable": "AAF nested too deeply to read"}
    except MemoryError:
        return {"unreadable": f"AAF that needs more than {limit >> 20:,} MiB to read; not read"}
    except Exception as error:  # noqa: BLE001 — anything pyaaf2 raises makes the file unreadable
        return {"unreadable": "not a readable AAF file: " + reason(error)}
    return {"clips": [[clip.clip, clip.record_in, list(clip.targets), clip.record_out] for clip in clips]}


def main(argv: list[str]) -> int:
    answer = _answer(float(argv[0]), int(argv[1]))
    sys.stdout.write("\n" + json.dumps(answer) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
