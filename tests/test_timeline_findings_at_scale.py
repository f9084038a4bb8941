"""GAI302 at scale (SPEC §17): one finding per timeline and generated media, every use listed in `clips`."""

from __future__ import annotations

import opentimelineio as otio
from conftest import ROOT_MANIFEST, Repo, generated
from provenance_media import png_bytes, png_info

CLEAN_PNG = png_bytes(png_info(("Software", "ARRI Reference Tool")))
SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
EDITORIAL = ROOT_MANIFEST.replace('paths = ["deliverables/**"]', 'paths = ["deliverables/**", "editorial/locked/**"]')
MAPPING = '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'


def one_second(name: str, url: str) -> otio.schema.Clip:
    return otio.schema.Clip(name=name, media_reference=otio.schema.ExternalReference(target_url=url),
                            source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(0, 24),
                                                                 otio.opentime.RationalTime(24, 24)))


def sequence_clip(name: str, first: int, frames: int) -> otio.schema.Clip:
    """`frames` frames of previs/sky.####.png from frame `first` (the sequence holds 1001-1010)."""
    reference = otio.schema.ImageSequenceReference(
        target_url_base="file:///mnt/show/previs/", name_prefix="sky.", name_suffix=".png", start_frame=1001,
        frame_zero_padding=4, rate=24,
        available_range=otio.opentime.TimeRange(otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(10, 24)))
    used = otio.opentime.TimeRange(otio.opentime.RationalTime(first - 1001, 24), otio.opentime.RationalTime(frames, 24))
    return otio.schema.Clip(name=name, media_reference=reference, source_range=used)


def cut(clips: list[otio.schema.Clip], start_hours: int = 1) -> bytes:
    timeline = otio.schema.Timeline(name="r1",
                                    global_start_time=otio.opentime.RationalTime(start_hours * 86400, 24))
    track = otio.schema.Track(name="V1")
    timeline.tracks.append(track)
    track.extend(clips)
    return str(otio.adapters.write_to_string(timeline, "otio_json")).encode()


def cut_repo(repo: Repo, timeline: bytes) -> None:
    repo.write("genai.toml", EDITORIAL + MAPPING + generated(["previs/**"]))
    repo.write("previs/mood.png", CLEAN_PNG)
    for frame in range(1001, 1011):
        repo.write(f"previs/sky.{frame}.png", CLEAN_PNG)
    repo.write("shots/cleanup.png", SD_PNG)
    repo.write("editorial/locked/r1.otio", timeline)
    repo.add()


def gai302(repo: Repo, *args: str) -> list[dict[str, object]]:
    return [f for f in repo.check(*args).json["findings"] if f["rule"] == "GAI302"]


def test_a_media_used_by_many_clips_is_one_finding_naming_the_count_and_the_first_clip(repo: Repo) -> None:
    cut_repo(repo, cut([one_second("mood_a", "file:///mnt/show/previs/mood.png"),
                        one_second("cleanup", "file:///mnt/show/shots/cleanup.png"),
                        one_second("mood_b", "file:///mnt/show/previs/mood.png"),
                        one_second("mood_c", "file:///mnt/show/previs/mood.png")]))
    findings = gai302(repo, "editorial/locked/r1.otio")
    assert len(findings) == 2, [f["message"] for f in findings]
    mood = next(f for f in findings if "previs/mood.png" in str(f["message"]))
    assert str(mood["message"]).startswith("3 clips use previs/mood.png, the first 'mood_a' at 01:00:00:00: "
                                           "generated with 'firefly'")
    assert mood["clips"] == [{"name": "mood_a", "record_in": "01:00:00:00", "record_out": "01:00:01:00"},
                             {"name": "mood_b", "record_in": "01:00:02:00", "record_out": "01:00:03:00"},
                             {"name": "mood_c", "record_in": "01:00:03:00", "record_out": "01:00:04:00"}]
    cleanup = next(f for f in findings if "shots/cleanup.png" in str(f["message"]))
    assert str(cleanup["message"]).startswith("clip 'cleanup' at 01:00:01:00 uses shots/cleanup.png: undeclared")
    assert cleanup["clips"] == [{"name": "cleanup", "record_in": "01:00:01:00", "record_out": "01:00:02:00"}]


def test_a_frame_sequence_cut_in_twice_counts_as_one_media(repo: Repo) -> None:
    cut_repo(repo, cut([sequence_clip("sky_head", 1001, 3), one_second("mood", "file:///mnt/show/previs/mood.png"),
                        sequence_clip("sky_tail", 1006, 4)]))
    findings = gai302(repo, "editorial/locked/r1.otio")
    [sky] = [f for f in findings if "sky" in str(f["message"])]
    assert str(sky["message"]).startswith("2 clips use previs/sky.[1001-1003,1006-1009].png (7 frames), "
                                          "the first 'sky_head' at 01:00:00:00: ")
    assert sorted(sky["files"]) == ["editorial/locked/r1.otio"]
    assert [c["name"] for c in sky["clips"]] == ["sky_head", "sky_tail"]  # type: ignore[union-attr]
    assert sky["clips"][1] == {"name": "sky_tail", "record_in": "01:00:01:03",  # type: ignore[index]
                               "record_out": "01:00:01:07"}


def test_clips_are_listed_in_timeline_order_whatever_the_track_order(repo: Repo) -> None:
    timeline = otio.schema.Timeline(name="r1", global_start_time=otio.opentime.RationalTime(86400, 24))
    upper, lower = otio.schema.Track(name="V1"), otio.schema.Track(name="V2")
    timeline.tracks.extend([upper, lower])
    upper.extend([otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(48, 24))),
                  one_second("late", "file:///mnt/show/previs/mood.png")])
    lower.append(one_second("early", "file:///mnt/show/previs/mood.png"))
    cut_repo(repo, str(otio.adapters.write_to_string(timeline, "otio_json")).encode())
    [mood] = gai302(repo, "editorial/locked/r1.otio")
    assert "the first 'early' at 01:00:00:00" in str(mood["message"])
    assert [c["name"] for c in mood["clips"]] == ["early", "late"]  # type: ignore[union-attr]


def test_record_timecodes_past_24_hours_are_not_wrapped(repo: Repo) -> None:
    cut_repo(repo, cut([one_second("mood", "file:///mnt/show/previs/mood.png")], start_hours=25))
    [mood] = gai302(repo, "editorial/locked/r1.otio")
    assert str(mood["message"]).startswith("clip 'mood' at 25:00:00:00 uses previs/mood.png")
    assert mood["clips"] == [{"name": "mood", "record_in": "25:00:00:00", "record_out": "25:00:01:00"}]


def test_every_output_format_carries_one_finding_per_media(repo: Repo) -> None:
    cut_repo(repo, cut([one_second(f"mood_{n}", "file:///mnt/show/previs/mood.png") for n in range(5)]))
    for output in ("text", "github", "markdown", "junit", "sarif", "codequality"):
        done = repo.run("run", "--format", output, "--", "editorial/locked/r1.otio")
        assert done.code == 1
        shown = done.out.replace("\\_", "_")  # Markdown escapes underscores
        assert "5 clips use" in shown and "the first 'mood_0' at 01:00:00:00" in shown, output
        assert "mood_1" not in shown, output


def test_other_findings_list_no_clips(repo: Repo) -> None:
    repo.write("shots/cleanup.png", SD_PNG)
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI301" and finding["clips"] == []
