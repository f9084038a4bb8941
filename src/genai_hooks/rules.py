"""The rule catalogue: stable ids, names, default severities, the guidance each serves, and fixes."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from .findings import Severity

GUIDANCE = 'Netflix partner guidance "Using Generative AI in Content Production", August 2025'


@dataclass(frozen=True)
class Clause:
    """One clause of the guidance, paraphrased; `id` is stable (SARIF tags, docs anchors)."""

    id: str
    title: str  # where it sits in the guidance: "Principle 2", "Data use", ...; or the law or agreement
    text: str
    law: bool = False  # a law or a collective agreement the production answers to, not the guidance itself


CLAUSES: Mapping[str, Clause] = {clause.id: clause for clause in (
    Clause("principle-1", "Principle 1",
           "outputs do not replicate or substantially recreate identifiable characteristics of unowned or "
           "copyrighted material."),
    Clause("principle-2", "Principle 2",
           "the tools used do not store, reuse or train on production data inputs or outputs."),
    Clause("principle-3", "Principle 3",
           "where possible, tools are used in an enterprise-secured environment to safeguard inputs."),
    Clause("principle-4", "Principle 4",
           "generated material is temporary and not part of the final deliverables."),
    Clause("principle-5", "Principle 5",
           "GenAI does not replace or generate talent performances or union-covered work without consent."),
    Clause("disclosure", "Reporting",
           "share every intended GenAI use, and the tools behind it, with the Netflix contact."),
    Clause("written-approval", "Written approval",
           "it is needed before proceeding when the output involves final deliverables, talent likeness, "
           "personal data or third-party IP."),
    Clause("data-use", "Data use",
           "production material (unreleased assets, scripts, footage), personal data and third-party IP go into "
           "a tool only with clearance, and only into a tool secured not to keep or learn from them."),
    Clause("training", "Data use (training)",
           "training or fine-tuning a model on talent or third-party material needs the rights and the consent "
           "to do so, and its scope approved."),
    Clause("creative-output", "Creative output",
           "generating key creative elements (main characters, central designs) or referencing copyrighted "
           "work needs approval."),
    Clause("talent-consent", "Talent and performance",
           "digital replicas and alterations of a performance, and union-covered work, need the documented "
           "consent of the people concerned and respect for union agreements."),
    Clause("audience-trust", "Ethics and representation",
           "audiences should be able to trust what they see and hear: generated material must not be mistaken "
           "for real events, people or archival record."),
    Clause("sag-aftra-2026", "SAG-AFTRA 2026 agreements; California AB 2602 and AB 1836",
           "a digital replica needs the performer's informed consent with a reasonably specific description of its "
           "intended uses, given with the performer represented by counsel or the union (AB 2602); a deceased "
           "performer's replica needs the consent of the estate (AB 1836); a synthetic performer in a human role is "
           "notified to the union.", law=True),
    Clause("eu-ai-act-50-4", "EU AI Act, Art. 50(4) (from 2 August 2026)",
           "deployers who make image, audio or video content that is a deepfake (it resembles existing people, "
           "places or events and would falsely appear real) disclose that it was artificially generated or "
           "manipulated; for evidently artistic or fictional work, in a way that does not hamper its enjoyment.",
           law=True),
    Clause("wga", "WGA Minimum Basic Agreement (AI terms)",
           "writers' literary material is not to be used to train AI or fed to it without the clearance the guild's "
           "terms call for.", law=True),
    Clause("tdm-opt-out", "EU DSM Directive Art. 4(3); AI Act Art. 53(1)(c)",
           "a rights holder's machine-readable reservation against text and data mining (AI training) is "
           "respected.", law=True),
    Clause("eu-ai-act-50-2", "EU AI Act, Art. 50(2)",
           "outputs of generative AI are marked in a machine-readable format and detectable as artificially "
           "generated (C2PA Content Credentials, IPTC digital source types).", law=True),
)}


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    default: Severity
    clauses: tuple[str, ...]  # ids in CLAUSES: what of the guidance this rule serves
    summary: str  # one line: what fires
    why: str
    fix: str  # one-line fix, also printed under each finding
    example: str  # a genai.toml fragment or a situation

    @property
    def principles(self) -> tuple[int, ...]:
        """The numbers of the guiding principles among its clauses (SARIF tags them principle-N)."""
        return tuple(int(c.rpartition("-")[2]) for c in self.clauses if c.startswith("principle-"))

    @property
    def guidance(self) -> tuple[Clause, ...]:
        """The clauses of the guidance it serves."""
        return tuple(CLAUSES[c] for c in self.clauses if not CLAUSES[c].law)

    @property
    def law(self) -> tuple[Clause, ...]:
        """The laws and agreements it serves."""
        return tuple(CLAUSES[c] for c in self.clauses if CLAUSES[c].law)

    @property
    def principle_text(self) -> str:
        """The clauses it serves, a sentence each: 'Principle 4: Generated material is ... Written approval: ...'."""
        return " ".join(f"{c.title}: {c.text[:1].upper()}{c.text[1:]}" for c in self.guidance + self.law)


_CATALOGUE = (
    Rule("GAI001", "invalid-manifest", Severity.ERROR, ("disclosure",),
         "A genai.toml cannot be read, parsed or validated.",
         "A manifest that cannot be read declares nothing: the production's disclosure of its GenAI use is "
         "missing, and every file it should govern would be judged blind. This rule cannot be turned off.",
         "Correct the manifest at the line shown; `genai-hooks schema` gives editors completion.",
         '[tools.firefly]\nvendr = "Adobe"   # GAI001: unknown key \'vendr\', did you mean \'vendor\'?'),
    Rule("GAI002", "production-incomplete", Severity.WARNING, ("disclosure",),
         "The root manifest's `[production] title` or `contact` is empty or missing.",
         "The guidance asks first of all that GenAI use be shared with the production's studio contact; a "
         "manifest that names no production and no contact records no one it was shared with, and the "
         "disclosure report has no one to address.",
         'Fill in `title = "..."` and `contact = "..."` (who at the studio is told of GenAI use) in the root '
         "manifest's [production] table.",
         '[production]\ntitle = "Nightfall S1"\ncontact = "jane.doe@example.com"   # the studio contact'),
    Rule("GAI101", "tool-may-train", Severity.ERROR, ("principle-2",),
         "A tool does not declare `trains_on_inputs = false`.",
         "A tool that may train on production inputs or outputs can leak the production's material "
         "into a model used by others.",
         "Set `trains_on_inputs = false` once the contract says so, or stop using the tool.",
         '[tools.firefly]\nvendor = "Adobe"\ntrains_on_inputs = false'),
    Rule("GAI102", "tool-may-retain", Severity.ERROR, ("principle-2",),
         "A tool does not declare `retains_inputs = false`.",
         "A tool that stores or reuses production inputs keeps the production's material outside "
         "its control.",
         "Set `retains_inputs = false` once the contract says so, or stop using the tool.",
         '[tools.firefly]\nvendor = "Adobe"\nretains_inputs = false'),
    Rule("GAI103", "tool-not-enterprise", Severity.WARNING, ("principle-3",),
         "A tool's `environment` is `consumer` or absent.",
         "Consumer tiers rarely carry the contractual protections of an enterprise tenant.",
         'Use an enterprise or on-premises deployment and set `environment = "enterprise"`.',
         '[tools.firefly]\nenvironment = "enterprise"   # enterprise | on-premises | consumer'),
    Rule("GAI104", "tool-terms-unreviewed", Severity.WARNING, ("principle-2", "principle-3"),
         "A tool has no `terms`.",
         "The no-training and no-retention claims are only as good as the contract behind them.",
         "Name the reviewed contract or terms in `terms = \"...\"`.",
         '[tools.firefly]\nterms = "Adobe ETLA 2025 s.4"'),
    Rule("GAI105", "tool-not-disclosed", Severity.WARNING, ("disclosure",),
         "A tool has no `disclosed` date.",
         "The guidance asks partners to share intended GenAI use with their Netflix contact.",
         "Tell the production's contact about the tool and record the date in `disclosed = YYYY-MM-DD`.",
         "[tools.firefly]\ndisclosed = 2025-09-02"),
    Rule("GAI106", "unknown-tool", Severity.ERROR, ("principle-2", "disclosure"),
         "A `[[generated]]` entry names a tool not declared in its chain.",
         "A tool nobody declared has had none of its attestations checked.",
         "Declare the tool in a `[tools.ID]` table of this manifest or one above it, or fix the id.",
         '[[generated]]\npaths = ["previs/**"]\ntool = "firefly"   # needs [tools.firefly] in the chain'),
    Rule("GAI107", "tool-not-vetted", Severity.ERROR, ("principle-2", "principle-3"),
         "An entry's tool is declared in a nested manifest, and the root does not let nested manifests vet tools.",
         "A tool's attestations (no training, no retention, an enterprise tenant) are the production's promise "
         "to the studio; declared in a shot's manifest, they are attested by the artist who wants the tool.",
         "Ask production to declare the tool in the root manifest, or set `[policy] nested_tools = true` in the "
         "root if the production lets departments vet their own tools.",
         "# shots/sq010/genai.toml\n[tools.mytool]     # GAI107 for every entry using it,\n"
         "vendor = \"Acme\"   # unless the root sets [policy] nested_tools = true"),
    Rule("GAI108", "protected-inputs-to-unsafe-tool", Severity.ERROR, ("data-use", "principle-3"),
         "An entry's `inputs` name a protected category and its tool's `environment` is not `enterprise` or "
         "`on-premises`.",
         "Production material, personal data, third-party IP and talent material fed to a consumer tool leave "
         "the production's control: the tool's owner may keep them, read them or learn from them.",
         "Run the tool in an enterprise or on-premises deployment (and say so in `environment`), or keep the "
         "protected material out of it.",
         '[tools.mj]\nvendor = "Midjourney"\nenvironment = "consumer"\n\n[[generated]]\npaths = ["previs/**"]\n'
         'tool = "mj"\ninputs = ["production-material"]   # GAI108: the script pages went to a consumer tool'),
    Rule("GAI201", "deliverable-without-approval", Severity.ERROR, ("principle-4", "written-approval"),
         "A generated file is in a deliverable path and its entry has no approval.",
         "Generated material is meant to stay temporary; in a final deliverable it needs written approval.",
         "Keep the file out of deliverable paths, or, once written approval is granted, add `approval = \"<id>\"` "
         "to its [[generated]] entry and an `[[approvals]]` entry with that id (covers = [\"final-deliverable\"]) "
         "to the root manifest.",
         '[[generated]]\npaths = ["deliverables/sh020/sky/**"]\ntool = "firefly"\napproval = "NFX-GAI-0042"'),
    Rule("GAI202", "sensitive-use-without-approval", Severity.ERROR, ("principle-1", "principle-5", "creative-output", "written-approval"),
         "An entry lists `sensitive` categories and has no approval.",
         "Talent likeness, personal data, third-party IP, union work and key creative elements need "
         "written approval before work proceeds.",
         "Get written approval and add `approval = \"<id>\"` to the entry.",
         '[[generated]]\npaths = ["shots/sq020/**"]\ntool = "firefly"\nsensitive = ["talent-likeness"]\n'
         'approval = "NFX-GAI-0051"'),
    Rule("GAI203", "approval-unresolved", Severity.ERROR, ("written-approval",),
         "An approval id breaks `approval_pattern`, or the root's register does not hold it (also when the root "
         "keeps no register, unless `[policy] approvals = \"external\"`).",
         "An approval that cannot be traced to a written grant is no approval: any string would pass.",
         "Cite the id exactly as granted, and add an `[[approvals]]` entry to the root manifest (id, covers, "
         "granted_by, date).",
         '[[approvals]]\nid = "NFX-GAI-0042"\ncovers = ["final-deliverable"]\n'
         'granted_by = "Netflix Production Legal"\ndate = 2025-09-10'),
    Rule("GAI204", "approval-insufficient", Severity.ERROR, ("written-approval",),
         "A cited approval has expired, or the approvals cited do not cover every category the file needs.",
         "Approval is given for specific uses and for a time; using it beyond them is using GenAI unapproved.",
         "Renew the approval or extend what it `covers` (final-deliverable and each sensitive category).",
         '[[approvals]]\nid = "NFX-GAI-0042"\ncovers = ["final-deliverable", "third-party-ip"]\n'
         "expires = 2026-09-10"),
    Rule("GAI205", "declaration-withdrawn", Severity.ERROR, ("principle-4", "disclosure"),
         "In a change, a file declared generated at the base is still there and no entry declares it now, "
         "or it lost a `sensitive` category (a warning when its content changed too).",
         "A declaration records how content was made; deleting it does not change the content. Withdrawn while "
         "the file stays, generated material leaves the disclosure report and the deliverable checks.",
         "Restore the [[generated]] entry (with its sensitive categories); to withdraw it, replace or remove "
         "the generated file in the same change.",
         "git rm shots/sq010/genai.toml   # its frames stay: GAI205 on each, naming the withdrawn entry"),
    Rule("GAI206", "policy-weakened", Severity.WARNING, ("disclosure", "written-approval"),
         "In a change, the production's rules become weaker: severities lowered or off, `metadata = false`, "
         "`[detect] ignore`, `nested_tools` or deliverable paths removed, `\"EU\"` taken out of `territories`, "
         "`marking` no longer `required`, or a new root above existing manifests.",
         "The root manifest is the production's policy; a change that loosens it should be seen by production "
         "and legal, not slip through with a shot's frames.",
         "Have production and legal review the change (CODEOWNERS on genai.toml), or revert it.",
         '[policy]\nseverity = { GAI301 = "off" }   # GAI206 in the change that adds it'),
    Rule("GAI207", "approval-expiring", Severity.WARNING, ("written-approval",),
         "A cited approval expires within 30 days of the judging date.",
         "Approval is granted for a time; an artist should hear that it is ending from a warning, weeks ahead, "
         "not from a blocked commit on the day it lapses.",
         "Ask the contact to renew the approval and record the new `expires` date in the register, or plan to "
         "take the material out before it lapses.",
         '[[approvals]]\nid = "NFX-GAI-0042"\ncovers = ["final-deliverable"]\ngranted_by = "Netflix Production Legal"\n'
         "date = 2025-09-10\nexpires = 2026-12-01   # GAI207 from 2026-11-01 on"),
    Rule("GAI208", "derived-deliverable-without-approval", Severity.ERROR, ("principle-4", "written-approval"),
         "A deliverable file is written by a compositing script that reads generated media, and no entry "
         "with an approval covering `final-deliverable` declares it.",
         "A comp built on a generated element carries that element into the final picture; declaring the "
         "element honestly must not be what lets the comp pass unseen.",
         "Declare the comp's output in a [[generated]] entry with an approval covering final-deliverable, or "
         "rebuild it without the generated element.",
         "comp/sh020.nk reads sky/gen.####.exr (declared generated) and writes deliverables/sh020/comp.####.exr"),
    Rule("GAI209", "protected-inputs-without-approval", Severity.ERROR, ("data-use", "written-approval", "wga"),
         "An entry's `inputs` name `personal-data`, `third-party-ip`, `talent-material` or `guild-literary-material` "
         "and its approvals do not cover `personal-data`, `third-party-ip`, `talent-likeness` or "
         "`guild-literary-material` respectively.",
         "Personal data, other people's IP and the cast's images, voices or performances may be fed to a tool "
         "only with clearance, and the guidance asks for that clearance in writing.",
         "Get written approval for the use and cite it (`approval = \"<id>\"`), with a register entry that covers "
         "the matching category; or keep the material out of the tool.",
         '[[generated]]\npaths = ["shots/sq030/**"]\ntool = "firefly"\ninputs = ["talent-material"]\n'
         'approval = "NFX-GAI-0051"   # covers = ["talent-likeness"] in the register'),
    Rule("GAI210", "generated-archival-material", Severity.ERROR, ("audience-trust", "written-approval"),
         "A generated file is in an `[archival]` path, or is a deliverable of a documentary production, without "
         "an approval covering `archival`.",
         "Material presented as real (archive photos, found footage, evidence) that was in fact generated "
         "misleads the audience; a documentary that shows a generated image as a real one breaks their trust.",
         "Replace the file with the real material, or get written approval for presenting generated material "
         "there and cite it from an entry declaring the file, with `archival` in what the approval covers.",
         '[archival]\npaths = ["archive/**"]\n\n[[generated]]\npaths = ["archive/restored/**"]\ntool = "firefly"\n'
         'approval = "NFX-GAI-0060"   # covers = ["archival"] in the register'),
    Rule("GAI211", "approval-without-consent", Severity.ERROR, ("talent-consent", "principle-5", "sag-aftra-2026"),
         "A register approval covers `talent-likeness` or `union-work` and records no `consent`, or covers "
         "`synthetic-performer` and records no union notice (`union`).",
         "An approval for a likeness or for union-covered work stands on the consent of the people concerned; "
         "a register that cannot point to that consent cannot show it was given.",
         "Record the consent reference in the approval (`consent = \"...\"`), and the union notification in "
         "`union` where one was made.",
         '[[approvals]]\nid = "NFX-GAI-0051"\ncovers = ["talent-likeness"]\ngranted_by = "Netflix Talent Relations"\n'
         'date = 2025-10-01\nconsent = "TR-2025-118 (signed digital-replica rider)"\nunion = "SAG-AFTRA notice 2025-0931"'),
    Rule("GAI212", "approved-content-changed", Severity.ERROR, ("written-approval", "principle-4"),
         "A file cites an approval that pins its content in genai.lock, and the file is not among the pinned "
         "files or its blob differs from the pin.",
         "Written approval is given for particular material; other frames under the same entry, or the same "
         "frames re-rendered, were never approved.",
         "Have the new content approved, then pin it: `genai-hooks approve <id> <path>...` (and re-sign the "
         "approval if the production signs them); or restore the approved content.",
         '# genai.lock\n[[approved]]\napproval = "NFX-GAI-0042"\nfiles = [\n'
         '  ["deliverables/sh020/sky/sh020_sky_v003.1001.exr", "6b5f0c1e..."],\n]'),
    Rule("GAI213", "approval-signature-invalid", Severity.ERROR, ("written-approval",),
         "The production requires signed approvals and an approval's signature is missing, does not verify, "
         "is by a principal the approvers file does not list, or by a key outside its validity window.",
         "Anyone who can edit the root manifest could otherwise grant an approval; a signature shows an "
         "approver of the production granted exactly this approval, for exactly the pinned content.",
         "Have an approver sign the approval: `genai-hooks approve <id> --sign-with <key> --principal <name>` "
         "(ssh-keygen -Y sign over `genai-hooks approve <id> --payload`).",
         '[production]\napprovers = "approvers/allowed_signers"\n\n[[approvals]]\nid = "NFX-GAI-0042"\n'
         '...\nsigned_by = "legal@studio.example"\nsignature = """\n-----BEGIN SSH SIGNATURE-----\n...\n"""'),
    Rule("GAI214", "deepfake-disclosure-missing", Severity.WARNING, ("audience-trust", "eu-ai-act-50-4"),
         "A generated deliverable that depicts people (`talent-likeness`, `public-figure`, `deceased-person`, "
         "`archival` among its categories) or is presented as real (an `[archival]` path, a documentary) has no "
         "`disclosure` on its entry. An error when `[production] territories` includes \"EU\".",
         "Audiences must be able to tell generated people and events from real ones; from 2 August 2026 the EU "
         "requires that deepfakes say they are artificially generated or manipulated.",
         "Add `disclosure = { method = \"on-screen\" | \"credits\" | \"metadata\", reference = \"...\" }` to the "
         "entry, or `method = \"none-artistic\"` with the `reason` the work is evidently artistic.",
         '[[generated]]\npaths = ["deliverables/ep103/deaged/**"]\ntool = "firefly"\nsensitive = ["talent-likeness"]\n'
         'approval = "NFX-GAI-0051"\ndisclosure = { method = "credits", reference = "end credits v4, card 12" }'),
    Rule("GAI215", "consent-incomplete", Severity.WARNING, ("talent-consent", "principle-5", "sag-aftra-2026"),
         "A register approval's consent record lacks `scope` or `represented_by` (the string form always does), or "
         "`estate` when the approval covers `deceased-person`.",
         "Consent to a digital replica holds for what it names: a reference alone cannot show which uses were agreed, "
         "that the performer was represented when agreeing, or that a deceased performer's estate consented.",
         "Write `consent` as a table: `{ reference = \"...\", scope = \"...\", represented_by = \"counsel\" | "
         "\"union\" }`, with `estate` for a deceased person and `minor = true` where it applies.",
         '[[approvals]]\nid = "NFX-GAI-0051"\ncovers = ["talent-likeness"]\ngranted_by = "Netflix Talent Relations"\n'
         'date = 2025-10-01\nconsent = { reference = "TR-2025-118", scope = "S1 ep. 3-4 de-ageing, 5 years", '
         'represented_by = "union" }'),
    Rule("GAI301", "undeclared-generated-media", Severity.ERROR, ("principle-4", "disclosure"),
         "A file's embedded metadata says generative AI made it and no entry declares it.",
         "Generators stamp their output; a stamped file nobody declared is GenAI use nobody reviewed.",
         "Declare the file in a [[generated]] entry with the tool that made it, or replace it; each finding shows "
         "the whole entry to paste, a frame sequence as one pattern, with the approval a deliverable or archival "
         "path needs.",
         '[[generated]]\npaths = ["shots/sq010/sh010/previs/**"]\ntool = "firefly"'),
    Rule("GAI302", "timeline-uses-generated-media", Severity.ERROR, ("principle-4", "written-approval"),
         "A deliverable timeline references generated media not approved for `final-deliverable`.",
         "Generated material reaches final deliverables through the conform, even when the media sits "
         "in a work folder.",
         "Replace the clip, or get an approval that covers `final-deliverable` for the media's entry.",
         "editorial/locked/reel1.edl cuts in shots/sq010/sh010/previs/frame.png, which is declared generated."),
    Rule("GAI303", "uninspected-content", Severity.WARNING, ("principle-4",),
         "A selected file's content could not be inspected.",
         "A file that could not be read cannot be called clean: an absent LFS object or an unreadable "
         "timeline may hide generated media.",
         "Fetch the content (`git lfs pull`) or repair the file, and run again.",
         "plates/sh010.exr is an LFS pointer whose object is not in .git/lfs/objects."),
    Rule("GAI304", "deliverable-timeline-unreadable", Severity.ERROR, ("principle-4", "written-approval"),
         "A deliverable timeline cannot be read completely and safely, so its clips cannot be cleared.",
         "An unread cut may hold generated clips; a gate that passes what it could not read is no gate.",
         "Repair or re-export the timeline (and check [editorial] rate for EDLs), then run again.",
         "editorial/locked/reel1.edl has an event line the CMX 3600 reader rejects."),
    Rule("GAI305", "timeline-media-unmapped", Severity.WARNING, ("principle-4",),
         "A deliverable timeline has media references that cannot be mapped into the repository.",
         "A clip whose media cannot be found in the repository cannot be checked for generated material.",
         "Add an [editorial] path_map prefix for the facility paths, or commit the media the cut uses.",
         '[editorial]\npath_map = { "/mnt/projects/nightfall/" = "" }'),
    Rule("GAI306", "provenance-marking-lost", Severity.WARNING, ("audience-trust", "disclosure", "eu-ai-act-50-2"),
         "A deliverable derived (through a compositing script) from generated media that carried a C2PA or IPTC "
         "mark carries none itself; with `[production] marking = \"required\"`, any generated deliverable "
         "(declared, detected or derived) without one.",
         "Content Credentials and IPTC digital source types are how a generated image keeps saying so downstream; "
         "a comp or an export that strips them delivers generated material nobody can recognise as such.",
         "Render the deliverable with the writer's metadata pass-through on (C2PA ingredient, XMP "
         "DigitalSourceType), or sign it with Content Credentials before delivery.",
         "comp/sh020.nk reads sky/gen.####.exr (a C2PA manifest) and writes deliverables/sh020/comp.####.exr, "
         "which has none"),
    Rule("GAI401", "stale-generated-entry", Severity.WARNING, ("disclosure",),
         "In a full audit, an entry's patterns match no file.",
         "A declaration that matches nothing hides mistakes in patterns and makes the disclosure report untrue.",
         "Fix the entry's paths or remove the entry.",
         '[[generated]]\npaths = ["shots/sq010/sh999/**"]   # no such files'),
    Rule("GAI402", "stale-acknowledgement", Severity.WARNING, ("disclosure",),
         "In a full audit, an `[[acknowledged]]` entry matches no finding, or its `until` date has passed.",
         "An acknowledgement that matches nothing may hide a mistake in its paths; one that ended lets its "
         "findings fail again, and whoever checked them should know.",
         "Fix or remove the entry; renew `until` once the findings were checked again.",
         '[[acknowledged]]\nrule = "GAI301"\npaths = ["reference/stock/**"]\nreason = "licensed stock"\n'
         'by = "jane.doe@example.com"\nuntil = 2026-12-31'),
    Rule("GAI501", "undeclared-model", Severity.ERROR, ("training", "disclosure"),
         "Model weights are in the snapshot and no `[[models]]` entry declares them.",
         "A LoRA, checkpoint or fine-tune was trained on something; undeclared, nobody has reviewed what it "
         "learnt from (a cast member's face, another studio's designs) or told the contact it exists.",
         "Declare the file in a `[[models]]` entry with the tool or base model and what it was `trained_on`, or "
         "remove it from the repository.",
         '[[models]]\npaths = ["models/loras/lead_v3.safetensors"]\nbase = "sd_xl_base_1.0"\n'
         'trained_on = ["talent-material"]\napproval = "NFX-GAI-0051"'),
    Rule("GAI502", "model-without-approval", Severity.ERROR,
         ("training", "talent-consent", "written-approval", "wga"),
         "A `[[models]]` entry says it was trained on `talent-material`, `third-party-ip`, `personal-data` or "
         "`guild-literary-material` and its approvals do not cover `talent-likeness`, `third-party-ip`, "
         "`personal-data` or `guild-literary-material` respectively.",
         "Training on the cast's likeness or voice, on third-party material or on personal data needs the rights "
         "and the consent to do so; the model then reproduces that material on demand.",
         "Get written approval for the training (covering the matching category, with the consent recorded for "
         "talent likeness) and cite it in the entry's `approval`, or retrain without that material.",
         '[[models]]\npaths = ["models/loras/lead_v3.safetensors"]\nbase = "sd_xl_base_1.0"\n'
         'trained_on = ["talent-material"]   # GAI502 until an approval covering talent-likeness is cited'),
    Rule("GAI503", "training-not-permitted", Severity.ERROR, ("training", "data-use", "tdm-opt-out"),
         "A file matched by a `[[models]]` entry's `dataset` carries metadata forbidding AI training (CAWG "
         "`cawg.ai_training` / `cawg.ai_generative_training` = notAllowed, IPTC `plus:DataMining` prohibiting it).",
         "The rights holder said in the file itself that it must not be used to train AI; a model trained on it "
         "ignores that reservation, whatever else was cleared.",
         "Take the file out of the training set (and retrain), or get the rights holder's written permission and "
         "replace the file with one whose metadata grants it.",
         '[[models]]\npaths = ["models/loras/style_v2.safetensors"]\nbase = "sd_xl_base_1.0"\n'
         'dataset = ["training/style_v2/**"]   # GAI503 on training/style_v2/ref_014.jpg: plus:DataMining prohibited'),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _CATALOGUE}


def nearest_rule(text: str) -> str | None:
    """The rule id `text` most likely means: letters typed for look-alike digits first (GAI2O1), then spelling."""
    typed = text.strip().upper()
    if typed[:3] == "GAI":
        digits = typed[3:].translate(str.maketrans("OQDILZS", "0001125"))
        if "GAI" + digits in RULES:
            return "GAI" + digits
    near = difflib.get_close_matches(typed, list(RULES), n=1)
    return near[0] if near else None

