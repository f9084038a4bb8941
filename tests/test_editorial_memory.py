"""A 100,000-clip timeline is read in at most 500 MB for the whole process (SPEC §9, "Bounded")."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import opentimelineio as otio  # type: ignore[import-untyped]
import pytest

import genai_hooks
from genai_hooks.editorial import MAX_TIMELINE_BYTES

CLIPS = 100_000
PEAK_LIMIT_MB = 500

# Runs in a child of the driver, so that the driver's RUSAGE_CHILDREN is this process alone.
READER = textwrap.dedent("""
    import sys
    from genai_hooks.editorial import read_timeline
    with open(sys.argv[1], "rb") as timeline:
        data = timeline.read()
    clips = read_timeline("editorial/locked/reel.otio", data)
    print(len(clips), clips[0].record_in, clips[-1].record_in, clips[-1].targets[0])
""")

DRIVER = textwrap.dedent("""
    import resource, subprocess, sys
    done = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True, text=True)
    print(done.stdout.strip() or done.stderr.strip().splitlines()[-1])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(peak // (1024 * 1024) if sys.platform == "darwin" else peak // 1024)  # bytes on macOS, KiB elsewhere
""")


def reel(clip_count: int) -> bytes:
    """One track of `clip_count` half-second clips from 01:00:00:00, each with an ExternalReference, as OTIO writes it."""
    timeline = otio.schema.Timeline(name="reel", global_start_time=otio.opentime.RationalTime(86400, 24))
    track = otio.schema.Track(name="V1")
    timeline.tracks.append(track)
    half_second = otio.opentime.TimeRange(otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(12, 24))
    for index in range(clip_count):
        reference = otio.schema.ExternalReference(
            target_url=f"file:///mnt/projects/nightfall/shots/sh{index:06d}/plate_v001.mov")
        track.append(otio.schema.Clip(name=f"sh{index:06d}", media_reference=reference, source_range=half_second))
    return str(otio.adapters.write_to_string(timeline, "otio_json", indent=-1)).encode()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX")
def test_100000_clip_timeline_is_read_in_at_most_500_mb(tmp_path: Path) -> None:
    path = tmp_path / "reel.otio"
    path.write_bytes(reel(CLIPS))
    assert path.stat().st_size <= MAX_TIMELINE_BYTES
    source_root = str(Path(genai_hooks.__file__).resolve().parents[1])
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (source_root,
                                                                             os.environ.get("PYTHONPATH"))))}

    done = subprocess.run([sys.executable, "-c", DRIVER, READER, str(path)], capture_output=True, text=True,
                          env=environment, check=True)

    answer, peak_mb = done.stdout.strip().splitlines()
    assert answer == (f"{CLIPS} 01:00:00:00 14:53:19:12 "  # 99,999 half seconds after the first
                      f"file:///mnt/projects/nightfall/shots/sh{CLIPS - 1:06d}/plate_v001.mov")
    assert int(peak_mb) <= PEAK_LIMIT_MB, f"peak RSS {peak_mb} MB"
