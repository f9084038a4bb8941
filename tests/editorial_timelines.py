"""Timelines for the editorial tests: built with OpenTimelineIO, or written by hand as editors write them."""

from __future__ import annotations

from typing import Any

import opentimelineio as otio  # type: ignore[import-untyped]

RationalTime = otio.opentime.RationalTime
TimeRange = otio.opentime.TimeRange

FACILITY = "/mnt/projects/nightfall"
SKY_BASE = "file://" + FACILITY + "/deliverables/sh020/sky/"


def frames(value: float, rate: float = 24) -> Any:
    return RationalTime(value, rate)


def span(start: float, duration: float, rate: float = 24) -> Any:
    return TimeRange(RationalTime(start, rate), RationalTime(duration, rate))


def external_clip(name: str, url: str, source: Any, available: Any | None = None) -> Any:
    reference = otio.schema.ExternalReference(target_url=url, available_range=available or span(0, 1000))
    return otio.schema.Clip(name=name, media_reference=reference, source_range=source)


def sky_sequence(available: Any | None = None, **overrides: Any) -> Any:
    arguments = {
        "target_url_base": SKY_BASE,
        "name_prefix": "sh020_sky_v003.",
        "name_suffix": ".exr",
        "start_frame": 1001,
        "frame_zero_padding": 4,
        "rate": 24,
        "available_range": available if available is not None else span(0, 100),
    }
    arguments.update(overrides)
    return otio.schema.ImageSequenceReference(**arguments)


def locked_cut(global_start: Any | None = None) -> Any:
    """V1: plate (48 frames), a 24-frame gap, sky frames 1006-1015; A1: the mix. Starts at 01:00:00:00."""
    timeline = otio.schema.Timeline(name="nightfall_r1_lock", global_start_time=global_start or frames(86400))
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    audio = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    timeline.tracks.append(video)
    timeline.tracks.append(audio)
    plate_url = "file://" + FACILITY + "/shots/sh010/plate%20v001.mov"
    video.append(external_clip("sh010_plate", plate_url, span(10, 48)))
    video.append(otio.schema.Gap(source_range=span(0, 24)))
    video.append(otio.schema.Clip(name="sh020_sky", media_reference=sky_sequence(), source_range=span(5, 10)))
    audio.append(external_clip("temp_mix", "sound/temp_mix.wav", span(0, 30)))
    return timeline


def otio_json(timeline: Any) -> bytes:
    return str(otio.adapters.write_to_string(timeline, adapter_name="otio_json")).encode("utf-8")


def written_by_adapter(timeline: Any, adapter_name: str) -> bytes:
    return str(otio.adapters.write_to_string(timeline, adapter_name=adapter_name)).encode("utf-8")


# An Avid-style EDL: FROM CLIP NAME names the clip, SOURCE FILE or FROM CLIP the media.
EDL_25 = b"""TITLE: NIGHTFALL_R1_LOCK
FCM: NON-DROP FRAME

001  A001C003 V     C        01:02:03:04 01:02:05:04 01:00:00:00 01:00:02:00
* FROM CLIP NAME:  sh010_plate_v001
* SOURCE FILE: /mnt/projects/nightfall/shots/sh010/plate/sh010_plate_v001.mov

002  SKY      V     C        00:00:41:17 00:00:42:17 01:00:02:00 01:00:03:00
* FROM CLIP NAME:  sh020_sky
* FROM CLIP: /mnt/projects/nightfall/deliverables/sh020/sky/sh020_sky_v003.mov

003  AX       AA    C        00:00:00:00 00:00:01:00 01:00:03:10 01:00:04:10
* FROM CLIP NAME:  temp_mix
* FROM FILE: ../sound/temp_mix.wav
"""

EDL_23976 = b"""TITLE: NIGHTFALL_R2_LOCK
FCM: NON-DROP FRAME

001  A001C003 V     C        01:02:03:04 01:02:05:04 00:59:58:00 01:00:00:00
* FROM CLIP NAME:  sh010_plate_v001
* SOURCE FILE: /mnt/projects/nightfall/shots/sh010/plate/sh010_plate_v001.mov
002  SKY      V     C        00:00:00:00 00:00:00:20 01:00:00:00 01:00:00:20
* FROM CLIP NAME:  sh020_sky
* FROM CLIP: /mnt/projects/nightfall/deliverables/sh020/sky/sh020_sky_v003.[1001-1100].exr
"""

EDL_2997_DROP_FRAME = b"""TITLE: NIGHTFALL_PROMO
FCM: DROP FRAME

001  AX       V     C        00:00:00;00 00:00:01;00 01:00:00;00 01:00:01;00
* FROM CLIP NAME:  promo_sky
* FROM CLIP: promo/sky.mov
"""


def fcp_xml(pathurl: str, *, displayformat: str = "NDF", timebase: int = 24, ntsc: str = "FALSE",
            sequence_frame: int = 86400) -> bytes:
    """An FCP7 XML as Premiere and Resolve write it: DOCTYPE, a 01:00:00:00 sequence, one clip at frame 48."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xmeml>
<xmeml version="5">
  <sequence id="sequence-1">
    <name>nightfall_r1_lock</name>
    <duration>120</duration>
    <rate><timebase>{timebase}</timebase><ntsc>{ntsc}</ntsc></rate>
    <timecode>
      <rate><timebase>{timebase}</timebase><ntsc>{ntsc}</ntsc></rate>
      <frame>{sequence_frame}</frame>
      <displayformat>{displayformat}</displayformat>
    </timecode>
    <media>
      <video>
        <track>
          <clipitem id="clipitem-1">
            <name>sh020_sky</name>
            <duration>100</duration>
            <rate><timebase>{timebase}</timebase><ntsc>{ntsc}</ntsc></rate>
            <start>48</start>
            <end>72</end>
            <in>0</in>
            <out>24</out>
            <file id="file-1">
              <name>sh020_sky_v003</name>
              <pathurl>{pathurl}</pathurl>
              <rate><timebase>{timebase}</timebase><ntsc>{ntsc}</ntsc></rate>
              <duration>100</duration>
              <media><video/></media>
            </file>
          </clipitem>
        </track>
      </video>
    </media>
  </sequence>
</xmeml>
""".encode()


def billion_laughs(root: str = "xmeml") -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        '<!ENTITY lol{} "{}">'.format(level, f"&lol{level - 1};" * 10) for level in range(1, 10)
    ]
    return '<?xml version="1.0"?>\n<!DOCTYPE {root} [{entities}]>\n<{root}>&lol9;</{root}>'.format(
        root=root, entities="".join(entities)).encode("utf-8")


def external_entity(secret_path: str) -> bytes:
    """XXE: the entity would pull a local file into the clip's pathurl."""
    return (f"""<?xml version="1.0"?>
<!DOCTYPE xmeml [<!ENTITY secret SYSTEM "file://{secret_path}">]>
<xmeml version="5"><sequence><name>&secret;</name><media><video><track>
<clipitem><name>&secret;</name><start>0</start><end>1</end><in>0</in><out>1</out>
<file><pathurl>&secret;</pathurl></file></clipitem></track></video></media></sequence></xmeml>
""").encode()


def parameter_entity(secret_path: str) -> bytes:
    doctype = f'<!DOCTYPE xmeml [<!ENTITY % secret SYSTEM "file://{secret_path}"> %secret;]>'
    return f'<?xml version="1.0"?>\n{doctype}\n<xmeml version="5"/>'.encode()


RATE_24 = "<rate><timebase>24</timebase></rate>"


def _fcp_clip_item(name: str, start: int, end: int, source_in: int, body: str) -> str:
    out = source_in + end - start
    return (f"<clipitem><name>{name}</name>{RATE_24}<start>{start}</start><end>{end}</end>"
            f"<in>{source_in}</in><out>{out}</out>{body}</clipitem>")


def _fcp_file(file_id: str, pathurl: str) -> str:
    return (f'<file id="{file_id}"><name>{file_id}</name><pathurl>{pathurl}</pathurl>{RATE_24}'
            "<duration>1000</duration><media><video/></media></file>")


def _fcp_sequence(sequence_id: str, name: str, track: str, extra: str = "") -> str:
    return (f'<sequence id="{sequence_id}"><name>{name}</name>{RATE_24}{extra}'
            f"<media><video><track>{track}</track></video></media></sequence>")


def nested_sequence_bomb(levels: int = 24) -> bytes:
    """Each sequence holds two clips that both reference the sequence below it by id: 2**levels clips."""
    leaf = _fcp_clip_item("leaf", 0, 1, 0, _fcp_file("f", "file:///x.mov"))
    sequences = [_fcp_sequence("seq-0", "s0", leaf)]
    for level in range(1, levels + 1):
        clip = _fcp_clip_item("c", 0, 1, 0, f'<sequence id="seq-{level - 1}"/>')
        sequences.append(_fcp_sequence(f"seq-{level}", f"s{level}", clip + clip))
    children = "".join(sequences)
    project = f"<project><name>p</name><children>{children}</children></project>"
    return f'<xmeml version="5">{project}</xmeml>'.encode()


def fcp_xml_with_nested_sequence() -> bytes:
    """01:00:00:00: plate for 48 frames, then a nested sequence whose first 12 frames are trimmed.

    The nested sequence holds sky.mov from its frame 0, so sky's first visible frame is at 48.
    """
    sky_file = _fcp_file("file-2", "file://localhost/mnt/projects/nightfall/sky.mov")
    sky = _fcp_clip_item("sky", 0, 100, 0, sky_file)
    nested = _fcp_sequence("sequence-2", "sky_comp", sky)
    parent_track = (_fcp_clip_item("plate", 0, 48, 0, _fcp_file("file-1", "shots/plate.mov"))
                    + _fcp_clip_item("sky_comp", 48, 96, 12, nested))
    timecode = f"<timecode>{RATE_24}<frame>86400</frame><displayformat>NDF</displayformat></timecode>"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xmeml>\n<xmeml version="5">'
            + _fcp_sequence("sequence-1", "lock", parent_track, extra=timecode) + "</xmeml>").encode()


def reference_multiplication(fan_out: int = 200) -> bytes:
    """No nesting, no entities: `fan_out` references to a video of `fan_out` references to a track of
    `fan_out` references to a clip — about fan_out**3 clips for an adapter that follows ids."""
    clip = _fcp_clip_item("c", 0, 1, 0, _fcp_file("f", "file:///x.mov"))
    clip = clip.replace("<clipitem>", '<clipitem id="c">')
    track = '<track id="t">' + clip + '<clipitem id="c"/>' * fan_out + "</track>"
    video = '<video id="v">' + track + '<track id="t"/>' * fan_out + "</video>"
    media = "<media>" + video + '<video id="v"/>' * fan_out + "</media>"
    return f'<xmeml version="5"><sequence><name>s</name>{RATE_24}{media}</sequence></xmeml>'.encode()
