"""AAF, FCPXML and OpenTimelineIO bundles for the editorial tests, written as the tools write them.

AAF: pyaaf2 writes the mob structure Media Composer turns over — a top-level composition mob
whose timeline slots hold sequences of source clips, each referencing a master mob, whose slot
references a file source mob with a NetworkLocator, which references a tape source mob.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aaf2  # type: ignore[import-untyped]

EDIT_RATE = 24


@dataclass(frozen=True)
class Shot:
    """A clip on the cut: its master mob's name, the file locators, and where the clip's source starts."""

    name: str
    locators: Sequence[str]
    start: int
    length: int
    kind: str = "picture"
    unc_path: str | None = None  # a master mob's "UNC Path" comment, as some Avid setups write one


LOCKED_CUT_V1 = (
    Shot("sh010_plate", ["file:///mnt/projects/nightfall/shots/sh010/plate%20v001.mxf"], start=10, length=48),
    None,  # a 24-frame filler
    Shot("sh020_sky", ["file:///mnt/projects/nightfall/deliverables/sh020/sky_v003.mxf"], start=5, length=10),
)
LOCKED_CUT_A1 = (Shot("temp_mix", ["file:///mnt/projects/nightfall/sound/temp_mix.wav"], start=0, length=30,
                      kind="sound"),)


def _descriptor(f: Any, shot: Shot) -> Any:
    if shot.kind == "picture":
        descriptor = f.create.CDCIDescriptor()
        descriptor["ComponentWidth"].value = 8
        descriptor["HorizontalSubsampling"].value = 2
        descriptor["FrameLayout"].value = "FullFrame"
        descriptor["VideoLineMap"].value = [0, 0]
        descriptor["ImageAspectRatio"].value = "16/9"
        descriptor["StoredWidth"].value = 1920
        descriptor["StoredHeight"].value = 1080
        descriptor["SampleRate"].value = EDIT_RATE
    else:
        descriptor = f.create.PCMDescriptor()
        descriptor["AudioSamplingRate"].value = 48000
        descriptor["Channels"].value = 1
        descriptor["QuantizationBits"].value = 24
        descriptor["BlockAlign"].value = 3
        descriptor["AverageBPS"].value = 144000
        descriptor["SampleRate"].value = 48000
    descriptor["Length"].value = 1000
    locators = []
    for url in shot.locators:
        locator = f.create.NetworkLocator()
        locator["URLString"].value = url
        locators.append(locator)
    descriptor["Locator"].value = locators
    return descriptor


def _master_mob(f: Any, shot: Shot, masters: dict[str, Any]) -> Any:
    """Master mob → file source mob (with its locators) → tape source mob, as Media Composer links media."""
    if shot.name in masters:
        return masters[shot.name]
    tape = f.create.SourceMob()
    tape.create_tape_slots(shot.name + "_TAPE", EDIT_RATE, EDIT_RATE, media_kind=shot.kind)
    f.content.mobs.append(tape)
    source = f.create.SourceMob(shot.name + ".mxf")
    source.descriptor = _descriptor(f, shot)
    slot = source.create_empty_slot(EDIT_RATE, media_kind=shot.kind, slot_id=1)
    slot.segment.length = 1000
    slot.segment.mob = tape
    slot.segment.slot = tape.slot_at(1)
    f.content.mobs.append(source)
    master = f.create.MasterMob(shot.name)
    if shot.unc_path:
        master.comments["UNC Path"] = shot.unc_path
    master_slot = master.create_empty_sequence_slot(EDIT_RATE, media_kind=shot.kind)
    master_slot.segment.components.append(source.create_source_clip(slot_id=1, length=1000))
    f.content.mobs.append(master)
    masters[shot.name] = master
    return master


def media_composer_aaf(path: Path, *, video: Sequence[Shot | None] = LOCKED_CUT_V1,
                       audio: Sequence[Shot | None] = LOCKED_CUT_A1, start_frame: int = 86400) -> bytes:
    """A top-level composition starting at `start_frame` (01:00:00:00), one video and one audio track.

    None in a track is a 24-frame filler. pyaaf2 writes files only, so the bytes are read back.
    """
    with aaf2.open(str(path), "w") as f:
        composition = f.create.CompositionMob("nightfall_r1_lock")
        composition.usage = "Usage_TopLevel"
        f.content.mobs.append(composition)
        timecode = composition.create_timeline_slot(EDIT_RATE)
        timecode.segment = f.create.Timecode(EDIT_RATE, length=10_000)
        timecode.segment.start = start_frame
        timecode["PhysicalTrackNumber"].value = 1
        masters: dict[str, Any] = {}
        for kind, shots in (("picture", video), ("sound", audio)):
            if not shots:
                continue
            slot = composition.create_picture_slot(EDIT_RATE) if kind == "picture" else \
                composition.create_sound_slot(EDIT_RATE)
            slot["PhysicalTrackNumber"].value = 1
            for shot in shots:
                if shot is None:
                    slot.segment.components.append(f.create.Filler(kind, 24))
                else:
                    master = _master_mob(f, shot, masters)
                    slot.segment.components.append(
                        master.create_source_clip(slot_id=1, start=shot.start, length=shot.length))
    return path.read_bytes()


def nested_composition_aaf(path: Path, *, levels: int, fan_out: int = 2, loop: bool = False) -> bytes:
    """Composition mobs that each use the one below `fan_out` times: fan_out**levels clips when expanded.

    With `loop`, the lowest composition uses the top one instead, as no editor could build.
    """
    with aaf2.open(str(path), "w") as f:
        leaf = _master_mob(f, Shot("leaf", ["file:///x.mxf"], start=0, length=1), {})
        compositions = []
        for level in range(levels):
            composition = f.create.CompositionMob(f"level{level}")
            f.content.mobs.append(composition)
            composition.create_picture_slot(EDIT_RATE)
            compositions.append(composition)
        for level, composition in enumerate(compositions):
            below = compositions[level + 1] if level + 1 < levels else (compositions[0] if loop else leaf)
            for _ in range(fan_out):
                composition.slots[0].segment.components.append(below.create_source_clip(slot_id=1, start=0, length=1))
        compositions[0].usage = "Usage_TopLevel"
    return path.read_bytes()


def zipped(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# FCPXML 1.10 as Final Cut Pro 10.6 exports a project: media in `media-rep`, an empty first event,
# a 23.976 sequence starting at 01:00:00:00 (tcStart counts frames of 1001/24000 s), a connected
# clip on lane 1, a gap, and a multicam clip whose angle is an asset the adapter never reads.
FCPXML_1_10 = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>

<fcpxml version="1.10">
    <resources>
        <format id="r1" name="FFVideoFormat1080p2398" frameDuration="1001/24000s" width="1920" height="1080" \
colorSpace="1-1-1 (Rec. 709)"/>
        <asset id="r2" name="A001C003_plate" uid="5B1E7D3C9A0F4E2B8C6D1A2B3C4D5E6F" start="0s" \
duration="240240/24000s" hasVideo="1" format="r1" hasAudio="1" videoSources="1" audioSources="1" \
audioChannels="2" audioRate="48000">
            <media-rep kind="original-media" sig="5B1E7D3C9A0F4E2B8C6D1A2B3C4D5E6F" \
src="file:///Volumes/Nightfall/shots/sh010/A001C003_plate%20v001.mov"/>
            <media-rep kind="proxy-media" sig="00000000000000000000000000000001" \
src="file:///Volumes/Nightfall/Proxies/A001C003_plate.mov"/>
        </asset>
        <asset id="r3" name="sh020_sky_v003" uid="0A1B2C3D4E5F60718293A4B5C6D7E8F9" start="0s" \
duration="120120/24000s" hasVideo="1" format="r1">
            <media-rep kind="original-media" sig="0A1B2C3D4E5F60718293A4B5C6D7E8F9" \
src="file:///Volumes/Nightfall/deliverables/sh020/sky_v003.mov"/>
        </asset>
        <asset id="r4" name="cam_b_interview" start="0s" duration="480480/24000s" hasVideo="1" format="r1">
            <media-rep kind="original-media" src="file:///Volumes/Nightfall/shots/sh030/cam_b.mov"/>
        </asset>
        <media id="r5" name="sh030_multicam">
            <multicam format="r1" tcStart="0s" tcFormat="NDF">
                <mc-angle name="Cam B" angleID="angle-b">
                    <asset-clip ref="r4" offset="0s" name="cam_b_interview" duration="480480/24000s" format="r1" \
tcFormat="NDF"/>
                </mc-angle>
            </multicam>
        </media>
    </resources>
    <library location="file:///Users/editor/Movies/Nightfall.fcpbundle/">
        <event name="Dailies" uid="1F2E3D4C-5B6A-4978-8695-A4B3C2D1E0F9"/>
        <event name="Lock" uid="9A8B7C6D-5E4F-4321-9876-543210FEDCBA">
            <project name="nightfall_r3_lock" uid="ABCDEF01-2345-6789-ABCD-EF0123456789" \
modDate="2026-11-20 10:00:00 -0800">
                <sequence format="r1" duration="360360/24000s" tcStart="86486400/24000s" tcFormat="NDF" \
audioLayout="stereo" audioRate="48k">
                    <spine>
                        <asset-clip ref="r2" offset="86486400/24000s" name="A001C003_plate" start="24024/24000s" \
duration="48048/24000s" format="r1" tcFormat="NDF">
                            <asset-clip ref="r3" lane="1" offset="48048/24000s" name="sh020_sky_v003" start="0s" \
duration="24024/24000s" format="r1"/>
                        </asset-clip>
                        <gap name="Gap" offset="86534448/24000s" start="86486400/24000s" duration="24024/24000s"/>
                        <mc-clip ref="r5" offset="86558472/24000s" name="sh030_multicam" duration="48048/24000s">
                            <mc-source angleID="angle-b" srcEnable="all"/>
                        </mc-clip>
                    </spine>
                </sequence>
            </project>
        </event>
    </library>
</fcpxml>
"""


def fcpxml(spine: str, *, frame_duration: str = "100/2400s", tc_start: str = "3600s", tc_format: str = "NDF",
           resources: str = "") -> bytes:
    """A one-project FCPXML 1.9 document as DaVinci Resolve exports one, around the given spine."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>
<fcpxml version="1.9">
    <resources>
        <format id="r0" name="FFVideoFormat1080p24" frameDuration="{frame_duration}" width="1920" height="1080"/>
        <asset id="r1" name="plate" start="0s" duration="3600s" hasVideo="1" format="r0">
            <media-rep kind="original-media" src="file:///mnt/projects/nightfall/shots/sh010/plate.mov"/>
        </asset>
        {resources}
    </resources>
    <library>
        <event name="Timeline 1">
            <project name="Timeline 1">
                <sequence format="r0" tcStart="{tc_start}" tcFormat="{tc_format}" duration="3600s">
                    <spine>{spine}</spine>
                </sequence>
            </project>
        </event>
    </library>
</fcpxml>
""".encode()


def compound_clip_bomb(levels: int = 30) -> bytes:
    """Compound clips whose media each use the one below twice: 2**levels clips for a reader that expands them."""
    media = []
    for level in range(levels):
        inner = '<asset-clip ref="r1" offset="0s" duration="1s"/>' if level == 0 else \
            f'<ref-clip ref="m{level - 1}" offset="0s" duration="1s"/>' * 2
        media.append(f'<media id="m{level}" name="c{level}"><sequence format="r0"><spine>{inner}</spine>'
                     "</sequence></media>")
    return fcpxml(f'<ref-clip ref="m{levels - 1}" offset="3600s" duration="1s"/>', resources="".join(media))


def write_bundle(directory: Path, suffix: str) -> Path:
    """An `.otioz` or `.otiod` that OpenTimelineIO's bundle adapter writes from media in `directory`."""
    import opentimelineio as otio  # type: ignore[import-untyped]

    timeline = otio.schema.Timeline(name="r1_lock", global_start_time=otio.opentime.RationalTime(86400, 24))
    track = otio.schema.Track(name="V1")
    timeline.tracks.append(track)
    for name, content in (("plate.mov", b"\x00\x00\x00\x18ftypqt  plate"), ("sky_v003.exr", b"v/1\x01 sky")):
        media = directory / name
        media.write_bytes(content)
        reference = otio.schema.ExternalReference(target_url=otio.url_utils.url_from_filepath(str(media)))
        track.append(otio.schema.Clip(name=media.stem, media_reference=reference, source_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24))))
    bundle = directory / ("cut" + suffix)
    otio.adapters.write_to_file(timeline, str(bundle))
    return bundle
