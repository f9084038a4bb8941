"""Compositing scripts read for lineage, through the evidence cache (SPEC §17).

What `comps.read_script` finds in a script is a function of its bytes and its format (told by its suffix), so it is
kept in the evidence cache by blob id (a script in Git LFS: its pointer's blob, which names the object), beside what
the media readers found, under the script readers' own version. A warm run neither reads nor parses a script it has
seen; a script that could not be read from this snapshot (its LFS object absent) is never kept, as the next run may
read it. A record that does not read back whole is a miss: the script is read again.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Union

from . import comps
from .comps import CompScript, ScriptFormat, ScriptPath, ScriptUnreadable
from .content import ContentReader, Unavailable

if TYPE_CHECKING:
    from .evidence_cache import Key

Outcome = Union[CompScript, str, None]  # what a script holds; why it could not be read; None: no compositing script


def read_scripts(content: ContentReader, paths: list[str]) -> dict[str, Outcome]:
    """What each compositing script of the snapshot at `paths` holds, from the evidence cache or its content."""
    cache = content.evidence_cache()
    keys: dict[str, Key] = {}
    version = ""
    if cache is not None:
        from .evidence_cache import reader_version  # here: a run keeping no cache never imports SQLite

        keys = {p: (i, "script" + _suffix(p)) for p, i in content.snapshot.object_ids(paths).items() if i is not None}
        version = reader_version("comps")
    known: dict[Key, Outcome] = {}
    if cache is not None and keys:
        for cached, record in cache.lookup_records(keys.values(), version).items():
            try:
                known[cached] = decode(record)
            except (ValueError, TypeError, KeyError):
                continue  # damaged or foreign: read the script again
    todo = [p for p in paths if keys.get(p) not in known]
    texts = content.read_resolved(todo, comps.MAX_SCRIPT_BYTES) if todo else {}  # a script in Git LFS is read too
    out: dict[str, Outcome] = {}
    fresh: dict[Key, str] = {}
    for path in paths:
        key = keys.get(path)
        if key is not None and key in known:
            out[path] = known[key]
            continue
        data = texts.get(path)
        if data is None or isinstance(data, Unavailable):
            out[path] = data.reason if data is not None else "not readable from the snapshot"
            continue
        try:
            outcome: Outcome = comps.read_script(path, data)
        except ScriptUnreadable as error:
            outcome = str(error)
        out[path] = outcome
        if key is not None:
            fresh[key] = encode(outcome)
    if cache is not None and fresh:
        cache.store_records(fresh, version)
    return out


def _suffix(path: str) -> str:
    return next((s for s in comps.COMP_SUFFIXES if path.lower().endswith(s)), "")


def encode(outcome: Outcome) -> str:
    if outcome is None:
        return '{"none":true}'
    if isinstance(outcome, str):
        return json.dumps({"unreadable": outcome})
    return json.dumps({"format": outcome.format.value, "reads": [_path(p) for p in outcome.reads],
                       "writes": [_path(p) for p in outcome.writes], "scripts": [_path(p) for p in outcome.scripts],
                       "notes": list(outcome.notes), "complete": outcome.complete}, separators=(",", ":"))


def decode(record: str) -> Outcome:
    """A record as `encode` wrote it; raises ValueError, TypeError or KeyError on anything else."""
    value = json.loads(record)
    if not isinstance(value, dict):
        raise TypeError("not a script record")
    if value.get("none") is True:
        return None
    if "unreadable" in value:
        return _text(value["unreadable"])
    notes = value["notes"]
    if not isinstance(notes, list) or not isinstance(value["complete"], bool):
        raise TypeError("not a script record")
    reads, writes, pulls = (tuple(_reference(r) for r in value[part]) for part in ("reads", "writes", "scripts"))
    return CompScript(ScriptFormat(value["format"]), reads, writes, pulls, tuple(_text(n) for n in notes),
                      value["complete"])


def _path(reference: ScriptPath) -> list[object]:
    return [reference.path, reference.node, reference.knob, reference.line, reference.resolved, reference.disabled,
            reference.sequence, reference.written]


def _reference(item: object) -> ScriptPath:
    if not isinstance(item, list) or len(item) != 8:
        raise TypeError("not a script path")
    path, node, knob, line, resolved, disabled, sequence, written = item
    if not (isinstance(line, int) or line is None) or not all(isinstance(f, bool) for f in (resolved, disabled,
                                                                                          sequence)):
        raise TypeError("not a script path")
    return ScriptPath(_text(path), _text(node), _text(knob), line, resolved, disabled, sequence, _text(written))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value
