"""Compositing scripts as Nuke 15 and Fusion 18 / DaVinci Resolve 18 save them, for tests/test_comps.py.

Layouts follow saved scripts: Nuke's `#!` header, `define_window_layout_xml`, one-space knob indents,
children of a Group indented one more space up to `end_group`; Fusion's `Composition` header with
`Tools = {` (the `ordered()` form appears in groups and stored settings), `Clip { ... }` tables and
bracketed input keys such as `["Clip1.OpenEXRFormat.RedName"]`.
"""

from __future__ import annotations

NUKE_HEADER = """#! C:/Program Files/Nuke15.0v4/nuke-15.0.4.dll -nx
version 15.0 v4
"""

_WINDOW_LAYOUT = """define_window_layout_xml {<?xml version="1.0" encoding="UTF-8"?>
<layout version="1.0">
    <window x="0" y="0" w="2560" h="1377" maximized="1" screen="0">
        <splitter orientation="1">
            <split size="40"/>
            <dock id="" hideTitles="1" activePageId="Toolbar.1">
                <page id="Toolbar.1"/>
            </dock>
            <split size="1897" stretch="1"/>
            <splitter orientation="2">
                <split size="791"/>
                <dock id="" activePageId="Viewer.1">
                    <page id="Viewer.1"/>
                </dock>
                <split size="544"/>
                <dock id="" activePageId="DAG.1" focus="true">
                    <page id="DAG.1"/>
                    <page id="Curve Editor.1"/>
                    <page id="DopeSheet.1"/>
                </dock>
            </splitter>
        </splitter>
    </window>
</layout>
}
"""

NUKE_ROOT = r"""Root {
 inputs 0
 name C:/shows/nightfall/sh010/comp/sh010_comp_v003.nk
 project_directory "\[python \{nuke.script_directory()\}]"
 frame 1001
 first_frame 1001
 last_frame 1100
 lock_range true
 format "4096 2160 0 0 4096 2160 1 4K_DCP"
 proxy_type scale
 proxy_format "1024 778 0 0 1024 778 1 1K_Super_35(full-ap)"
 colorManagement OCIO
 OCIO_config aces_1.3
 defaultViewerLUT "OCIO LUTs"
 workingSpaceLUT scene_linear
 monitorLut "ACES 1.0 - SDR Video (sRGB - Display)"
 monitorOutLUT "ACES 1.0 - SDR Video (sRGB - Display)"
 int8Lut matte_paint
 int16Lut texture_paint
 logLut compositing_log
 floatLut scene_linear
}
"""

# sh010: plates and a generated sky in, a precomp pulled in, finals and deep out.
_NUKE_NODES = r"""BackdropNode {
 inputs 0
 name BackdropNode1
 tile_color 0x7171c600
 label "PLATES\nsh010 — \[value root.name]"
 note_font_size 42
 xpos -150
 ypos -320
 bdwidth 620
 bdheight 260
}
Read {
 inputs 0
 file_type exr
 file /mnt/projects/nightfall/shots/sh010/plates/sh010_bg_v001.####.exr
 proxy /mnt/projects/nightfall/shots/sh010/plates/proxy/sh010_bg_v001.####.jpg
 format "4096 2160 0 0 4096 2160 1 4K_DCP"
 first 1001
 last 1100
 origfirst 1001
 origlast 1100
 origset true
 colorspace ACEScg
 label {graded plate
file /mnt/projects/nightfall/not/a/knob.####.exr
}
 name Read_Plate
 xpos -40
 ypos -250
}
set N7b3c4800 [stack 0]
Read {
 inputs 0
 file_type exr
 file "C:/Users/Mara Lindqvist/Documents/genai/sky_gen v2/sh010_sky_gén.%04d.exr"
 format "4096 2160 0 0 4096 2160 1 4K_DCP"
 first 1001
 last 1100
 origset true
 name Read_SkyGen
 xpos 110
 ypos -250
}
Read {
 inputs 0
 file_type mov
 file //filer01/nightfall/ingest/sh010/ref/sh010_ref.mov
 format "1920 1080 0 0 1920 1080 1 HD_1080"
 origset true
 disable true
 name Read_Ref
 xpos 260
 ypos -250
}
Read {
 inputs 0
 file_type dpx
 file "P:\\nightfall\\plates\\sh010\\sh010_fg_v002.####.dpx"
 origset true
 name Read_FG
 xpos 410
 ypos -250
}
Merge2 {
 inputs 2
 operation over
 bbox B
 name Merge1
 xpos 110
 ypos -150
}
Group {
 name Roto_Clean
 tile_color 0x9e3c63ff
 label "clean plate\nfrom matte painting"
 xpos 110
 ypos -60
 addUserKnob {20 User}
 addUserKnob {7 mix_amount l "mix amount"}
 mix_amount 0.75
}
 Input {
  inputs 0
  name Input1
  xpos 0
 }
 Read {
  inputs 0
  file ../../assets/matte/mp_château_v002.png
  origset true
  name Read_MattePaint
  xpos 110
  ypos 0
 }
 Group {
  inputs 0
  name Deep_Holdout
 }
  DeepRead {
   inputs 0
   file /mnt/projects/nightfall/shots/sh010/deep/sh010_fx_deep.####.exr
   first 1001
   last 1100
   name DeepRead1
  }
 end_group
 Output {
  name Output1
  xpos 0
  ypos 300
 }
end_group
Precomp {
 file /mnt/projects/nightfall/shots/sh010/comp/precomp/sh010_sky_precomp_v002.nk
 version 2
 name Precomp_Sky
 xpos 260
 ypos -60
}
Group {
 inputs 0
 name Legacy_Sky
 disable true
 xpos 410
 ypos -60
}
 Read {
  inputs 0
  file /mnt/projects/nightfall/shots/sh010/genai/legacy_sky_v001.####.exr
  name Read_Legacy
 }
 Output {
  name Output1
 }
end_group
clone node7f3a1c00|Read|48213 Read {
 inputs 0
 file /mnt/projects/nightfall/library/grain/grain_35mm.####.exr
 origset true
 name Read_Grain
 xpos 560
 ypos -250
}
clone $C7f3a1c00 {
 xpos 560
 ypos -100
}
ReadGeo2 {
 file /mnt/projects/nightfall/assets/geo/cliff_v004.abc
 name ReadGeo1
 xpos 700
 ypos -250
}
Camera3 {
 inputs 0
 read_from_file true
 file /mnt/projects/nightfall/shots/sh010/track/sh010_cam_v002.fbx
 name Camera_Track
 xpos 850
 ypos -250
}
Read {
 inputs 0
 file "\[getenv NIGHTFALL_ROOT]/shots/sh010/plates/sh010_clean.####.exr"
 name Read_Env
 xpos 1000
 ypos -250
}
Read {
 inputs 0
 file "\[python \{os.environ\['SHOT_ROOT']\}]/elements/sh010_smoke.####.exr"
 name Read_Python
 xpos 1150
 ypos -250
}
Read {
 inputs 0
 file {$env(NIGHTFALL_ROOT)/shots/sh010/elements/sh010_embers.####.exr}
 name Read_Tcl_Env
 xpos 1300
 ypos -250
}
push $N7b3c4800
Write {
 file "\[file dirname \[value root.name]]/../renders/\[file rootname \[file tail \[value root.name]]].####.exr"
 file_type exr
 name Write_Versioned
 xpos 110
 ypos 100
}
Write {
 file /mnt/projects/nightfall/deliverables/sh010/sh010_comp_v003.####.exr
 proxy /mnt/projects/nightfall/deliverables/sh010/proxy/sh010_comp_v003.####.jpg
 file_type exr
 write_ACES_compliant_EXR true
 first_part rgba
 version 3
 ocioColorspace scene_linear
 display ACES
 view sRGB
 name Write_Final
 xpos 110
 ypos 180
}
DeepWrite {
 file renders/deep/sh010_comp_deep.####.exr
 name DeepWrite1
 xpos 260
 ypos 180
}
Viewer {
 frame 1001
 frame_range 1001-1100
 name Viewer1
 xpos 110
 ypos 300
}
"""


def nuke_script() -> str:
    """sh010_comp_v003.nk as Nuke 15.0v4 saves it."""
    return NUKE_HEADER + _WINDOW_LAYOUT + NUKE_ROOT + _NUKE_NODES


def nuke_node(node_class: str, **knobs: str) -> str:
    lines = [f"{node_class} {{"] + [f" {name} {value}" for name, value in knobs.items()] + ["}"]
    return "\n".join(lines) + "\n"


def nuke_big_script(nodes: int) -> str:
    """`nodes` nodes as a long comp has them: every eighth a Read or a Write, stack commands between."""
    parts = [NUKE_HEADER, NUKE_ROOT]
    for index in range(nodes):
        kind = index % 8
        if kind == 0:
            parts.append(
                f'Read {{\n inputs 0\n file_type exr\n file /mnt/projects/nightfall/shots/sh{index:06d}/plate.####.exr\n'
                f' format "4096 2160 0 0 4096 2160 1 4K_DCP"\n first 1001\n last 1100\n origset true\n'
                f' name Read{index}\n xpos {index}\n ypos -250\n}}\nset N{index:x} [stack 0]\n')
        elif kind == 4:
            parts.append(
                f'Write {{\n file "/mnt/projects/nightfall/renders/sh{index:06d}/comp.####.exr"\n file_type exr\n'
                f' name Write{index}\n xpos {index}\n ypos 180\n}}\npush $N{index - 4:x}\n')
        else:
            parts.append(f"Grade {{\n white 1.1\n black_clamp false\n name Grade{index}\n xpos {index}\n ypos 0\n}}\n")
    return "".join(parts)


FUSION_HEADER = """Composition {
\tCurrentTime = 1001,
\tRenderRange = { 1001, 1100 },
\tGlobalRange = { 1001, 1100 },
\tCurrentID = 57,
\tHiQ = true,
\tPlaybackUpdateMode = 0,
\tStereoMode = false,
\tVersion = "Fusion Studio 18.6.4 build 6",
\tSavedOutputs = 2,
\tHeldTools = 0,
\tDisabledTools = 2,
\tLockedTools = 0,
\tAudioOffset = 0,
\tAutoRenderRange = true,
\tResumable = true,
\tOutputClips = {
\t\t"Comp:/../renders/sh020_comp_v004.0000.exr",
\t\t"/mnt/projects/nightfall/review/sh020_comp_v004.mov"
\t},
"""


def fusion_clip(clip_id: str, filename: str, *, format_id: str = "OpenEXRFormat", start: int = 1001,
          length: int = 100, indent: str = "\t\t\t\t") -> str:
    fields = [
        f'ID = "{clip_id}"', f'Filename = "{filename}"', f'FormatID = "{format_id}"', f"StartFrame = {start}",
        "LengthSetManually = true", "TrimIn = 0", f"TrimOut = {max(length - 1, 0)}", "ExtendFirst = 0",
        "ExtendLast = 0", "Loop = 0", "AspectMode = 0", "Depth = 0", "TimeCode = 0", "GlobalStart = 1001",
        f"GlobalEnd = {1000 + max(length, 1)}",
    ]
    inner = indent + "\t"
    return f"{indent}Clip {{\n" + ",\n".join(inner + field for field in fields) + f"\n{indent}}}"


def fusion_loader(name: str, *clips: str, extra: str = "", indent: str = "\t\t") -> str:
    """A Loader tool; `clips` are Clip tables from `fusion_clip`, `extra` lines go before Inputs."""
    inner = indent + "\t"
    return (
        f"{indent}{name} = Loader {{\n"
        f"{inner}Clips = {{\n" + ",\n".join(clips) + f"\n{inner}}},\n"
        f"{extra}"
        f"{inner}CtrlWZoom = false,\n"
        f"{inner}Inputs = {{\n"
        f'{inner}\t["Gamut.SLogVersion"] = Input {{ Value = FuID {{ "SLog2" }}, }},\n'
        f'{inner}\t["Clip1.OpenEXRFormat.RedName"] = Input {{ Value = FuID {{ "R" }}, }},\n'
        f'{inner}\t["Clip1.OpenEXRFormat.GreenName"] = Input {{ Value = FuID {{ "G" }}, }},\n'
        f'{inner}\t["Clip1.OpenEXRFormat.BlueName"] = Input {{ Value = FuID {{ "B" }}, }},\n'
        f'{inner}\t["Clip1.OpenEXRFormat.AlphaName"] = Input {{ Value = FuID {{ "A" }}, }},\n'
        f"{inner}}},\n"
        f"{inner}ViewInfo = OperatorInfo {{ Pos = {{ 110, 49.5 }} }},\n"
        f"{indent}}},\n"
    )


def fusion_saver(name: str, filename: str, *, format_id: str = "OpenEXRFormat", source: str = "Merge1",
                 clip_extra: str = "", extra: str = "") -> str:
    return (
        f"\t\t{name} = Saver {{\n"
        f"{extra}"
        f"\t\t\tCtrlWZoom = false,\n"
        f"\t\t\tInputs = {{\n"
        f"\t\t\t\tProcessWhenBlendIs00 = Input {{ Value = 0, }},\n"
        f"\t\t\t\tClip = Input {{\n"
        f"\t\t\t\t\tValue = Clip {{\n"
        f'\t\t\t\t\t\tFilename = "{filename}",\n'
        f'\t\t\t\t\t\tFormatID = "{format_id}",\n'
        f"\t\t\t\t\t\tLength = 0,\n"
        f"\t\t\t\t\t\tSaving = true,\n"
        f"\t\t\t\t\t\tTrimIn = 0,\n"
        f"\t\t\t\t\t\tExtendFirst = 0,\n"
        f"\t\t\t\t\t\tExtendLast = 0,\n"
        f"\t\t\t\t\t\tLoop = 1,\n"
        f"\t\t\t\t\t\tAspectMode = 0,\n"
        f"\t\t\t\t\t\tDepth = 0,\n"
        f"\t\t\t\t\t\tTimeCode = 0,\n"
        f"\t\t\t\t\t\tGlobalStart = -2000000000,\n"
        f"\t\t\t\t\t\tGlobalEnd = 0\n"
        f"\t\t\t\t\t}},\n"
        f"{clip_extra}"
        f"\t\t\t\t}},\n"
        f'\t\t\t\tOutputFormat = Input {{ Value = FuID {{ "{format_id}" }}, }},\n'
        f'\t\t\t\t["Gamut.SLogVersion"] = Input {{ Value = FuID {{ "SLog2" }}, }},\n'
        f'\t\t\t\t["OpenEXRFormat.Depth"] = Input {{ Value = 1, }},\n'
        f'\t\t\t\tInput = Input {{\n\t\t\t\t\tSourceOp = "{source}",\n\t\t\t\t\tSource = "Output",\n\t\t\t\t}},\n'
        f"\t\t\t}},\n"
        f"\t\t\tViewInfo = OperatorInfo {{ Pos = {{ 440, 49.5 }} }},\n"
        f"\t\t}},\n"
    )


_FUSION_OTHER_TOOLS = """\t\tMerge1 = Merge {
\t\t\tInputs = {
\t\t\t\tBackground = Input {
\t\t\t\t\tSourceOp = "Loader_Plate",
\t\t\t\t\tSource = "Output",
\t\t\t\t},
\t\t\t\tForeground = Input {
\t\t\t\t\tSourceOp = "Loader_SkyGen",
\t\t\t\t\tSource = "Output",
\t\t\t\t},
\t\t\t\tPerformDepthMerge = Input { Value = 0, },
\t\t\t},
\t\t\tViewInfo = OperatorInfo { Pos = { 275, 49.5 } },
\t\t},
\t\tTransform1_1 = Transform {
\t\t\tCustomData = {
\t\t\t\tSettings = {
\t\t\t\t\t[1] = {
\t\t\t\t\t\tTools = ordered() {
\t\t\t\t\t\t\tLoader_Stored = Loader {
\t\t\t\t\t\t\t\tClips = { Clip { ID = "Clip1", Filename = "/mnt/stored/setting/not_live.0001.exr", }, },
\t\t\t\t\t\t\t\tName = "Loader_Stored",
\t\t\t\t\t\t\t\tCtrlWZoom = false,
\t\t\t\t\t\t\t\tViewInfo = OperatorInfo { Pos = { 367, 54 } },
\t\t\t\t\t\t\t}
\t\t\t\t\t\t}
\t\t\t\t\t},
\t\t\t\t}
\t\t\t},
\t\t\tInputs = {
\t\t\t\tFlipHoriz = Input { Value = 1, },
\t\t\t\tInput = Input {
\t\t\t\t\tSourceOp = "Merge1",
\t\t\t\t\tSource = "Output",
\t\t\t\t},
\t\t\t},
\t\t\tViewInfo = OperatorInfo { Pos = { 385, 49.5 } },
\t\t},
\t\tColorCurves2 = ColorCurves {
\t\t\tPickColor = true,
\t\t\tInputs = {
\t\t\t\tRed = Input {
\t\t\t\t\tSourceOp = "ColorCurves2Red",
\t\t\t\t\tSource = "Value",
\t\t\t\t},
\t\t\t\tComments = Input { Value = "sky {warmer} -- see \\"notes\\"\\nLoader = Loader {", },
\t\t\t\tInput = Input {
\t\t\t\t\tSourceOp = "Transform1_1",
\t\t\t\t\tSource = "Output",
\t\t\t\t},
\t\t\t},
\t\t\tViewInfo = OperatorInfo { Pos = { 495, 49.5 } },
\t\t\tTools = {
\t\t\t\tColorCurves2Red = LUTBezier {
\t\t\t\t\tKeyColorSplines = {
\t\t\t\t\t\t[0] = {
\t\t\t\t\t\t\t[0] = { 0, RH = { 0.0615873196687432, 0.0558262533965879 }, Flags = { Linear = true } },
\t\t\t\t\t\t\t[1] = { 1, LH = { 0.869994058229352, 0.883831781870998 }, Flags = { Linear = true } }
\t\t\t\t\t\t}
\t\t\t\t\t},
\t\t\t\t\tSplineColor = { Red = 255, Green = 52, Blue = 52 },
\t\t\t\t\tNameSet = true,
\t\t\t\t},
\t\t\t},
\t\t},
"""

_FUSION_GROUP = """\t\tDust_Group = GroupOperator {
\t\t\tCtrlWZoom = false,
\t\t\tInputs = ordered() {
\t\t\t\tInput1 = InstanceInput {
\t\t\t\t\tSourceOp = "Blur1",
\t\t\t\t\tSource = "Input",
\t\t\t\t},
\t\t\t},
\t\t\tOutputs = {
\t\t\t\tOutput1 = InstanceOutput {
\t\t\t\t\tSourceOp = "Blur1",
\t\t\t\t\tSource = "Output",
\t\t\t\t}
\t\t\t},
\t\t\tViewInfo = GroupInfo {
\t\t\t\tPos = { 605, 49.5 },
\t\t\t\tFlags = {
\t\t\t\t\tAllowPan = false,
\t\t\t\t\tAutoSnap = true,
\t\t\t\t\tRemoveRouters = true
\t\t\t\t},
\t\t\t\tSize = { 456, 164.3, 228, 24.2424 },
\t\t\t\tDirection = "Horizontal",
\t\t\t\tPipeStyle = "Direct",
\t\t\t\tScale = 1,
\t\t\t\tOffset = { 0, 0 }
\t\t\t},
\t\t\tTools = ordered() {
""" + fusion_loader(
    "Loader_Dust", fusion_clip("Clip1", "//filer01/library/dust/staub_überlagerung.0001.exr", start=1, indent="\t\t\t\t\t\t"),
    indent="\t\t\t\t") + """\t\t\t\tBlur1 = Blur {
\t\t\t\t\tInputs = {
\t\t\t\t\t\tXBlurSize = Input { Value = 2.5, },
\t\t\t\t\t\tInput = Input { SourceOp = "Loader_Dust", Source = "Output", },
\t\t\t\t\t},
\t\t\t\t\tViewInfo = OperatorInfo { Pos = { 0, 9.09091 } },
\t\t\t\t},
\t\t\t\tOld_Group = GroupOperator {
\t\t\t\t\tTools = ordered() {
""" + fusion_loader(
    "Loader_Deep", fusion_clip("Clip1", "/mnt/projects/nightfall/shots/sh020/genai/old_fog.1001.exr",
                         indent="\t\t\t\t\t\t\t\t"), indent="\t\t\t\t\t\t") + """\t\t\t\t\t},
\t\t\t\t\tPassThrough = true,
\t\t\t\t\tViewInfo = GroupInfo { Pos = { 110, 9.09091 } },
\t\t\t\t},
\t\t\t},
\t\t},
"""

_FUSION_FOOTER = """\t},
\tFrames = {
\t\t{
\t\t\tFrameTypeID = "ChildFrame",
\t\t\tMode = 3,
\t\t\tLayoutPreset = 0,
\t\t\tPresetName = "Default",
\t\t\tLeft = 0,
\t\t\tTop = 27,
\t\t\tWidth = 1920,
\t\t\tHeight = 1026,
\t\t\tViewInfo = {
\t\t\t\tViewer1 = { Show = true, RatioY = 1, RatioX = 0.683823529411765, },
\t\t\t\tClips = { Show = false, },
\t\t\t},
\t\t\tViews = ordered() {
\t\t\t\tNodes = MultiView {
\t\t\t\t\tActive = "FlowView",
\t\t\t\t\tViewList = ordered() {
\t\t\t\t\t\tFlowView = "FlowView"
\t\t\t\t\t},
\t\t\t\t},
\t\t\t},
\t\t}
\t},
\tPrefs = {
\t\tComp = {
\t\t\tAutoSave = {
\t\t\t\tDelay = 300,
\t\t\t\tOnRender = true
\t\t\t},
\t\t\tPaths = {
\t\t\t\tMap = {
\t\t\t\t\t["Shots:"] = "/mnt/projects/nightfall/shots"
\t\t\t\t}
\t\t\t},
\t\t\tFrameFormat = {
\t\t\t\tRate = 24,
\t\t\t\tWidth = 4096,
\t\t\t\tHeight = 2160,
\t\t\t},
\t\t}
\t},
}
"""

_SAVER_EXPRESSION = (
    '\t\t\t\t\tExpression = "comp:MapPath(\'Comp:/\')..\'../renders/\'..comp:GetAttrs().COMPS_Name..\'.0000.exr\'",\n'
)


def fusion_comp() -> str:
    """sh020_comp_v004.comp as Fusion Studio 18.6 saves it."""
    tools = (
        fusion_loader("Loader_Plate", fusion_clip("Clip1", "/mnt/projects/nightfall/shots/sh020/plates/sh020_bg_v001.1001.exr"))
        + fusion_loader(
            "Loader_SkyGen",
            fusion_clip("Clip1", "Comp:/../genai/sky/sh020_sky_gen_v002.0001.exr", start=1),
            fusion_clip("Clip2", "C:\\\\Users\\\\Mara Lindqvist\\\\genai\\\\sky wide\\\\sky_wide.0001.exr", start=1),
        )
        + fusion_loader("Loader_Logo", fusion_clip("Clip1", "Comp:/elements/studio_logo_2024.png", format_id="PNGFormat",
                                             start=-1, length=1))
        + fusion_loader("Loader_Old", fusion_clip("Clip1", "\\\\\\\\filer01\\\\nightfall\\\\ingest\\\\sh020\\\\old_plate.0001.exr",
                                            start=1), extra="\t\t\tPassThrough = true,\n")
        + fusion_loader("Loader_Temp", fusion_clip("Clip1", "Temp:/denoise/sh020_denoise.0001.exr", start=1))
        + _FUSION_OTHER_TOOLS
        + _FUSION_GROUP
        + fusion_saver("Saver_Final", "Comp:/../renders/sh020_comp_v004.0000.exr", source="ColorCurves2")
        + fusion_saver("Saver_Review", "/mnt/projects/nightfall/review/sh020_comp_v004.mov",
                       format_id="QuickTimeMovies", source="ColorCurves2")
        + fusion_saver("Saver_Matte", "Comp:/../renders/sh020_matte.exr", source="Merge1")
        + fusion_saver("Saver_Expr", "Comp:/../renders/fallback.0000.exr", clip_extra=_SAVER_EXPRESSION)
        + fusion_saver("Saver_Preview", "Temp:/sh020_preview.jpg", format_id="JpegFormat")
    )
    return FUSION_HEADER + "\tTools = {\n" + tools + _FUSION_FOOTER


RESOLVE_COMP = """Composition {
\tCurrentTime = 0,
\tRenderRange = { 0, 95 },
\tGlobalRange = { 0, 95 },
\tCurrentID = 4,
\tPlaybackUpdateMode = 0,
\tVersion = "DaVinci Resolve Studio 18.6.4 build 6",
\tSavedOutputs = 0,
\tHeldTools = 0,
\tDisabledTools = 0,
\tLockedTools = 0,
\tAudioOffset = 0,
\tResumable = true,
\tOutputClips = {
\t},
\tTools = {
\t\tMediaIn1 = MediaIn {
\t\t\tExtentSet = true,
\t\t\tCustomData = {
\t\t\t\tMediaProps = {
\t\t\t\t\tMEDIA_BATCH = "",
\t\t\t\t\tMEDIA_DEPTH = 3,
\t\t\t\t\tMEDIA_FORMAT_TYPE = "QuickTime",
\t\t\t\t\tMEDIA_HEIGHT = 2160,
\t\t\t\t\tMEDIA_LAYER_DESC = {
\t\t\t\t\t},
\t\t\t\t\tMEDIA_MARK_IN = 0,
\t\t\t\t\tMEDIA_MARK_OUT = 95,
\t\t\t\t\tMEDIA_NAME = "A003_C012_0915XY.mov",
\t\t\t\t\tMEDIA_NUM_FRAMES = 96,
\t\t\t\t\tMEDIA_PATH = "/Volumes/NIGHTFALL_RAID/ocf/A003/A003_C012_0915XY.mov",
\t\t\t\t\tMEDIA_SRC_FRAME_RATE = 24,
\t\t\t\t\tMEDIA_START = 0,
\t\t\t\t\tMEDIA_WIDTH = 4096
\t\t\t\t}
\t\t\t},
\t\t\tInputs = {
\t\t\t\tGlobalOut = Input { Value = 95, },
\t\t\t\tGlobalIn = Input { Value = 0, },
\t\t\t\tMediaID = Input { Value = "9b1c2f1e-4a7d-4c55-9d0e-1f2a3b4c5d6e", },
\t\t\t\tAudioTrack = Input { Value = FuID { "Timeline" }, },
\t\t\t\tLayer = Input { Value = "0", },
\t\t\t\tClipTimeEnd = Input { Value = 95, },
\t\t\t},
\t\t\tViewInfo = OperatorInfo { Pos = { 0, 10.5 } },
\t\t},
\t\tMediaIn2 = MediaIn {
\t\t\tCustomData = { MediaProps = { MEDIA_NAME = "sky_gen_[1001-1096].exr", MEDIA_PATH = "/Volumes/NIGHTFALL_RAID/vfx/sh030/sky_gen_[1001-1096].exr", MEDIA_NUM_FRAMES = 96, }, },
\t\t\tViewInfo = OperatorInfo { Pos = { 0, 43.5 } },
\t\t},
\t\tMediaOut1 = MediaOut {
\t\t\tInputs = {
\t\t\t\tIndex = Input { Value = "0", },
\t\t\t\tInput = Input {
\t\t\t\t\tSourceOp = "MediaIn1",
\t\t\t\t\tSource = "Output",
\t\t\t\t},
\t\t\t},
\t\t\tViewInfo = OperatorInfo { Pos = { 220, 10.5 } },
\t\t}
\t}
}
"""


def fusion_big_comp(tools: int) -> str:
    """`tools` tools as a long comp has them: every tenth a Loader, every fortieth a Saver."""
    parts = [FUSION_HEADER, "\tTools = {\n"]
    for index in range(tools):
        kind = index % 40
        if kind % 10 == 0:
            parts.append(
                f"\t\tL{index} = Loader {{\n\t\t\tClips = {{ Clip {{ ID = \"Clip1\", "
                f"Filename = \"Comp:/p/{index}.1001.exr\", StartFrame = 1001, }}, }},\n"
                f"\t\t\tViewInfo = OperatorInfo {{ Pos = {{ {index}, 0 }} }},\n\t\t}},\n")
        elif kind == 5:
            parts.append(
                f"\t\tS{index} = Saver {{\n\t\t\tInputs = {{\n"
                f"\t\t\t\tClip = Input {{ Value = Clip {{ Filename = \"Comp:/r/{index}.0000.exr\", }}, }},\n"
                f"\t\t\t\tInput = Input {{ SourceOp = \"M{index - 1}\", Source = \"Output\", }},\n\t\t\t}},\n\t\t}},\n")
        else:
            parts.append(
                f"\t\tM{index} = Merge {{\n\t\t\tInputs = {{ Background = Input {{ SourceOp = \"L{index - 1}\", "
                f"Source = \"Output\", }}, }},\n\t\t\tViewInfo = OperatorInfo {{ Pos = {{ {index}, 33 }} }},\n\t\t}},\n")
    parts.append("\t},\n}\n")
    return "".join(parts)
