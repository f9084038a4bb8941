"""Compositing scripts → the paths they read, write and pull in (SPEC §9 lineage, issue 11)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import comp_scripts as scripts
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from genai_hooks.comps import (
    COMP_SUFFIXES,
    MAX_PATH_CHARACTERS,
    MAX_SCRIPT_BYTES,
    MAX_SCRIPT_NOTES,
    MAX_SCRIPT_REFERENCES,
    CompScript,
    ScriptFormat,
    ScriptPath,
    ScriptUnreadable,
    read_script,
)
from genai_hooks.comps.paths import fusion_frames

ROOT = "/mnt/projects/nightfall"


def read(name: str, text: str | bytes) -> CompScript:
    result = read_script(name, text.encode() if isinstance(text, str) else text)
    assert result is not None
    return result


def listed(references: tuple[ScriptPath, ...]) -> list[tuple[str, str, str]]:
    return [(reference.node, reference.knob, reference.path) for reference in references]


def by_node(references: tuple[ScriptPath, ...]) -> dict[str, ScriptPath]:
    return {reference.node: reference for reference in references}


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def nuke(*nodes: str, root: str = "") -> str:
    return scripts.NUKE_HEADER + root + "".join(nodes)


def unreadable_reason(name: str, data: bytes) -> str:
    with pytest.raises(ScriptUnreadable) as raised:
        read_script(name, data)
    return str(raised.value)


# -- Nuke ------------------------------------------------------------------------------------------


def test_nuke_15_script_lists_reads_writes_and_the_precomp_it_pulls_in() -> None:
    script = read("comp/sh010_comp_v003.nk", scripts.nuke_script())

    assert script.format is ScriptFormat.NUKE and script.complete
    assert listed(script.reads) == [
        ("Read_Plate", "file", f"{ROOT}/shots/sh010/plates/sh010_bg_v001.####.exr"),
        ("Read_Plate", "proxy", f"{ROOT}/shots/sh010/plates/proxy/sh010_bg_v001.####.jpg"),
        ("Read_SkyGen", "file", "C:/Users/Mara Lindqvist/Documents/genai/sky_gen v2/sh010_sky_gén.%04d.exr"),
        ("Read_Ref", "file", "//filer01/nightfall/ingest/sh010/ref/sh010_ref.mov"),
        ("Read_FG", "file", "P:\\nightfall\\plates\\sh010\\sh010_fg_v002.####.dpx"),
        ("Roto_Clean.Read_MattePaint", "file", "../../assets/matte/mp_château_v002.png"),
        ("Roto_Clean.Deep_Holdout.DeepRead1", "file", f"{ROOT}/shots/sh010/deep/sh010_fx_deep.####.exr"),
        ("Legacy_Sky.Read_Legacy", "file", f"{ROOT}/shots/sh010/genai/legacy_sky_v001.####.exr"),
        ("Read_Grain", "file", f"{ROOT}/library/grain/grain_35mm.####.exr"),
        ("ReadGeo1", "file", f"{ROOT}/assets/geo/cliff_v004.abc"),
        ("Camera_Track", "file", f"{ROOT}/shots/sh010/track/sh010_cam_v002.fbx"),
        ("Read_Env", "file", "[getenv NIGHTFALL_ROOT]/shots/sh010/plates/sh010_clean.####.exr"),
        ("Read_Python", "file", "[python {os.environ['SHOT_ROOT']}]/elements/sh010_smoke.####.exr"),
        ("Read_Tcl_Env", "file", "$env(NIGHTFALL_ROOT)/shots/sh010/elements/sh010_embers.####.exr"),
    ]
    assert listed(script.writes) == [
        ("Write_Versioned", "file",
         "[file dirname [value root.name]]/../renders/[file rootname [file tail [value root.name]]].####.exr"),
        ("Write_Final", "file", f"{ROOT}/deliverables/sh010/sh010_comp_v003.####.exr"),
        ("Write_Final", "proxy", f"{ROOT}/deliverables/sh010/proxy/sh010_comp_v003.####.jpg"),
        ("DeepWrite1", "file", "renders/deep/sh010_comp_deep.####.exr"),
    ]
    assert listed(script.scripts) == [
        ("Precomp_Sky", "file", f"{ROOT}/shots/sh010/comp/precomp/sh010_sky_precomp_v002.nk"),
    ]


def test_nuke_reference_carries_its_line_and_sequence_flag() -> None:
    text = scripts.nuke_script()
    reads = by_node(read("sh010.nk", text).reads)

    assert reads["Read_SkyGen"].line == line_of(text, "sh010_sky_gén.%04d.exr")
    assert reads["Roto_Clean.Deep_Holdout.DeepRead1"].line == line_of(text, "sh010_fx_deep.####.exr")
    assert reads["Read_Plate"].sequence and reads["Read_SkyGen"].sequence
    assert not reads["Read_Ref"].sequence and not reads["ReadGeo1"].sequence


def test_nuke_nodes_in_groups_are_dotted_until_their_end_group() -> None:
    reads = by_node(read("sh010.nk", scripts.nuke_script()).reads)

    assert "Roto_Clean.Deep_Holdout.DeepRead1" in reads
    assert "Read_Grain" in reads  # after both end_groups: back at the top
    assert not any(node.startswith("Roto_Clean.Read_Grain") for node in reads)


def test_nuke_disabled_node_and_nodes_of_a_disabled_group_are_kept_and_flagged() -> None:
    reads = by_node(read("sh010.nk", scripts.nuke_script()).reads)

    assert reads["Read_Ref"].disabled
    assert reads["Legacy_Sky.Read_Legacy"].disabled
    assert not reads["Read_Plate"].disabled and not reads["Roto_Clean.Read_MattePaint"].disabled


def test_nuke_tcl_expressions_are_kept_unresolved_with_a_note_each() -> None:
    script = read("sh010.nk", scripts.nuke_script())
    unresolved = [reference.node for reference in script.reads + script.writes if not reference.resolved]

    assert unresolved == ["Read_Env", "Read_Python", "Read_Tcl_Env", "Write_Versioned"]
    assert len(script.notes) == 4
    assert script.notes[0].startswith("Read_Env file (line ")
    assert "TCL expression not evaluated: [getenv NIGHTFALL_ROOT]/shots/sh010/plates" in script.notes[0]
    assert script.complete  # an expression is a note, not a part left unread


def test_nuke_expressions_are_never_evaluated(tmp_path: Path) -> None:
    marker = tmp_path / "evaluated"
    script = read("x.nk", nuke(scripts.nuke_node(
        "Read", file=f'"\\[python open(\'{marker}\',\'w\').write(\'x\')]"', name="Read_Hostile")))

    assert not marker.exists()
    assert not script.reads[0].resolved and script.reads[0].path.startswith("[python open(")


def test_nuke_multi_line_knob_values_hold_no_knobs() -> None:
    text = nuke(
        'Read {\n inputs 0\n file /mnt/a/plate.####.exr\n'
        ' knobChanged "\\nn = nuke.thisNode()\\nfile /mnt/fake/quoted.exr\\n"\n'
        ' label {one\nfile /mnt/fake/braced.exr\n proxy /mnt/fake/proxy.exr\n}\n'
        ' python_knob "\n file /mnt/fake/real_newline.exr\n"\n name Read1\n}\n')

    assert listed(read("x.nk", text).reads) == [("Read1", "file", "/mnt/a/plate.####.exr")]


def test_nuke_knob_written_twice_keeps_the_last_as_nuke_does() -> None:
    text = nuke(scripts.nuke_node("Read", file="/mnt/a/old.exr", name="Read1").replace(
        " name Read1", " file /mnt/a/new.exr\n name Read1"))

    assert listed(read("x.nk", text).reads) == [("Read1", "file", "/mnt/a/new.exr")]


def test_nuke_one_line_node_body_pairs_knobs_and_values() -> None:
    text = nuke("Read { inputs 0 file_type exr file /mnt/a/plate.####.exr name MainRead xpos -500 ypos -800 }\n"
                "Write {file \"/mnt/a/out put.####.exr\" name W1}\n")
    script = read("x.nk", text)

    assert listed(script.reads) == [("MainRead", "file", "/mnt/a/plate.####.exr")]
    assert listed(script.writes) == [("W1", "file", "/mnt/a/out put.####.exr")]


def test_nuke_escaped_backslashes_and_unc_paths_are_returned_as_nuke_reads_them() -> None:
    text = nuke(scripts.nuke_node("Read", file=r'"\\\\filer01\\show\\sh010\\plate.####.exr"', name="R1"),
                scripts.nuke_node("Read", file=r"C:\\shows\\plate.exr", name="R2"))

    assert [reference.path for reference in read("x.nk", text).reads] == [
        "\\\\filer01\\show\\sh010\\plate.####.exr", "C:\\shows\\plate.exr"]


@pytest.mark.parametrize(("project_directory", "path", "resolved", "noted"), [
    ('"\\[python \\{nuke.script_directory()\\}]"', "renders/a.####.exr", True, False),
    ('"\\[file dirname \\[value root.name]]"', "renders/a.####.exr", True, False),
    (None, "renders/a.####.exr", True, True),
    ("/mnt/projects/nightfall/shots/sh010/comp", "/mnt/projects/nightfall/shots/sh010/comp/renders/a.####.exr",
     True, False),
    ('"\\[getenv SHOT_DIR]"', "renders/a.####.exr", False, True),
])
def test_nuke_relative_path_follows_the_root_project_directory(
        project_directory: str | None, path: str, resolved: bool, noted: bool) -> None:
    root = "Root {\n inputs 0\n" + (f" project_directory {project_directory}\n" if project_directory else "") + "}\n"
    script = read("comp/x.nk", nuke(scripts.nuke_node("Write", file="renders/a.####.exr", name="W"), root=root))

    (write,) = script.writes
    assert (write.path, write.resolved, write.written) == (path, resolved, "renders/a.####.exr")
    assert bool(script.notes) is noted


def test_nuke_view_tokens_stand_for_each_view_of_the_root() -> None:
    root = 'Root {\n inputs 0\n views "left #ff0000\\nright #00ff00"\n}\n'
    stereo = read("x.nk", nuke(scripts.nuke_node("Read", file="/mnt/a/plate_%V.####.exr", name="R"),
                               scripts.nuke_node("Write", file="/mnt/a/out_%v.####.exr", name="W"), root=root))
    mono = read("x.nk", nuke(scripts.nuke_node("Read", file="/mnt/a/plate_%V.####.exr", name="R")))

    assert [reference.path for reference in stereo.reads] == ["/mnt/a/plate_left.####.exr",
                                                             "/mnt/a/plate_right.####.exr"]
    assert [reference.path for reference in stereo.writes] == ["/mnt/a/out_l.####.exr", "/mnt/a/out_r.####.exr"]
    assert stereo.reads[0].written == "/mnt/a/plate_%V.####.exr"
    assert [reference.path for reference in mono.reads] == ["/mnt/a/plate_main.####.exr"]


def test_nuke_clone_is_read_where_it_is_defined() -> None:
    reads = [reference for reference in read("x.nk", scripts.nuke_script()).reads if "grain" in reference.path]

    assert [reference.node for reference in reads] == ["Read_Grain"]


def test_nuke_livegroup_pulls_in_its_script_and_keeps_children_unless_published() -> None:
    editable = read("x.nk", nuke(
        scripts.nuke_node("LiveGroup", file="/mnt/a/live_fx.nk", name="Live1"),
        scripts.nuke_node(" Read", file="/mnt/a/inner.exr", name="Inner"), "end_group\n",
        scripts.nuke_node("Read", file="/mnt/a/outer.exr", name="Outer")))
    published = read("x.nk", nuke(
        scripts.nuke_node("LiveGroup", file="/mnt/a/live_fx.nk", published="true", name="Live1"),
        scripts.nuke_node("Read", file="/mnt/a/outer.exr", name="Outer")))

    assert listed(editable.scripts) == [("Live1", "file", "/mnt/a/live_fx.nk")]
    assert [reference.node for reference in editable.reads] == ["Live1.Inner", "Outer"]
    assert [reference.node for reference in published.reads] == ["Outer"]


def test_nuke_semicolons_comments_and_crlf_line_ends_are_commands_as_tcl_reads_them() -> None:
    text = ("# saved by a farm script\r\nversion 15.0 v4\r\npush 0; Read {\r\n file /mnt/a/one.exr\r\n"
            " name R1\r\n}\r\n#Read {file /mnt/a/commented.exr}\r\nRead {\r\n file /mnt/a/two.exr\r\n name R2\r\n}\r\n")

    assert [(reference.node, reference.path, reference.line) for reference in read("x.nk", text).reads] == [
        ("R1", "/mnt/a/one.exr", 4), ("R2", "/mnt/a/two.exr", 9)]


def test_nuke_script_saved_as_latin_1_is_read() -> None:
    data = nuke(scripts.nuke_node("Read", file='"/mnt/a/château.exr"', name="R")).encode("latin-1")

    assert read("x.nk", data).reads[0].path == "/mnt/a/château.exr"


def test_nuke_unbalanced_brace_reads_what_came_before_and_says_where() -> None:
    text = nuke(scripts.nuke_node("Read", file="/mnt/a/in.exr", name="R1"),
                "Write {\n file /mnt/a/out.exr\n label {never closed\n name W1\n}\n")
    script = read("x.nk", text)

    assert listed(script.reads) == [("R1", "file", "/mnt/a/in.exr")]
    assert listed(script.writes) == [("Write", "file", "/mnt/a/out.exr")]  # its name came after the cut
    assert not script.complete
    assert any("line 7" in note and "unbalanced" in note for note in script.notes)


def test_nuke_unclosed_quote_in_a_node_is_noted() -> None:
    script = read("x.nk", nuke('Read {\n file "/mnt/a/in.exr\n name R1\n}\n'))

    assert not script.complete
    assert script.reads and script.reads[0].path.startswith("/mnt/a/in.exr")


def test_nuke_end_group_without_a_group_is_noted() -> None:
    script = read("x.nk", nuke("end_group\n", scripts.nuke_node("Read", file="/mnt/a/in.exr", name="R1")))

    assert [reference.node for reference in script.reads] == ["R1"]
    assert script.notes == ("end_group without a group at line 3",)


# -- Fusion ----------------------------------------------------------------------------------------


def test_fusion_18_comp_lists_loader_clips_and_saver_clips() -> None:
    script = read("comp/sh020_comp_v004.comp", scripts.fusion_comp())

    assert script.format is ScriptFormat.FUSION and script.complete
    assert listed(script.reads) == [
        ("Loader_Plate", "Clips", f"{ROOT}/shots/sh020/plates/sh020_bg_v001.%04d.exr"),
        ("Loader_SkyGen", "Clips", "../genai/sky/sh020_sky_gen_v002.%04d.exr"),
        ("Loader_SkyGen", "Clips", "C:\\Users\\Mara Lindqvist\\genai\\sky wide\\sky_wide.%04d.exr"),
        ("Loader_Logo", "Clips", "elements/studio_logo_2024.png"),
        ("Loader_Old", "Clips", "\\\\filer01\\nightfall\\ingest\\sh020\\old_plate.%04d.exr"),
        ("Loader_Temp", "Clips", "Temp:/denoise/sh020_denoise.0001.exr"),
        ("Loader_Dust", "Clips", "//filer01/library/dust/staub_überlagerung.%04d.exr"),
        ("Loader_Deep", "Clips", f"{ROOT}/shots/sh020/genai/old_fog.%04d.exr"),
    ]
    assert listed(script.writes) == [
        ("Saver_Final", "Clip", "../renders/sh020_comp_v004.%04d.exr"),
        ("Saver_Review", "Clip", f"{ROOT}/review/sh020_comp_v004.mov"),
        ("Saver_Matte", "Clip", "../renders/sh020_matte%04d.exr"),
        ("Saver_Expr", "Clip", "Comp:/../renders/fallback.0000.exr"),
        ("Saver_Preview", "Clip", "Temp:/sh020_preview.jpg"),
    ]
    assert script.scripts == ()


def test_fusion_comp_path_map_is_the_script_directory_and_other_maps_are_notes() -> None:
    text = scripts.fusion_comp()
    script = read("comp/sh020_comp_v004.comp", text)
    reads, writes = by_node(script.reads), by_node(script.writes)

    assert reads["Loader_Logo"].written == "Comp:/elements/studio_logo_2024.png"
    assert reads["Loader_Logo"].resolved and not reads["Loader_Temp"].resolved
    assert not writes["Saver_Preview"].resolved
    assert f"Loader_Temp Clips (line {reads['Loader_Temp'].line}): Fusion path map Temp: not resolved: " \
           "Temp:/denoise/sh020_denoise.0001.exr" in script.notes
    assert reads["Loader_Temp"].line == line_of(text, "Temp:/denoise")


def test_fusion_frame_numbers_become_printf_tokens_and_stills_and_movies_stay() -> None:
    script = read("x.comp", scripts.fusion_comp())
    reads, writes = by_node(script.reads), by_node(script.writes)

    assert reads["Loader_Plate"].sequence and reads["Loader_Plate"].written.endswith(".1001.exr")
    assert not reads["Loader_Logo"].sequence  # StartFrame = -1: a still, though its name ends in 2024
    assert not writes["Saver_Review"].sequence and writes["Saver_Matte"].sequence


@pytest.mark.parametrize(("written", "saving", "expected"), [
    ("r/image.exr", True, ("r/image%04d.exr", True)),  # a Saver appends four digits
    ("r/image.001.exr", True, ("r/image.%03d.exr", True)),
    ("r/image000000.exr", True, ("r/image%06d.exr", True)),
    ("r/image1.exr", True, ("r/image%d.exr", True)),
    ("r/image.exr", False, ("r/image.exr", False)),  # a Loader of a file without a number reads it alone
    ("r\\shot v2\\image.0100.tif", False, ("r\\shot v2\\image.%04d.tif", True)),
    ("r/clip_0001.mov", True, ("r/clip_0001.mov", False)),
])
def test_fusion_frame_number_rules(written: str, saving: bool, expected: tuple[str, bool]) -> None:
    assert fusion_frames(written, saving=saving, single_frame=False, format_id="") == expected


def test_fusion_passthrough_disables_a_tool_and_every_tool_of_a_group_whatever_the_order() -> None:
    reads = by_node(read("x.comp", scripts.fusion_comp()).reads)

    assert reads["Loader_Old"].disabled
    assert reads["Loader_Deep"].disabled  # its group's PassThrough is written after the group's Tools
    assert not reads["Loader_Dust"].disabled and not reads["Loader_Plate"].disabled


def test_fusion_stored_settings_and_modifiers_are_no_tools() -> None:
    stored = ('\t\t\tCustomData = { Settings = { [1] = { Tools = ordered() { Loader_Stored2 = Loader { Clips = { '
              'Clip { Filename = "/mnt/stored/setting/not_live_either.0001.exr", }, }, }, }, }, }, },\n')
    text = scripts.fusion_comp().replace(
        "\t\tLoader_Temp = Loader {\n", "\t\tLoader_Temp = Loader {\n" + stored)
    script = read("x.comp", text)

    assert stored in text and len(script.reads) == 8
    assert not {"Loader_Stored", "Loader_Stored2"} & set(by_node(script.reads))
    assert not any("not_live" in reference.path for reference in script.reads)


def test_fusion_saver_set_by_expression_or_connection_is_unresolved_with_a_note() -> None:
    connected = scripts.fusion_saver("Saver_Linked", "Comp:/r/out.0000.exr", clip_extra=(
        '\t\t\t\t\tSourceOp = "Text1",\n\t\t\t\t\tSource = "Value",\n'))
    script = read("x.comp", scripts.FUSION_HEADER + "\tTools = {\n" + connected + "\t},\n}\n")
    full = read("x.comp", scripts.fusion_comp())

    assert not script.writes[0].resolved
    line = script.writes[0].line
    assert script.notes == (f"Saver_Linked Clip (line {line}): taken from the tool Text1, not followed",)
    assert any(note.startswith("Saver_Expr Clip") and "comp:MapPath('Comp:/')" in note for note in full.notes)


def test_fusion_saver_clip_written_as_a_plain_value_is_read() -> None:
    text = ('Composition {\n\tTools = {\n\t\tSaver1 = Saver {\n\t\t\tInputs = {\n'
            '\t\t\t\tClip = Input { Value = "/mnt/a/out.0000.dpx", },\n\t\t\t},\n\t\t},\n\t},\n}\n')

    assert listed(read("x.comp", text).writes) == [("Saver1", "Clip", "/mnt/a/out.%04d.dpx")]


def test_resolve_mediain_reads_its_media_path() -> None:
    script = read("x.comp", scripts.RESOLVE_COMP)

    assert listed(script.reads) == [
        ("MediaIn1", "MEDIA_PATH", "/Volumes/NIGHTFALL_RAID/ocf/A003/A003_C012_0915XY.mov"),
        ("MediaIn2", "MEDIA_PATH", "/Volumes/NIGHTFALL_RAID/vfx/sh030/sky_gen_%04d.exr"),
    ]
    assert script.writes == () and script.reads[1].sequence


def test_fusion_strings_comments_and_long_strings_keep_their_braces_to_themselves() -> None:
    text = textwrap.dedent("""\
        Composition {
        \t-- a comment with a brace } and a Loader = Loader {
        \tNotes = [==[ } } Saver1 = Saver { ]==],
        \tTools = {
        \t\tText1 = TextPlus { Inputs = { StyledText = Input { Value = "}}}{{{", }, }, --[[ { ]] },
        \t\tText2 = TextPlus { Inputs = { StyledText = Input { Value = "} Loader3 = Loader {", }, }, },
        \t\tText3 = TextPlus { Inputs = { StyledText = Input { Value = '{ \\' }', }, }, },
        \t\tNote1 = Note { Comments = "}", },
        \t\tLoader1 = Loader {
        \t\t\tClips = {
        \t\t\t\tClip { ID = "Clip1", Filename = "/mnt/a/brace}s {in} name.0001.exr", -- }
        \t\t\t\t\tStartFrame = 1, Note = [[ } ]], },
        \t\t\t},
        \t\t\tComments = "Loader2 = Loader { Clips = { Clip { Filename = \\"/mnt/fake.exr\\" } } }",
        \t\t},
        \t},
        }
        """)
    script = read("x.comp", text)

    assert listed(script.reads) == [("Loader1", "Clips", "/mnt/a/brace}s {in} name.%04d.exr")]
    assert script.complete


def test_fusion_table_read_at_once_or_token_by_token_gives_the_same_paths() -> None:
    flat = ('Composition {\n\tTools = {\n\t\tL = Loader {\n\t\t\tClips = {\n'
            '\t\t\t\tClip { ID = "Clip1", Filename = "/mnt/a/p.1001.exr", StartFrame = -1, },\n'
            '\t\t\t},\n\t\t},\n\t},\n}\n')
    nested = flat.replace('StartFrame = -1,', 'Extra = { 1, { 2 } }, StartFrame = -1,')

    assert read("x.comp", flat).reads == read("x.comp", nested).reads
    assert read("x.comp", flat).reads[0].path == "/mnt/a/p.1001.exr"


def test_fusion_lua_escapes_are_decoded() -> None:
    text = ('Composition {\n\tTools = {\n\t\tL = Loader { Clips = { Clip { '
            'Filename = "C:\\\\shots\\\\\\"q\\" \\u{E9}t\\u{E9}.exr", StartFrame = -1, }, }, },\n\t},\n}\n')

    assert read("x.comp", text).reads[0].path == 'C:\\shots\\"q" été.exr'


@pytest.mark.parametrize("content", [
    b"#version 450\nlayout(local_size_x = 16, local_size_y = 16) in;\nvoid main() { }\n",  # a GLSL compute shader
    b'{\n\tTools = ordered() {\n\t\tLoader1 = Loader { Clips = { Clip { Filename = "/a.exr" } } }\n\t}\n}\n',
    b"",
])
def test_dot_comp_file_that_is_no_fusion_composition_is_none(content: bytes) -> None:
    assert read_script("shaders/blur.comp", content) is None


def test_fusion_unbalanced_comp_reports_what_it_read() -> None:
    text = scripts.fusion_comp()
    cut = text[:text.index("Saver_Review")]
    script = read("x.comp", cut)

    assert [reference.node for reference in script.writes] == ["Saver_Final"]
    assert len(script.reads) == 8 and not script.complete
    assert any("unbalanced braces" in note for note in script.notes)


# -- both formats: suffixes, bounds, hostile input -------------------------------------------------


def test_other_suffixes_are_none_and_suffixes_ignore_case() -> None:
    assert COMP_SUFFIXES == (".nk", ".comp")
    assert read_script("comp/sh010.nk~", scripts.nuke_script().encode()) is None
    assert read_script("comp/sh010.autosave", scripts.nuke_script().encode()) is None
    assert read("COMP/SH010.NK", scripts.nuke_script()).reads
    assert read("sh020.Comp", scripts.fusion_comp()).reads


@pytest.mark.parametrize("name", ["big.nk", "big.comp"])
def test_script_larger_than_16_mib_is_unreadable(name: str) -> None:
    data = b"Composition {\n" + b" " * MAX_SCRIPT_BYTES + b"}\n"

    assert unreadable_reason(name, data).endswith("larger than 16 MiB; not read")


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("x.nk", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a Nuke script: binary content"),
    ("x.comp", b"Composition {\x00\x01\x02}", "not a Fusion composition: binary content"),
    ("x.nk", b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 12345\n",
     "a Git LFS pointer, not the Nuke script it stands for"),
])
def test_binary_or_pointer_is_unreadable_with_a_reason(name: str, data: bytes, reason: str) -> None:
    assert unreadable_reason(name, data) == reason


@pytest.mark.slow
def test_more_than_100k_references_stop_with_a_note() -> None:
    views = "\\n".join(f"v{index} #ff0000" for index in range(1_000))
    root = f'Root {{\n inputs 0\n views "{views}"\n}}\n'
    reads = [scripts.nuke_node("Read", file=f"/mnt/a/r{index}_%V.exr", name=f"R{index}") for index in range(101)]
    script = read("x.nk", nuke(*reads, root=root))

    assert len(script.reads) == MAX_SCRIPT_REFERENCES and not script.complete
    assert f"more than {MAX_SCRIPT_REFERENCES:,} file references; the rest were not read" in script.notes


@pytest.mark.slow
def test_fusion_more_than_100k_references_stop_with_a_note() -> None:
    clips = ",".join(f'Clip{{Filename="/a/{index}.exr",StartFrame=-1}}' for index in range(MAX_SCRIPT_REFERENCES + 1))
    script = read("x.comp", "Composition{Tools={L=Loader{Clips={" + clips + "}}}}")

    assert len(script.reads) == MAX_SCRIPT_REFERENCES and not script.complete


def test_path_longer_than_path_max_is_noted_not_kept() -> None:
    script = read("x.nk", nuke(scripts.nuke_node("Read", file="/mnt/" + "a" * MAX_PATH_CHARACTERS, name="R")))

    assert script.reads == ()
    limit = f"{MAX_PATH_CHARACTERS:,}"
    assert script.notes == (f"R file: a value longer than {limit} characters names no file; not kept",)


def test_notes_are_bounded_printable_and_short() -> None:
    nodes = [scripts.nuke_node("Read", file=f'"\\[getenv X{index}]/\\x1b\\[31m\u202e{"a" * 300}"', name=f"R{index}")
             for index in range(MAX_SCRIPT_NOTES + 50)]
    script = read("x.nk", nuke(*nodes))

    assert len(script.notes) == MAX_SCRIPT_NOTES + 1
    assert script.notes[-1] == "… and 50 more notes"
    assert all(len(note) <= 160 and note.isprintable() for note in script.notes)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "build"), [("big.nk", scripts.nuke_big_script),
                                             ("big.comp", scripts.fusion_big_comp)])
def test_a_100k_node_script_reads_in_time_linear_in_its_nodes(name: str, build: Callable[[int], str]) -> None:
    """Ten times the nodes cost about ten times the CPU (a quadratic reader: a hundred). A ratio, not a bound in
    seconds: the speed itself is the benchmarks' to measure, and a loaded CI machine is slower by a factor."""
    small, large = build(10_000).encode(), build(100_000).encode()

    def cpu(data: bytes) -> float:
        started = time.process_time()  # CPU time: other processes on the machine count less
        read(name, data)
        return time.process_time() - started

    once = min(cpu(small) for _ in range(3))
    started = time.process_time()
    script = read(name, large)
    tenfold = time.process_time() - started

    assert script.complete and len(script.reads) + len(script.writes) >= 12_500
    assert tenfold < 30 * once, f"{tenfold:.2f} s for 100,000 nodes, {once:.3f} s for 10,000"


@pytest.mark.slow
def test_100k_node_scripts_read_in_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "big.nk").write_text(scripts.nuke_big_script(100_000), encoding="utf-8")
    (tmp_path / "big.comp").write_text(scripts.fusion_big_comp(100_000), encoding="utf-8")
    program = textwrap.dedent("""\
        import sys, tracemalloc
        from pathlib import Path
        from genai_hooks.comps import read_script
        peaks = []
        for name in ("big.nk", "big.comp"):
            data = (Path(sys.argv[1]) / name).read_bytes()
            tracemalloc.start()
            assert read_script(name, data).complete
            peaks.append(tracemalloc.get_traced_memory()[1] // 2**20)
            tracemalloc.stop()
        print(max(peaks))
        """)
    done = subprocess.run([sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True, check=True)

    # the text itself (up to 16 MiB), its references and the parse: a few times the file, never more
    assert int(done.stdout) < 80, f"reading a 100k-node script took {done.stdout.strip()} MiB at its peak"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "text"), [
    ("deep.nk", "Read {\n file /mnt/a/in.exr\n label " + "{" * 100_000 + "}" * 100_000 + "\n name R\n}\n"),
    ("deep.nk", "Read {\n file /mnt/a/in.exr\n label " + "{" * 100_000),
    ("deep.nk", "Group {\n name G\n}\n" * 100_000 + "Read {\n file /mnt/a/in.exr\n name R\n}\n"),
    ("deep.nk", "set N1 " + "[" * 100_000 + "\nRead {\n file /mnt/a/in.exr\n}\n"),
    ("deep.comp", 'Composition { Tools = { L = Loader { Clips = { Clip { Filename = "/mnt/a/in.exr", X = '
     + "{" * 100_000 + "}" * 100_000 + " } } } } }"),
    ("deep.comp", "Composition { Tools = { L = Loader { Clips = { " + "{" * 100_000),
    ("deep.comp", "Composition { Tools = { " + "G = GroupOperator { Tools = { " * 30_000),
])
def test_deep_nesting_reads_in_bounded_time_without_error(name: str, text: str) -> None:
    started = time.process_time()
    script = read(name, text)

    assert time.process_time() - started < 2.0
    assert all(len(reference.node) <= 256 for reference in script.reads)
    if "/mnt/a/in.exr" in text and "[" not in text and text.rstrip().endswith(("}", "} } } } }")):
        assert [reference.path for reference in script.reads] == ["/mnt/a/in.exr"]


def _kept_references(script: CompScript | None) -> set[tuple[str, str, int | None]]:
    """(knob, value, line): a node's name may come after the cut, and its `disable` too."""
    if script is None:
        return set()
    return {(reference.knob, reference.written, reference.line)
            for reference in script.reads + script.writes + script.scripts}


def _truncations_keep_what_came_before(name: str, text: str, step: int) -> None:
    data = text.encode()
    full = read(name, data)
    line_ends = [index for index, byte in enumerate(data) if byte == 0x0A]
    for cut in range(0, len(data) + 1, step):
        try:
            script = read_script(name, data[:cut])
        except ScriptUnreadable as error:
            assert str(error)
            continue
        kept = _kept_references(script)
        before = {reference for reference in _kept_references(full)
                  if reference[2] is not None and line_ends[reference[2] - 1] < cut}
        assert before <= kept, f"cut at {cut}: {sorted(before - kept)}"


@pytest.mark.slow
def test_nuke_script_truncated_at_every_offset_keeps_every_reference_before_the_cut() -> None:
    _truncations_keep_what_came_before("sh010.nk", scripts.nuke_script(), 1)


@pytest.mark.slow
def test_fusion_comp_truncated_at_every_offset_keeps_every_reference_before_the_cut() -> None:
    small = (scripts.FUSION_HEADER + "\tTools = {\n"
             + scripts.fusion_loader("Loader_Plate", scripts.fusion_clip("Clip1", f"{ROOT}/plates/bg.1001.exr"))
             + scripts.fusion_saver("Saver_Final", "Comp:/../renders/sh020.0000.exr") + "\t},\n}\n")
    _truncations_keep_what_came_before("small.comp", small, 1)
    _truncations_keep_what_came_before("sh020.comp", scripts.fusion_comp(), 7)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["fuzz.nk", "fuzz.comp"]), data=st.one_of(
    st.binary(max_size=600),
    st.text(alphabet='ComposiniTl=Lader{}[]"\'\\;#$-\n\t ./%0123VvF', max_size=600).map(
        lambda text: ("Composition {" + text).encode()),
))
def test_any_bytes_give_a_script_none_or_unreadable_never_another_error(name: str, data: bytes) -> None:
    try:
        result = read_script(name, data)
    except ScriptUnreadable as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert result is None or isinstance(result, CompScript)
        if result is not None:
            assert all(note.isprintable() for note in result.notes)


_VALUE_PIECES = ["a", "x", "0", "9", "_", ".", "/", "#", "%", "-", ":", "$", "\\[", "\\]", "\\t", "\\\\", "\\$", "\\{", "\\}"]
_PLAIN_VALUE = st.lists(st.sampled_from(_VALUE_PIECES), min_size=1, max_size=12).map("".join)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.tuples(st.sampled_from(["file", "proxy", "name", "label", "xpos"]), _PLAIN_VALUE),
                       min_size=1, max_size=8),
       style=st.sampled_from(["plain", "quoted", "braced", "one line", "extra knob"]))
def test_nuke_body_read_at_once_or_word_by_word_gives_the_same_knobs(values: list[tuple[str, str]],
                                                                      style: str) -> None:
    def body(knob_style: str) -> str:
        pairs = [(knob, {"quoted": f'"{value}"', "braced": f"{{{value}}}"}.get(knob_style, value))
                 for knob, value in values]
        if knob_style == "one line":
            return "Read { " + " ".join(f"{knob} {value}" for knob, value in pairs) + " }\n"
        extra = " addUserKnob {20 User}\n" if knob_style == "extra knob" else ""
        return "Read {\n" + "".join(f" {knob} {value}\n" for knob, value in pairs) + extra + "}\n"

    assume(style != "braced" or not any("\\" in value for _, value in values))  # braces keep escapes
    plain = read("x.nk", nuke(body("plain")))
    other = read("x.nk", nuke(body(style)))
    assert [(r.node, r.knob, r.path) for r in other.reads] == [(r.node, r.knob, r.path) for r in plain.reads]


_LUA_PIECES = ["a", "Z", "0", "7", "_", ".", "/", " ", "{", "}", ":", "-", "--", "[[", "é", '\\"', "\\\\", "\\n"]


@settings(max_examples=150, deadline=None)
@given(filename=st.lists(st.sampled_from(_LUA_PIECES), min_size=1, max_size=12).map("".join),
       start_frame=st.sampled_from(["-1", "0", "1001", "1e3"]),
       separator=st.sampled_from([",", ";", ",\n\t\t\t\t\t"]))
def test_fusion_clip_read_at_once_or_token_by_token_gives_the_same_reads(filename: str, start_frame: str,
                                                                         separator: str) -> None:
    fields = ['ID = "Clip1"', f'Filename = "{filename}.0001.exr"', f"StartFrame = {start_frame}", "Loop = true"]

    def comp(extra: str) -> str:
        clip = "Clip { " + separator.join(fields + ([extra] if extra else [])) + " }"
        return "Composition {\n\tTools = {\n\t\tL = Loader {\n\t\t\tClips = { " + clip + ", },\n\t\t},\n\t},\n}\n"

    flat = read("x.comp", comp(""))
    tokens = read("x.comp", comp("Extra = { 1, { 2 } }"))
    assert [(r.path, r.line, r.sequence) for r in flat.reads] == [(r.path, r.line, r.sequence) for r in tokens.reads]
    assert len(flat.reads) == 1 and flat.complete
