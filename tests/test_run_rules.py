"""The manifest rules, judged through `genai-hooks run` in real repositories."""

from __future__ import annotations

from conftest import ROOT_MANIFEST, Repo, external_approvals, generated, register


def test_generated_file_in_deliverables_without_approval_is_blocked(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/sh020/**"]))
    repo.write("deliverables/sh020/sky.exr", "pixels")
    repo.add()
    done = repo.check("deliverables/sh020/sky.exr")
    assert done.code == 1
    [finding] = done.json["findings"]
    assert finding["rule"] == "GAI201" and finding["severity"] == "error"
    assert finding["path"] == "deliverables/sh020/sky.exr" and finding["line"] is None
    assert finding["manifest"] == "genai.toml" and finding["manifest_line"] == 19
    assert "'firefly' (Adobe)" in finding["message"]


def test_approval_kept_outside_the_repository_counts_and_passes_and_is_counted(repo: Repo) -> None:
    repo.write("genai.toml", external_approvals(ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-GAI-0042")))
    repo.write("deliverables/sky.exr")
    repo.add()
    done = repo.check()
    assert done.code == 0, done.out
    assert done.json["findings"] == []
    assert done.json["summary"]["unchecked_approvals"] == 1


def test_approval_in_the_register_passes(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-GAI-0042")
               + register("NFX-GAI-0042"))
    repo.write("deliverables/sky.exr")
    repo.add()
    done = repo.check()
    assert done.code == 0, done.out
    assert done.json["findings"] == [] and done.json["summary"]["unchecked_approvals"] == 0


def test_generated_file_outside_deliverables_passes(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["previs/**"]))
    repo.write("previs/mood.png", "x")
    repo.add()
    assert repo.check("previs/mood.png").code == 0


def test_tool_attestations_are_judged_on_the_tool_table(repo: Repo) -> None:
    repo.write("genai.toml", '[tools.mj]\nvendor = "Midjourney"\nenvironment = "consumer"\n'
               + generated(["previs/**"], tool="mj"))
    repo.write("previs/a.png")
    repo.add()
    done = repo.check("previs/a.png")
    assert done.code == 1
    by_rule = {f["rule"]: f for f in done.json["findings"]}
    assert set(by_rule) == {"GAI002", "GAI101", "GAI102", "GAI103", "GAI104", "GAI105"}  # GAI002: no [production]
    assert all(f["path"] == "genai.toml" and f["line"] == 1 for f in by_rule.values())
    assert by_rule["GAI103"]["severity"] == "warning"


def test_unknown_tool_suggests_the_declared_one(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["previs/**"], tool="fireflyy"))
    repo.write("previs/a.png")
    repo.add()
    [finding] = repo.check("previs/a.png").json["findings"]
    assert finding["rule"] == "GAI106" and "did you mean 'firefly'?" in finding["message"]
    assert finding["path"] == "genai.toml" and finding["line"] == 19


def test_sensitive_use_without_approval_is_an_entry_finding(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"], sensitive=["talent-likeness"]))
    repo.write("shots/face.png")
    repo.add()
    [finding] = repo.check("shots/face.png").json["findings"]
    assert finding["rule"] == "GAI202" and "talent-likeness" in finding["message"]


REGISTER = """
[[approvals]]
id = "NFX-GAI-0042"
covers = ["final-deliverable"]
granted_by = "Netflix Production Legal"
date = 2025-09-10
expires = 2026-09-10
"""


def test_register_checks_pattern_presence_expiry_and_coverage(repo: Repo) -> None:
    manifest = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"',
                                     'contact = "jane.doe@example.com"\napproval_pattern = "NFX-GAI-[0-9]{4,}"')
    repo.write("genai.toml", manifest + REGISTER
               + generated(["deliverables/a/**"], approval="NFX-GAI-0042")
               + generated(["deliverables/b/**"], approval="NFX-GAI-9999")
               + generated(["deliverables/c/**"], approval="nfx-42")
               + generated(["deliverables/d/**"], approval="NFX-GAI-0042", sensitive=["third-party-ip"]))
    for name in "abcd":
        repo.write(f"deliverables/{name}/f.exr")
    repo.add()
    current = repo.check("--as-of", "2026-01-01")
    messages = {(f["rule"], f["path"]): f["message"] for f in current.json["findings"]}
    assert set(messages) == {("GAI203", "genai.toml"), ("GAI204", "deliverables/d/f.exr")}
    gai203 = [f["message"] for f in current.json["findings"] if f["rule"] == "GAI203"]
    assert any("'NFX-GAI-9999' is not in the approval register" in m for m in gai203)
    assert any("'nfx-42' does not match" in m for m in gai203)
    assert "does not cover third-party-ip" in messages[("GAI204", "deliverables/d/f.exr")]

    expired = repo.check("--as-of", "2026-09-11")
    gai204 = {f["path"]: f["message"] for f in expired.json["findings"] if f["rule"] == "GAI204"}
    assert "expired on 2026-09-10" in gai204["deliverables/a/f.exr"]
    assert repo.check("--as-of", "2026-09-10", "deliverables/a").code == 0


def test_nearest_manifest_wins_and_last_entry_within_it(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/sh010/genai.toml",
               generated(["**"], approval="A-1") + generated(["*.exr"]))
    repo.write("deliverables/sh010/plate.exr")
    repo.write("deliverables/sh010/matte.png")
    repo.add()
    done = repo.check()
    flagged = sorted(f["path"] for f in done.json["findings"] if f["rule"] == "GAI201")
    assert flagged == ["deliverables/sh010/plate.exr"]


def test_nested_manifest_adds_deliverables(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["editorial/**"]))
    repo.write("editorial/genai.toml", '[deliverables]\npaths = ["locked/**"]\n')
    repo.write("editorial/locked/reel1.mov")
    repo.write("editorial/work/reel1.mov")
    repo.add()
    flagged = [f["path"] for f in repo.check().json["findings"] if f["rule"] == "GAI201"]
    assert flagged == ["editorial/locked/reel1.mov"]


def test_severity_overrides_from_the_root_policy(repo: Repo) -> None:
    repo.write("genai.toml", '[policy]\nseverity = { GAI103 = "error", GAI104 = "off", GAI105 = "off" }\n'
               '[tools.t]\nvendor = "V"\ntrains_on_inputs = false\nretains_inputs = false\n'
               + generated(["x/**"], tool="t"))
    repo.write("x/a.png")
    repo.add()
    done = repo.check()
    assert [(f["rule"], f["severity"]) for f in done.json["findings"]] == [("GAI002", "warning"), ("GAI103", "error")]
    assert done.code == 1


def test_frame_sequence_is_one_finding_naming_range_and_count(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/sh020/sky/sh020_sky_v003.####.exr"]))
    for frame in range(1001, 1241):
        repo.write(f"deliverables/sh020/sky/sh020_sky_v003.{frame}.exr", str(frame))
    repo.add()
    done = repo.check()
    [finding] = done.json["findings"]
    assert finding["path"] == "deliverables/sh020/sky/sh020_sky_v003.1001.exr"
    assert "sh020_sky_v003.[1001-1240].exr, 240 frames" in finding["message"]
    assert len(finding["files"]) == 240
    assert done.json["summary"]["errors"] == 1
    text = repo.run("run")
    assert text.out.count("GAI201") == 1


def test_full_audit_reports_stale_entries_but_a_path_check_does_not(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/sh999/**"]) + generated(["shots/sh010/**"]))
    repo.write("shots/sh010/a.png")
    repo.add()
    audit = repo.check()
    assert [(f["rule"], f["line"]) for f in audit.json["findings"]] == [("GAI401", 19)]
    assert audit.code == 0
    assert repo.check("shots/sh010/a.png").json["findings"] == []


def test_invalid_manifest_in_chain_is_reported_with_line(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/genai.toml", '[[generated]]\npaths = ["**"]\ntool = "firefly"\npurpse = "x"\n')
    repo.write("shots/a.png")
    repo.write("other/b.png")
    repo.add()
    done = repo.check("shots/a.png")
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["path"], finding["line"]) == ("GAI001", "shots/genai.toml", 4)
    assert "did you mean 'purpose'?" in finding["message"]
    assert repo.check("other/b.png").json["findings"] == []


def test_duplicate_tool_id_across_a_chain_is_invalid(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/genai.toml", '[tools.firefly]\nvendor = "Someone else"\n')
    repo.write("shots/a.png")
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "already declared in genai.toml" in finding["message"]


def test_selected_manifest_brings_its_scope_and_all_its_rules(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + '[tools.mj]\nvendor = "Midjourney"\n')
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST + '[tools.mj]\nvendor = "Midjourney"\n'
               + generated(["deliverables/**"]))
    repo.add("genai.toml")
    rules = sorted({f["rule"] for f in repo.check("genai.toml").json["findings"]})
    assert rules == ["GAI101", "GAI102", "GAI103", "GAI104", "GAI105", "GAI201"]


def test_a_deleted_manifest_brings_its_scope_and_counts_it_as_checked(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/sh010/genai.toml", "version = 1\n" + generated(["*.exr"], approval="NFX-GAI-0042"))
    repo.write("deliverables/sh010/sky.1001.exr")
    repo.write("deliverables/sh010/sky.1002.exr")
    repo.add()
    base = repo.commit()
    repo.git("rm", "-q", "deliverables/sh010/genai.toml")
    done = repo.check("--diff", base)
    assert [(f["rule"], f["files"]) for f in done.json["findings"]] == \
        [("GAI201", ["deliverables/sh010/sky.1001.exr", "deliverables/sh010/sky.1002.exr"])]
    assert done.json["summary"]["files_checked"] == 2


def test_nested_manifest_cannot_drop_sensitive_categories_declared_above(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + REGISTER.replace('covers = ["final-deliverable"]',
                                                            'covers = ["union-work"]\nconsent = { reference = "TR-7", '
                                                            'scope = "S1", represented_by = "union" }')
               + generated(["shots/sq020/**"], sensitive=["talent-likeness"], approval="NFX-GAI-0042"))
    repo.write("shots/sq020/genai.toml", generated(["**"]))  # an artist's redeclaration, no sensitive
    repo.write("shots/sq020/face.png")
    repo.add()
    done = repo.check("shots/sq020/face.png", "--as-of", "2026-01-01")
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["path"]) == ("GAI202", "shots/sq020/genai.toml")
    assert "talent-likeness" in finding["message"]
    repo.write("shots/sq020/genai.toml", generated(["**"], approval="NFX-GAI-0042"))
    repo.add()
    [finding] = repo.check("shots/sq020/face.png", "--as-of", "2026-01-01").json["findings"]
    assert finding["rule"] == "GAI204" and "does not cover talent-likeness" in finding["message"]


def test_within_one_manifest_the_last_entry_still_decides(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"], sensitive=["talent-likeness"], approval="A-1")
               + generated(["shots/sq010/**"]))
    repo.write("shots/sq010/plate.png")
    repo.add()
    assert repo.check("shots/sq010/plate.png").json["findings"] == []


def test_identical_nested_manifests_are_each_read(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    for shot in ("sh010", "sh020"):
        repo.write(f"deliverables/{shot}/genai.toml", generated(["**"]))  # copied from shot to shot
        repo.write(f"deliverables/{shot}/plate.exr")
    repo.add()
    done = repo.check()
    assert sorted((f["rule"], f["path"]) for f in done.json["findings"]) == [
        ("GAI201", "deliverables/sh010/plate.exr"), ("GAI201", "deliverables/sh020/plate.exr")]
