"""SPEC §16 "Permission to train": `[[models]] dataset`, GAI503 training-not-permitted on dataset files whose own
metadata forbids training (real CAWG assertions signed by c2pa-python, real PLUS XMP in JPEG/PNG/TIFF and in
sidecars), and the category guild-literary-material (GAI209, GAI502), in real repositories."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FULL_CONSENT, ROOT_MANIFEST, Repo, generated, register
from models_media import KOHYA, safetensors_bytes
from provenance_media import png_bytes
from provenance_media_2026 import PLUS_VOCAB, sign_manifest, with_xmp, xmp_2026

from genai_hooks.chains import ManifestSet
from genai_hooks.content import ContentReader
from genai_hooks.detect import Detector
from genai_hooks.findings import Evidence, Strength
from genai_hooks.gitcmd import GitRepository
from genai_hooks.snapshot import open_snapshot

PROHIBITED = PLUS_VOCAB + "DMI-PROHIBITED-AIMLTRAINING"
CAWG = {"label": "cawg.training-mining", "data": {"entries": {"cawg.ai_training": {"use": "notAllowed"}}}}


def models(paths: list[str], **extra: Any) -> str:
    body = f"\n[[models]]\npaths = {json.dumps(paths)}\nbase = \"sd_xl_base_1.0\"\n"
    return body + "".join(f"{key} = {json.dumps(value)}\n" for key, value in extra.items())


def with_model(repo: Repo, path: str = "models/style.safetensors") -> None:
    """The model the dataset trained (a full audit would call its entry stale without it, GAI401)."""
    repo.write(path, safetensors_bytes(KOHYA))


def reserved(extension: str) -> bytes:
    return with_xmp(extension, xmp_2026({"plus:DataMining": PROHIBITED}))


@pytest.mark.parametrize("extension", ["jpg", "png", "tif"])
def test_a_dataset_file_whose_xmp_forbids_training_is_gai503_on_the_file(repo: Repo, extension: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], dataset=["training/style/**"]))
    repo.write(f"training/style/ref_014.{extension}", reserved(extension))
    repo.write("training/style/ref_015.png", png_bytes())
    with_model(repo)
    repo.add()
    done = repo.check()
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["severity"], finding["path"]) == ("GAI503", "error",
                                                                     f"training/style/ref_014.{extension}")
    lines = (repo.root / "genai.toml").read_text().splitlines()
    assert (finding["manifest"], finding["manifest_line"]) == ("genai.toml", lines.index("[[models]]") + 1)
    assert finding["message"] == (f"in the dataset of the [[models]] entry at genai.toml:{lines.index('[[models]]') + 1},"
                                  f" and its own metadata forbids training AI on it (xmp-plus-data-mining: "
                                  f"plus:DataMining: {PROHIBITED})")
    assert done.code == 1


def test_a_cawg_assertion_signed_by_c2pa_python_is_gai503(repo: Repo) -> None:
    pytest.importorskip("c2pa")
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], dataset=["training/**"]))
    repo.write("training/still.png", sign_manifest(png_bytes(), "image/png", [CAWG], generator="Lightroom"))
    repo.add()
    [finding] = repo.check("training/still.png").json["findings"]
    assert finding["rule"] == "GAI503" and "c2pa-training-mining: cawg.ai_training: notAllowed" in finding["message"]


def test_a_sidecar_that_forbids_training_counts_for_its_media(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], dataset=["training/**"]))
    repo.write("training/plate.png", png_bytes())
    repo.write("training/plate.xmp", xmp_2026({"plus:DataMining": PROHIBITED}))
    with_model(repo)
    repo.add()
    assert [(f["rule"], f["path"]) for f in repo.check().json["findings"]] == [("GAI503", "training/plate.png")]


def test_the_detector_keeps_training_facts_when_it_merges_sidecars_and_lineage(repo: Repo) -> None:
    repo.write("a.png", reserved("png"))
    repo.write("b.png", png_bytes())
    repo.write("b.xmp", xmp_2026({"plus:DataMining": PROHIBITED}))
    repo.add()
    snapshot = open_snapshot(GitRepository(str(repo.root)), None)  # the index
    content = ContentReader(snapshot)
    manifests = ManifestSet.load({})
    lineage = {"a.png": Evidence("lineage", Strength.STRONG, "a copy of gen.png")}
    detector = Detector(snapshot, manifests, content, enabled=True, lineage=lineage)
    found = detector.inspect(["a.png", "b.png"])
    assert [e.kind for e in found["a.png"].evidence] == ["lineage"]
    assert found["a.png"].training_not_permitted and found["b.png"].training_not_permitted


def test_files_outside_the_dataset_and_files_that_permit_training_are_clean(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], dataset=["training/**"]))
    repo.write("reference/ref.jpg", reserved("jpg"))  # reserved, but nobody trains on it
    repo.write("training/ok.jpg", with_xmp("jpg", xmp_2026({"plus:DataMining": PLUS_VOCAB + "DMI-ALLOWED"})))
    with_model(repo)
    repo.add()
    assert repo.check().json["findings"] == []


def test_a_nested_manifest_dataset_is_anchored_to_its_directory(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/sq030/genai.toml", models(["lora/**"], dataset=["training/**"]))
    repo.write("shots/sq030/training/face.jpg", reserved("jpg"))
    repo.write("training/face.jpg", reserved("jpg"))  # the root's training/ is not sq030's
    with_model(repo, "shots/sq030/lora/style.safetensors")
    repo.add()
    assert [(f["rule"], f["path"]) for f in repo.check().json["findings"]] == [
        ("GAI503", "shots/sq030/training/face.jpg")]


def test_a_dataset_pattern_is_checked_like_paths(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], dataset=["../outside/**"]))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "[[models]] #1 dataset" in finding["message"]
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"]) + 'dataset = "training/**"\n')
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "'dataset' in [[models]] #1 must be a list" in finding["message"]


# --- guild-literary-material ---------------------------------------------------------------------


def test_scripts_fed_to_a_tool_need_an_approval_covering_guild_literary_material(repo: Repo) -> None:
    entry = generated(["shots/**"], inputs=["guild-literary-material"], approval="NFX-GAI-0070")
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0070", ["third-party-ip"]) + entry)
    repo.write("shots/board.png", png_bytes())
    repo.add()
    [finding] = repo.check("--as-of", "2026-01-01").json["findings"]
    assert finding["rule"] == "GAI209"
    assert finding["message"] == ("entry feeds guild-literary-material but approval NFX-GAI-0070 does not cover "
                                  "guild-literary-material")
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0070", ["guild-literary-material"]) + entry)
    repo.add()
    assert repo.check("--as-of", "2026-01-01").json["findings"] == []


def test_a_model_trained_on_scripts_needs_an_approval_covering_them(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0071", ["talent-likeness"], consent=FULL_CONSENT)
               + models(["models/**"], trained_on=["guild-literary-material"], approval="NFX-GAI-0071"))
    repo.add()
    [finding] = repo.check("genai.toml", "--as-of", "2026-01-01").json["findings"]
    assert finding["rule"] == "GAI502" and finding["message"].endswith("does not cover guild-literary-material")


def test_explain_cites_the_law_each_new_rule_serves(repo: Repo) -> None:
    for rule_id, law in (("GAI503", "EU DSM Directive Art. 4(3)"), ("GAI502", "WGA Minimum Basic Agreement"),
                         ("GAI209", "WGA Minimum Basic Agreement"), ("GAI214", "EU AI Act, Art. 50(4)"),
                         ("GAI215", "California AB 2602 and AB 1836")):
        done = repo.run("explain", rule_id)
        assert done.code == 0 and law in done.out.split("Law and agreements: ")[1], rule_id


def test_a_dataset_file_the_detector_already_read_is_not_read_again(repo: Repo,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from genai_hooks import provenance

    reads: list[str] = []
    real = provenance.inspect

    def counting(name: str, source: Any, **kwargs: Any) -> Any:
        reads.append(name)
        return real(name, source, **kwargs)

    monkeypatch.setattr(provenance, "inspect", counting)
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], dataset=["training/**"]))
    repo.write("training/ref.jpg", reserved("jpg"))
    with_model(repo)
    repo.add()
    assert [f["rule"] for f in repo.check("training/ref.jpg").json["findings"]] == ["GAI503"]
    assert reads.count("training/ref.jpg") == 1
