"""AAF, FCPXML and OTIO bundles judged end to end in real repositories (SPEC §7, §11): generated clips in a
deliverable cut are GAI302 whatever editorial tool turned the cut over."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import opentimelineio as otio
import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from editorial_formats import FCPXML_1_10, LOCKED_CUT_V1, media_composer_aaf, write_bundle
from test_run_media import CLEAN_PNG, SD_PNG

CUT = ROOT_MANIFEST.replace('paths = ["deliverables/**"]', 'paths = ["deliverables/**", "editorial/locked/**"]')


def _gai302(done: object) -> list[str]:
    return sorted(f["message"] for f in done.json["findings"] if f["rule"] == "GAI302")  # type: ignore[attr-defined]


@pytest.mark.slow
def test_an_avid_aaf_turnover_using_generated_media_is_gai302(repo: Repo, tmp_path: Path) -> None:
    repo.write("genai.toml", CUT + '\n[editorial]\npath_map = { "/mnt/projects/nightfall/" = "" }\n'
               + generated(["deliverables/sh020/sky_v003.mxf"]))
    repo.write("deliverables/sh020/sky_v003.mxf", "generated sky")
    repo.write("shots/sh010/plate v001.mxf", "plate")
    repo.write("editorial/locked/r1.aaf", media_composer_aaf(tmp_path / "r1.aaf", video=LOCKED_CUT_V1))
    repo.add()
    done = repo.check("--", "editorial/locked/r1.aaf")
    [message] = _gai302(done)
    assert "clip 'sh020_sky'" in message and "deliverables/sh020/sky_v003.mxf" in message, done.out
    assert done.code == 1


def test_a_final_cut_pro_fcpxml_using_generated_media_is_gai302(repo: Repo) -> None:
    repo.write("genai.toml", CUT + '\n[editorial]\npath_map = { "/Volumes/Nightfall/" = "" }\n'
               + generated(["deliverables/sh020/**"]))
    repo.write("deliverables/sh020/sky_v003.mov", "generated sky")
    repo.write("editorial/locked/r3.fcpxmld/Info.fcpxml", FCPXML_1_10)  # a bundle, as Final Cut Pro 10.6 saves
    repo.add()
    [message] = _gai302(repo.check())
    assert "clip 'sh020_sky_v003'" in message and "deliverables/sh020/sky_v003.mov" in message


def test_media_inside_an_otioz_bundle_is_sniffed(repo: Repo, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path, ".otioz")
    data = io.BytesIO()
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(data, "w") as target:
        for info in source.infolist():  # the plate inside the bundle is really a Stable Diffusion image
            content = SD_PNG if info.filename.endswith("plate.mov") else source.read(info)
            target.writestr(info, content)
    repo.write("genai.toml", CUT)
    repo.write("editorial/locked/cut.otioz", data.getvalue())
    repo.add()
    done = repo.check()
    [message] = _gai302(done)
    assert "editorial/locked/cut.otioz/media/plate.mov" in message and "png-text" in message


def test_an_otiod_bundle_resolves_its_media_inside_the_bundle(repo: Repo, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path, ".otiod")
    shutil.copytree(bundle, repo.root / "editorial" / "locked" / "cut.otiod")
    (repo.root / "editorial/locked/cut.otiod/media/sky_v003.exr").write_bytes(CLEAN_PNG)
    repo.write("genai.toml", CUT + generated(["editorial/locked/cut.otiod/media/sky_v003.exr"]))
    repo.add()
    [message] = _gai302(repo.check())
    assert "editorial/locked/cut.otiod/media/sky_v003.exr" in message


def test_otio_json_with_infinity_is_read_as_otio_reads_it(repo: Repo) -> None:
    timeline = otio.schema.Timeline(name="r1")
    track = otio.schema.Track(name="V1")
    timeline.tracks.append(track)
    track.append(otio.schema.Clip(name="gen", media_reference=otio.schema.ExternalReference(
        target_url="../../previs/mood.png"), source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24))))
    text = otio.adapters.write_to_string(timeline, "otio_json").replace('"metadata": {}', '"metadata": {"gain": Infinity}', 1)
    assert "Infinity" in text
    repo.write("genai.toml", CUT + generated(["previs/**"]))
    repo.write("previs/mood.png", CLEAN_PNG)
    repo.write("editorial/locked/r1.otio", text)
    repo.add()
    done = repo.check()
    assert [f["rule"] for f in done.json["findings"]] == ["GAI302"], done.out


def test_a_cut_named_in_odd_case_is_still_judged(repo: Repo) -> None:
    """`R3.FcpXml` reads as FCPXML, so it is a timeline wherever one is looked for: a full audit, the named file
    and the staged change."""
    repo.write("genai.toml", CUT + '\n[editorial]\npath_map = { "/Volumes/Nightfall/" = "" }\n'
               + generated(["deliverables/sh020/**"]))
    repo.write("deliverables/sh020/sky_v003.mov", "generated sky")
    repo.commit()
    repo.write("editorial/locked/R3.FcpXml", FCPXML_1_10)
    repo.add()
    for args in ((), ("--", "editorial/locked/R3.FcpXml"), ("--diff", "HEAD")):
        [message] = _gai302(repo.check(*args))
        assert "clip 'sh020_sky_v003'" in message, args
