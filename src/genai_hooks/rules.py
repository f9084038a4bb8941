"""The rule catalogue: stable ids, names, default severities, the guidance each serves, and fixes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .findings import Severity

PRINCIPLES: Mapping[int, str] = {
    0: "Every rule depends on manifests that can be read.",
    1: "Principle 1: outputs must not replicate unowned or copyrighted material.",
    2: "Principle 2: use only tools that do not store, reuse or train on production inputs or outputs.",
    3: "Principle 3: use tools in an enterprise-secured environment where possible.",
    4: "Principle 4: generated material is temporary, not part of the final deliverables.",
    5: "Principle 5: do not replace or generate talent performances or union-covered work without consent.",
    6: "Share intended GenAI use with the Netflix contact; get written approval for final deliverables, "
    "talent likeness, personal data or third-party IP.",
}


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    default: Severity
    principles: tuple[int, ...]  # numbers in PRINCIPLES
    summary: str  # one line: what fires
    why: str
    fix: str  # one-line fix, also printed under each finding
    example: str  # a genai.toml fragment or a situation

    @property
    def principle_text(self) -> str:
        return " ".join(PRINCIPLES[p] for p in self.principles)


_CATALOGUE = (
    Rule("GAI001", "invalid-manifest", Severity.ERROR, (0,),
         "A genai.toml cannot be read, parsed or validated.",
         "A manifest that cannot be read declares nothing, so every file it should govern would be "
         "judged blind. This rule cannot be turned off.",
         "Correct the manifest at the line shown; `genai-hooks schema` gives editors completion.",
         '[tools.firefly]\nvendr = "Adobe"   # GAI001: unknown key \'vendr\', did you mean \'vendor\'?'),
    Rule("GAI101", "tool-may-train", Severity.ERROR, (2,),
         "A tool does not declare `trains_on_inputs = false`.",
         "A tool that may train on production inputs or outputs can leak the production's material "
         "into a model used by others.",
         "Set `trains_on_inputs = false` once the contract says so, or stop using the tool.",
         '[tools.firefly]\nvendor = "Adobe"\ntrains_on_inputs = false'),
    Rule("GAI102", "tool-may-retain", Severity.ERROR, (2,),
         "A tool does not declare `retains_inputs = false`.",
         "A tool that stores or reuses production inputs keeps the production's material outside "
         "its control.",
         "Set `retains_inputs = false` once the contract says so, or stop using the tool.",
         '[tools.firefly]\nvendor = "Adobe"\nretains_inputs = false'),
    Rule("GAI103", "tool-not-enterprise", Severity.WARNING, (3,),
         "A tool's `environment` is `consumer` or absent.",
         "Consumer tiers rarely carry the contractual protections of an enterprise tenant.",
         'Use an enterprise or on-premises deployment and set `environment = "enterprise"`.',
         '[tools.firefly]\nenvironment = "enterprise"   # enterprise | on-premises | consumer'),
    Rule("GAI104", "tool-terms-unreviewed", Severity.WARNING, (2, 3),
         "A tool has no `terms`.",
         "The no-training and no-retention claims are only as good as the contract behind them.",
         "Name the reviewed contract or terms in `terms = \"...\"`.",
         '[tools.firefly]\nterms = "Adobe ETLA 2025 s.4"'),
    Rule("GAI105", "tool-not-disclosed", Severity.WARNING, (6,),
         "A tool has no `disclosed` date.",
         "The guidance asks partners to share intended GenAI use with their Netflix contact.",
         "Tell the production's contact about the tool and record the date in `disclosed = YYYY-MM-DD`.",
         "[tools.firefly]\ndisclosed = 2025-09-02"),
    Rule("GAI106", "unknown-tool", Severity.ERROR, (2,),
         "A `[[generated]]` entry names a tool not declared in its chain.",
         "A tool nobody declared has had none of its attestations checked.",
         "Declare the tool in a `[tools.ID]` table of this manifest or one above it, or fix the id.",
         '[[generated]]\npaths = ["previs/**"]\ntool = "firefly"   # needs [tools.firefly] in the chain'),
    Rule("GAI107", "tool-not-vetted", Severity.ERROR, (2, 3),
         "An entry's tool is declared in a nested manifest, and the root does not let nested manifests vet tools.",
         "A tool's attestations (no training, no retention, an enterprise tenant) are the production's promise "
         "to the studio; declared in a shot's manifest, they are attested by the artist who wants the tool.",
         "Ask production to declare the tool in the root manifest, or set `[policy] nested_tools = true` in the "
         "root if the production lets departments vet their own tools.",
         "# shots/sq010/genai.toml\n[tools.mytool]     # GAI107 for every entry using it,\n"
         "vendor = \"Acme\"   # unless the root sets [policy] nested_tools = true"),
    Rule("GAI201", "deliverable-without-approval", Severity.ERROR, (4, 6),
         "A generated file is in a deliverable path and its entry has no approval.",
         "Generated material is meant to stay temporary; in a final deliverable it needs written approval.",
         "Keep the file out of deliverable paths, or add `approval = \"<id>\"` to its [[generated]] entry "
         "once written approval is granted.",
         '[[generated]]\npaths = ["deliverables/sh020/sky/**"]\ntool = "firefly"\napproval = "NFX-GAI-0042"'),
    Rule("GAI202", "sensitive-use-without-approval", Severity.ERROR, (1, 5, 6),
         "An entry lists `sensitive` categories and has no approval.",
         "Talent likeness, personal data, third-party IP, union work and key creative elements need "
         "written approval before work proceeds.",
         "Get written approval and add `approval = \"<id>\"` to the entry.",
         '[[generated]]\npaths = ["shots/sq020/**"]\ntool = "firefly"\nsensitive = ["talent-likeness"]\n'
         'approval = "NFX-GAI-0051"'),
    Rule("GAI203", "approval-unresolved", Severity.ERROR, (6,),
         "An approval id breaks `approval_pattern`, or the root keeps a register and the id is not in it.",
         "An approval that cannot be traced to a written grant is no approval.",
         "Cite the id exactly as granted, and add it to the root manifest's [[approvals]] register.",
         '[[approvals]]\nid = "NFX-GAI-0042"\ncovers = ["final-deliverable"]\n'
         'granted_by = "Netflix Production Legal"\ndate = 2025-09-10'),
    Rule("GAI204", "approval-insufficient", Severity.ERROR, (6,),
         "A cited approval has expired, or the approvals cited do not cover every category the file needs.",
         "Approval is given for specific uses and for a time; using it beyond them is using GenAI unapproved.",
         "Renew the approval or extend what it `covers` (final-deliverable and each sensitive category).",
         '[[approvals]]\nid = "NFX-GAI-0042"\ncovers = ["final-deliverable", "third-party-ip"]\n'
         "expires = 2026-09-10"),
    Rule("GAI205", "declaration-withdrawn", Severity.ERROR, (4, 6),
         "In a change, a file declared generated at the base is still there and no entry declares it now, "
         "or it lost a `sensitive` category (a warning when its content changed too).",
         "A declaration records how content was made; deleting it does not change the content. Withdrawn while "
         "the file stays, generated material leaves the disclosure report and the deliverable checks.",
         "Restore the [[generated]] entry (with its sensitive categories); to withdraw it, replace or remove "
         "the generated file in the same change.",
         "git rm shots/sq010/genai.toml   # its frames stay: GAI205 on each, naming the withdrawn entry"),
    Rule("GAI206", "policy-weakened", Severity.WARNING, (6,),
         "In a change, the production's rules become weaker: severities lowered or off, `metadata = false`, "
         "`[detect] ignore`, `nested_tools` or deliverable paths removed, or a new root above existing manifests.",
         "The root manifest is the production's policy; a change that loosens it should be seen by production "
         "and legal, not slip through with a shot's frames.",
         "Have production and legal review the change (CODEOWNERS on genai.toml), or revert it.",
         '[policy]\nseverity = { GAI301 = "off" }   # GAI206 in the change that adds it'),
    Rule("GAI208", "derived-deliverable-without-approval", Severity.ERROR, (4, 6),
         "A deliverable file is written by a compositing script that reads generated media, and no entry "
         "with an approval covering `final-deliverable` declares it.",
         "A comp built on a generated element carries that element into the final picture; declaring the "
         "element honestly must not be what lets the comp pass unseen.",
         "Declare the comp's output in a [[generated]] entry with an approval covering final-deliverable, or "
         "rebuild it without the generated element.",
         "comp/sh020.nk reads sky/gen.####.exr (declared generated) and writes deliverables/sh020/comp.####.exr"),
    Rule("GAI301", "undeclared-generated-media", Severity.ERROR, (4, 6),
         "A file's embedded metadata says generative AI made it and no entry declares it.",
         "Generators stamp their output; a stamped file nobody declared is GenAI use nobody reviewed.",
         "Declare the file in a [[generated]] entry with the tool that made it, or replace it.",
         '[[generated]]\npaths = ["shots/sq010/sh010/previs/**"]\ntool = "firefly"'),
    Rule("GAI302", "timeline-uses-generated-media", Severity.ERROR, (4, 6),
         "A deliverable timeline references generated media not approved for `final-deliverable`.",
         "Generated material reaches final deliverables through the conform, even when the media sits "
         "in a work folder.",
         "Replace the clip, or get an approval that covers `final-deliverable` for the media's entry.",
         "editorial/locked/reel1.edl cuts in shots/sq010/sh010/previs/frame.png, which is declared generated."),
    Rule("GAI303", "uninspected-content", Severity.WARNING, (4,),
         "A selected file's content could not be inspected.",
         "A file that could not be read cannot be called clean: an absent LFS object or an unreadable "
         "timeline may hide generated media.",
         "Fetch the content (`git lfs pull`) or repair the file, and run again.",
         "plates/sh010.exr is an LFS pointer whose object is not in .git/lfs/objects."),
    Rule("GAI304", "deliverable-timeline-unreadable", Severity.ERROR, (4, 6),
         "A deliverable timeline cannot be read completely and safely, so its clips cannot be cleared.",
         "An unread cut may hold generated clips; a gate that passes what it could not read is no gate.",
         "Repair or re-export the timeline (and check [editorial] rate for EDLs), then run again.",
         "editorial/locked/reel1.edl has an event line the CMX 3600 reader rejects."),
    Rule("GAI305", "timeline-media-unmapped", Severity.WARNING, (4,),
         "A deliverable timeline has media references that cannot be mapped into the repository.",
         "A clip whose media cannot be found in the repository cannot be checked for generated material.",
         "Add an [editorial] path_map prefix for the facility paths, or commit the media the cut uses.",
         '[editorial]\npath_map = { "/mnt/projects/nightfall/" = "" }'),
    Rule("GAI401", "stale-generated-entry", Severity.WARNING, (6,),
         "In a full audit, an entry's patterns match no file.",
         "A declaration that matches nothing hides mistakes in patterns and makes the disclosure report untrue.",
         "Fix the entry's paths or remove the entry.",
         '[[generated]]\npaths = ["shots/sq010/sh999/**"]   # no such files'),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _CATALOGUE}
