"""What reading a timeline yields: clip references, or the reason it could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field

# Compared case-insensitively. `.otiod` and `.fcpxmld` bundles are directories: their
# `content.otio` and `Info.fcpxml` carry the suffixes read here.
TIMELINE_SUFFIXES = (".otio", ".edl", ".xml", ".aaf", ".fcpxml", ".otioz")

# Bounds that keep a hostile or absurd timeline from exhausting time or memory.
MAX_TIMELINE_BYTES = 64 * 1024 * 1024  # a timeline file; for `.otioz`, its `content.otio`
MAX_SEQUENCE_FRAMES = 100_000  # frame paths listed for one image-sequence reference
MAX_TIMELINE_TARGETS = 1_000_000  # targets of all clips of one timeline file
_REASON_CHARACTERS = 160


class TimelineUnreadable(Exception):
    """A timeline (or a file that claims to be one) that cannot be read safely; str() is the reason."""


@dataclass(frozen=True)
class ClipReference:
    """One clip of a timeline and the media it references, as the timeline writes them."""

    clip: str  # the clip's name
    record_in: str  # timecode of the clip's first frame on the timeline, "HH:MM:SS:FF" (";FF" drop-frame)
    targets: tuple[str, ...]  # URLs or paths as written; one per frame used for an image sequence
    # timecode just past the clip's last frame, as an EDL writes it ("" when unknown); where a clip ends does not
    # tell two clips apart (an EDL "AA" event is one clip), so it is not compared
    record_out: str = field(default="", compare=False)


def short_reason(error: BaseException) -> str:
    """One line of an exception's message, short enough for a finding."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= _REASON_CHARACTERS else text[:_REASON_CHARACTERS - 1] + "…"
