"""Model weights judged through `genai-hooks run` in real repositories (SPEC §10, "Models"): GAI501, GAI502, and
the [[models]] entry rules, with files written by the real writers (safetensors, gguf, onnx, torch-shaped zips)."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from conftest import FULL_CONSENT, ROOT_MANIFEST, Repo, external_approvals, generated, register
from models_media import (
    KOHYA,
    checkpoint_zip,
    deflate_bomb,
    gguf_bytes,
    onnx_bytes,
    raw_safetensors,
    raw_zip,
    safetensors_bytes,
    writer_model,
)
from provenance_media import png_bytes
from test_policy_fidelity import CONSUMER_TOOL, approval, line_of
from test_run_media import lfs_pointer, store_lfs_object

LORA = safetensors_bytes(KOHYA)
PICKLED = pickle.dumps({}, protocol=2)


def models(paths: list[str], **extra: Any) -> str:
    body = generated(paths, **extra).replace("[[generated]]", "[[models]]")
    return body.replace('tool = "firefly"\n', "") if "tool" not in extra else body


def of(done: Any, rule: str) -> list[dict[str, Any]]:
    return [f for f in done.json["findings"] if f["rule"] == rule]


# --- GAI501 ------------------------------------------------------------------------------------------------


def test_an_undeclared_lora_is_gai501_with_what_it_says_about_itself(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("models/loras/lead_v3.safetensors", LORA)
    repo.add()
    done = repo.check("models/loras/lead_v3.safetensors")
    assert done.code == 1
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["severity"], finding["path"], finding["line"]) == \
        ("GAI501", "error", "models/loras/lead_v3.safetensors", None)
    assert finding["message"] == ("safetensors model weights ('nightfall_lead_v3', base model "
                                  "sd_xl_base_1.0.safetensors), and no [[models]] entry declares it")
    evidence = [(e["kind"], e["detail"]) for e in finding["evidence"]]
    assert evidence[0] == ("model", "safetensors weights, recognised by content")
    assert ("model-metadata", "dataset folders: 20_jane_doe (40 images), 10_set_stills (12 images)") in evidence
    assert all(e["strength"] == "strong" for e in finding["evidence"])


@pytest.mark.parametrize("name,data,fmt", [
    ("models/writer.gguf", gguf_bytes(writer_model), "gguf"),
    ("models/upscaler.onnx", onnx_bytes(metadata={"name": "plate upscaler"}), "onnx"),
    ("models/sh010_inpaint.ckpt", checkpoint_zip(), "pytorch"),
    ("models/renamed.bin", LORA, "safetensors"),  # recognised by content, whatever the extension says
])
def test_every_format_is_recognised_by_content(repo: Repo, name: str, data: bytes, fmt: str) -> None:
    repo.write(name, data)
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI501" and finding["path"] == name
    assert finding["evidence"][0]["detail"] == f"{fmt} weights, recognised by content"


def test_a_file_only_named_like_a_model_is_not_one(repo: Repo) -> None:
    repo.write("models/thumbnail.safetensors", png_bytes())
    repo.write("models/notes.pt", "lr 1e-4, 2000 steps")
    repo.add()
    done = repo.check()
    assert done.code == 0 and done.json["findings"] == []


def test_a_declared_model_is_not_gai501_and_the_nearest_entry_declares_it(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], base="sd_xl_base_1.0"))
    repo.write("models/loras/lead_v3.safetensors", LORA)
    repo.write("shots/sh010/genai.toml", models(["*.safetensors"], base="flux-dev"))
    repo.write("shots/sh010/style.safetensors", LORA)
    repo.write("shots/sh020/style.safetensors", LORA)
    repo.add()
    assert [f["path"] for f in repo.check().json["findings"]] == ["shots/sh020/style.safetensors"]


def test_a_generated_entry_does_not_declare_a_model(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["models/**"]))
    repo.write("models/lead.safetensors", LORA)
    repo.add()
    assert repo.check().rules() == ["GAI501"]


def test_only_files_whose_content_is_selected_are_inspected(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("models/lead.safetensors", LORA)
    repo.write("shots/plate.png", png_bytes())
    repo.add()
    repo.commit()
    repo.write("shots/plate.png", png_bytes(size=(8, 8)))
    repo.add()
    assert repo.check("--", "shots/plate.png").json["findings"] == []  # the artist's commit
    assert repo.check("--diff", "HEAD").json["findings"] == []
    assert repo.check().rules() == ["GAI501"]  # a full audit reads everything


def test_model_recognition_holds_with_metadata_sniffing_off(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + '\n[detect]\nmetadata = false\nignore = ["models/**"]\n')
    repo.write("models/lead.safetensors", LORA)
    repo.add()
    assert repo.check().rules() == ["GAI501"]
    assert repo.check("--no-metadata").rules() == ["GAI501"]


def test_a_model_in_git_lfs_is_read_from_the_local_store_and_an_absent_object_is_gai303(repo: Repo) -> None:
    repo.write("models/lead.safetensors", lfs_pointer(LORA))
    repo.write("models/other.safetensors", lfs_pointer(LORA + b"not fetched"))
    store_lfs_object(repo, LORA)
    repo.add()
    found = {f["path"]: f for f in repo.check().json["findings"]}
    assert found["models/lead.safetensors"]["rule"] == "GAI501"
    assert found["models/other.safetensors"]["rule"] == "GAI303"
    assert "git lfs pull" in found["models/other.safetensors"]["message"]


@pytest.mark.parametrize("name,data,reason", [
    ("models/huge.safetensors", raw_safetensors(b'{"__metadata__":{}}', length=1 << 63),
     f"header length {1 << 63} does not fit"),
    ("models/bomb.pt", raw_zip([("archive/data.pkl", PICKLED, 0, len(PICKLED)),
                                ("archive/data/0", deflate_bomb(64), 8, 64 << 20)]), None),
])
def test_hostile_model_files_are_findings_with_a_reason_never_a_crash(repo: Repo, name: str, data: bytes,
                                                                      reason: str | None) -> None:
    repo.write(name, data)
    repo.add()
    done = repo.check()
    assert done.code == 1 and "Traceback" not in done.err
    found = {f["rule"]: f for f in done.json["findings"]}
    assert found["GAI501"]["path"] == name
    if reason is not None:
        assert found["GAI303"]["message"].startswith("model metadata could not be fully read: " + reason)
    else:  # the bomb is named, never inflated
        details = [e["detail"] for e in found["GAI501"]["evidence"]]
        assert details[1].startswith("zip bomb: 1 member(s) claim far more than they hold")


# --- [[models]] entries: GAI502 and the entry rules --------------------------------------------------------------


@pytest.mark.parametrize("trained_on,needed", [(["talent-material"], "talent-likeness"),
                                               (["third-party-ip"], "third-party-ip"),
                                               (["personal-data"], "personal-data")])
def test_a_model_trained_on_protected_material_without_approval_is_gai502(repo: Repo, trained_on: list[str],
                                                                         needed: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], base="sd_xl_base_1.0", trained_on=trained_on))
    repo.write("models/lead.safetensors", LORA)
    repo.add()
    done = repo.check("models/lead.safetensors")
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["severity"], finding["path"]) == ("GAI502", "error", "genai.toml")
    assert finding["line"] == finding["manifest_line"] == line_of(repo, "[[models]]")
    assert finding["message"] == f"model trained on {trained_on[0]} but no written approval covering {needed} is cited"


def test_production_material_alone_needs_no_approval_to_train_on(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], base="flux-dev", trained_on=["production-material"]))
    repo.write("models/style.safetensors", LORA)
    repo.add()
    assert repo.check().json["findings"] == []


def test_a_talent_model_needs_an_approval_covering_likeness_and_its_consent(repo: Repo) -> None:
    def show(covers: list[str], consent: dict[str, Any] | None) -> Any:
        repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0051", covers, consent=consent)
                   + models(["models/**"], base="sd_xl_base_1.0", trained_on=["talent-material"],
                            approval="NFX-GAI-0051"))
        repo.write("models/lead.safetensors", LORA)
        repo.add()
        return repo.check("models/lead.safetensors", "--as-of", "2026-01-01")

    [finding] = show(["third-party-ip"], FULL_CONSENT).json["findings"]
    assert finding["rule"] == "GAI502"
    assert finding["message"].endswith("approval NFX-GAI-0051 does not cover talent-likeness")
    assert show(["talent-likeness"], None).rules() == ["GAI211"]
    assert show(["talent-likeness"], FULL_CONSENT).json["findings"] == []


def test_with_external_approvals_any_well_formed_approval_covers_training(repo: Repo) -> None:
    repo.write("genai.toml", external_approvals(ROOT_MANIFEST + models(["models/**"], base="x",
                                                                       trained_on=["talent-material"],
                                                                       approval="NFX-GAI-0051")))
    repo.write("models/lead.safetensors", LORA)
    repo.add()
    assert repo.check().json["findings"] == []


def test_without_a_register_a_model_approval_is_gai203(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], base="x", trained_on=["talent-material"],
                                                    approval="NFX-GAI-0051"))
    repo.write("models/lead.safetensors", LORA)
    repo.add()
    assert repo.check().rules() == ["GAI203"]


def test_a_models_entry_tool_is_judged_like_a_generated_entry_tool(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + CONSUMER_TOOL
               + models(["models/a/**"], tool="kohya") + models(["models/b/**"], tool="mj", trained_on=["talent-material"],
                                                                 approval="NFX-GAI-0051")
               + register("NFX-GAI-0051", ["talent-likeness"], consent=FULL_CONSENT))
    repo.write("models/a/lead.safetensors", LORA)
    repo.write("models/b/lead.safetensors", LORA)
    repo.add()
    done = repo.check("models")
    messages = {f["rule"]: f["message"] for f in done.json["findings"] if f["rule"] != "GAI103"}
    assert set(messages) == {"GAI106", "GAI108"}
    assert messages["GAI106"].startswith("[[models]] entry names tool 'kohya', which no manifest")
    assert messages["GAI108"] == ("model trained on talent-material with tool 'mj' (Midjourney), which runs in a "
                                  "consumer environment")


def test_a_models_entry_that_matches_nothing_is_stale_in_a_full_audit(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/old/**"], base="sd15"))
    repo.write("shots/a.png")
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI401" and finding["message"] == "[[models]] entry's patterns match no file: models/old/**"
    assert repo.check("shots/a.png").json["findings"] == []


def test_an_approval_ending_soon_warns_on_the_model_files(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0051", ["talent-likeness"], expires="2026-01-15",
                                                      consent=FULL_CONSENT)
               + models(["models/**"], base="x", trained_on=["talent-material"], approval="NFX-GAI-0051"))
    repo.write("models/lead.safetensors", LORA)
    repo.add()
    [finding] = repo.check("--as-of", "2026-01-01").json["findings"]
    assert (finding["rule"], finding["path"]) == ("GAI207", "models/lead.safetensors")
    assert finding["message"] == (f"model declared by the [[models]] entry at genai.toml:{line_of(repo, '[[models]]')}"
                                  ": approval NFX-GAI-0051 expires on 2026-01-15 (in 14 days)")


def test_a_selected_manifest_brings_its_models_entries_under_the_rules(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + models(["models/**"], base="x", trained_on=["personal-data"]))
    repo.write("shots/a.png")
    repo.add()
    assert repo.check("shots/a.png").json["findings"] == []
    assert repo.check("genai.toml").rules() == ["GAI502"]
