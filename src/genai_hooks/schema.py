"""The manifest format, declared once: validation in manifest.py and `genai-hooks schema` both read it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SENSITIVE = ("talent-likeness", "personal-data", "third-party-ip", "union-work", "key-creative",
             "public-figure", "deceased-person", "archival", "synthetic-performer")
# Scripts and other writing covered by the WGA (SPEC §16): an input and training category, approved like IP
GUILD_LITERARY = "guild-literary-material"
COVERS = ("final-deliverable",) + SENSITIVE + (GUILD_LITERARY,)
# What goes into a tool, or into a model's training (SPEC §10); each protected one -> the approval it needs.
INPUTS = ("production-material", "personal-data", "third-party-ip", "talent-material", GUILD_LITERARY)
INPUT_APPROVALS: Mapping[str, str] = {"personal-data": "personal-data", "third-party-ip": "third-party-ip",
                                      "talent-material": "talent-likeness", GUILD_LITERARY: GUILD_LITERARY}
CONSENTED = ("talent-likeness", "union-work")  # an approval covering these names its consent record (GAI211)
UNION_NOTICE = ("synthetic-performer",)  # an approval covering these names the union notice (GAI211)
REPRESENTATION = ("counsel", "union")  # who represented the performer when consent was given (GAI215)
MARKING = ("required", "optional")  # [production] marking: must every generated deliverable carry a mark (GAI306)
DISCLOSURE_METHODS = ("on-screen", "credits", "metadata", "none-artistic")  # how the audience is told (GAI214)
# Categories that depict people or the record: a generated deliverable with one needs a disclosure (GAI214)
DEPICTING = ("talent-likeness", "public-figure", "deceased-person", "archival")
ENVIRONMENTS = ("enterprise", "on-premises", "consumer")
SAFE_ENVIRONMENTS = ("enterprise", "on-premises")  # where production material may go (principle 3, GAI108)
# documentary: material is presented as real, so every generated deliverable needs `archival` (GAI210)
PRODUCTION_KINDS = ("fiction", "documentary", "unscripted", "animation")
# What a production may accept as checked (SPEC §12); the other rules have approvals for that
ACKNOWLEDGEABLE = ("GAI103", "GAI104", "GAI105", "GAI301", "GAI303", "GAI305", "GAI401")
SEVERITIES = ("error", "warning", "off")
APPROVAL_MODES = ("register", "external")  # [policy] approvals: checked against the root's register, or not


@dataclass(frozen=True)
class Key:
    # string | boolean | date | integer | number | strings | string-or-strings | string-map | severity-map
    # | table (an inline table of `fields`) | string-or-table (a string, or that table)
    kind: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()  # for strings / strings: allowed values
    refused: str = ""  # said when a value is not among the choices (why those are the choices)
    fields: Mapping[str, Key] | None = None  # the keys of a table / string-or-table value


@dataclass(frozen=True)
class Table:
    description: str
    keys: Mapping[str, Key]
    root_only: bool = False
    array: bool = False  # [[name]]
    keyed: bool = False  # [name.ID] sub-tables, each with `keys`
    one_of: tuple[str, ...] = ()  # at least one of these keys is required


CONSENT: Mapping[str, Key] = {
    "reference": Key("string", "The consent record, e.g. 'TR-2025-118 (signed digital-replica rider)'.", required=True),
    "scope": Key("string", "What was consented to: the uses, the project, the term (GAI215 without it)."),
    "represented_by": Key("string", "Who represented the performer when consent was given (GAI215 without it).",
                          choices=REPRESENTATION),
    "estate": Key("string", "The estate that consented for a deceased person (GAI215 without it when the approval "
                  "covers deceased-person)."),
    "minor": Key("boolean", "The person is a minor (consent by a parent or guardian)."),
}

DISCLOSURE: Mapping[str, Key] = {
    "method": Key("string", "How the audience is told the material is generated: on-screen, credits, metadata, or "
                  "none-artistic (evidently artistic or fictional work; needs `reason`).", required=True,
                  choices=DISCLOSURE_METHODS),
    "reference": Key("string", "Where the disclosure is: the card's timecode, the credits version, the delivery "
                     "spec."),
    "reason": Key("string", "Why no disclosure is shown (required with method = \"none-artistic\")."),
}

MANIFEST: Mapping[str, Table] = {
    "production": Table("The production: its title and the contact informed of GenAI use.", {
        "title": Key("string", "The production's title."),
        "contact": Key("string", "Who was informed of GenAI use (the Netflix contact)."),
        "approval_pattern": Key("string", "A regular expression every approval id must fully match."),
        "kind": Key("string", "What the production is; a documentary presents its material as real, so every "
                    "generated deliverable needs an approval covering archival (GAI210).",
                    choices=PRODUCTION_KINDS),
        "approvers": Key("string", "An OpenSSH allowed_signers file (relative to this manifest) naming who may "
                         "grant approvals: every register approval must then be signed (GAI213)."),
        "marking": Key("string", "`required`: every generated deliverable carries a C2PA manifest or an IPTC digital "
                       "source type in its own metadata (GAI306); default `optional`: only a mark its generated "
                       "source had must survive.", choices=MARKING),
        "territories": Key("strings", "Where the production is released, e.g. [\"EU\", \"US\"]; with \"EU\" a missing "
                           "deepfake disclosure is an error (GAI214, EU AI Act Art. 50(4))."),
    }, root_only=True),
    "deliverables": Table("Deliverable paths; adds to the chain.", {
        "paths": Key("strings", "Patterns of final-deliverable paths.", required=True),
    }),
    "archival": Table("Where material presented as real lives (archive photos, found footage, evidence); "
                      "adds to the chain.", {
        "paths": Key("strings", "Patterns of archival paths; a generated file there needs an approval covering "
                     "archival (GAI210).", required=True),
    }),
    "tools": Table("Generative-AI tools, by id; ids are unique across a chain.", {
        "vendor": Key("string", "Who makes the tool.", required=True),
        "product": Key("string", "Product and tier, e.g. 'Firefly Image 3 (enterprise tenant)'."),
        "trains_on_inputs": Key("boolean", "Must be false: the tool does not train on production inputs or outputs."),
        "retains_inputs": Key("boolean", "Must be false: the tool does not store or reuse production inputs."),
        "environment": Key("string", "Where the tool runs.", choices=ENVIRONMENTS),
        "terms": Key("string", "The reviewed contract or terms backing the claims."),
        "disclosed": Key("date", "When the production's contact was informed of this tool's use."),
        "markers": Key("strings", "Strings that identify the tool's output in file metadata."),
    }, keyed=True),
    "generated": Table("Files made with a generative-AI tool.", {
        "paths": Key("strings", "Patterns of the generated files.", required=True),
        "tool": Key("string", "The id of a tool declared in this manifest or one above it.", required=True),
        "purpose": Key("string", "What the generated material is for."),
        "sensitive": Key("strings", "Sensitive categories the output involves.", choices=SENSITIVE),
        "inputs": Key("strings", "Categories of material fed to the tool (GAI108, GAI209).", choices=INPUTS),
        "approval": Key("string-or-strings", "Written approval id(s) for this use."),
        "disclosure": Key("table", "How the audience is told: { method, reference, reason } (GAI214).",
                          fields=DISCLOSURE),
    }, array=True),
    "models": Table("Model weights in the repository (LoRAs, checkpoints, fine-tunes) and what they were trained on.", {
        "paths": Key("strings", "Patterns of the model files.", required=True),
        "tool": Key("string", "The id of the tool that trained or runs the model, declared in the chain."),
        "base": Key("string", "The model it was trained or fine-tuned from, e.g. 'sd_xl_base_1.0'."),
        "trained_on": Key("strings", "Categories of material it was trained on (GAI502).", choices=INPUTS),
        "approval": Key("string-or-strings", "Written approval id(s) for training and using it."),
        "purpose": Key("string", "What the model is for."),
        "dataset": Key("strings", "Patterns of the training files kept in the repository; a file whose own metadata "
                       "forbids AI training (CAWG, IPTC plus:DataMining) is GAI503."),
    }, array=True, one_of=("tool", "base")),
    "approvals": Table("The approval register: written approvals and what they cover.", {
        "id": Key("string", "The approval id as granted.", required=True),
        "covers": Key("strings", "What the approval covers.", required=True, choices=COVERS),
        "granted_by": Key("string", "Who granted it.", required=True),
        "date": Key("date", "When it was granted.", required=True),
        "expires": Key("date", "The last day it holds."),
        "consent": Key("string-or-table", "The consent of the people concerned; required when covers includes "
                       "talent-likeness or union-work (GAI211). A table { reference, scope, represented_by, estate, "
                       "minor } says what was consented to (GAI215); a string is the reference alone.",
                       fields=CONSENT),
        "union": Key("string", "The union notification reference; required when covers includes synthetic-performer "
                     "(GAI211)."),
        "signed_by": Key("string", "The approver (a principal of the approvers file) who signed this approval."),
        "signature": Key("string", "An armored SSH signature (namespace genai-hooks-approval) over the payload "
                         "`genai-hooks approve ID --payload` prints; `approve ID --sign-with KEY` writes it."),
    }, root_only=True, array=True),
    "detect": Table("Embedded-provenance detection.", {
        "metadata": Key("boolean", "Sniff embedded provenance (C2PA, IPTC, generator records); default true."),
        "ignore": Key("strings", "Patterns never sniffed."),
    }, root_only=True),
    "editorial": Table("Editorial timelines; adds to the chain.", {
        "path_map": Key("string-map", "Facility path prefix -> repository-root path."),
        "rate": Key("number", "Frame rate for EDL timecodes; default 24."),
    }),
    "policy": Table("Policy overrides.", {
        "severity": Key("severity-map", "Rule id -> error | warning | off (GAI001 cannot be changed)."),
        "nested_tools": Key("boolean", "Let nested manifests declare tools ([tools.ID]); default false: "
                            "the production vets every tool in the root (GAI107)."),
        "approvals": Key("string", "Where approvals are checked: `register` (default: every cited id must be an "
                         "[[approvals]] entry of the root) or `external` (kept outside the repository: any id "
                         "matching approval_pattern is accepted unchecked, and every run says how many files "
                         "that admitted).", choices=APPROVAL_MODES),
    }, root_only=True),
    "acknowledged": Table("Findings the production checked and accepts: they stay visible, marked, but no longer "
                          "fail a check (GAI402 when one goes stale).", {
        "rule": Key("string", "The rule: GAI103-105, GAI301, GAI303, GAI305 or GAI401.", required=True,
                    choices=ACKNOWLEDGEABLE, refused="other rules are cleared with written approvals, not here"),
        "paths": Key("strings", "Patterns of the paths the findings are on (a tool's findings are on its "
                     "manifest).", required=True),
        "reason": Key("string", "Why the finding is acceptable, e.g. 'licensed stock, invoice 4411'.", required=True),
        "by": Key("string", "Who checked it.", required=True),
        "until": Key("date", "The last day it holds; after it, the findings count again (and GAI402 says so)."),
    }, root_only=True, array=True),
}

TOP_KEYS = ("version",) + tuple(MANIFEST)


def _key_schema(key: Key) -> dict[str, Any]:
    base: dict[str, Any]
    if key.kind == "string":
        base = {"type": "string"}
    elif key.kind == "boolean":
        base = {"type": "boolean"}
    elif key.kind == "date":
        base = {"type": "string", "format": "date"}
    elif key.kind == "integer":
        base = {"type": "integer"}
    elif key.kind == "number":
        base = {"type": "number", "exclusiveMinimum": 0}
    elif key.kind == "strings":
        item: dict[str, Any] = {"type": "string", "minLength": 1}
        if key.choices:
            item = {"enum": list(key.choices)}
        base = {"type": "array", "items": item}
    elif key.kind == "string-or-strings":
        base = {"oneOf": [{"type": "string", "minLength": 1},
                          {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}]}
    elif key.kind in ("table", "string-or-table"):
        fields = key.fields or {}
        table: dict[str, Any] = {"type": "object", "additionalProperties": False,
                                 "properties": {name: _key_schema(k) for name, k in fields.items()}}
        required = [name for name, k in fields.items() if k.required]
        if required:
            table["required"] = required
        base = table if key.kind == "table" else {"oneOf": [{"type": "string", "minLength": 1}, table]}
    elif key.kind == "string-map":
        base = {"type": "object", "additionalProperties": {"type": "string"}}
    else:  # severity-map
        base = {"type": "object", "propertyNames": {"pattern": "^GAI[0-9]{3}$"},
                "additionalProperties": {"enum": list(SEVERITIES)}}
    if key.choices and key.kind == "string":
        base["enum"] = list(key.choices)
    if key.kind == "strings" and key.required:
        base["minItems"] = 1
    base["description"] = key.description
    return base


def _table_schema(table: Table) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: _key_schema(key) for name, key in table.keys.items()},
    }
    required = [name for name, key in table.keys.items() if key.required]
    if required:
        body["required"] = required
    if table.one_of:
        body["anyOf"] = [{"required": [name]} for name in table.one_of]
    if table.keyed:
        return {"type": "object", "description": table.description, "additionalProperties": body}
    if table.array:
        return {"type": "array", "description": table.description, "items": body}
    body["description"] = table.description + (" Root manifest only." if table.root_only else "")
    return body


def json_schema(schema_id: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "genai.toml",
        "description": "genai-hooks manifest: generative-AI tools, generated files, models, deliverables, archival "
                       "paths and approvals.",
        "type": "object",
        "additionalProperties": False,
        "properties": {"version": {"const": 1, "description": "Manifest format version; 1 is the only one."}},
    }
    if schema_id:
        document["$id"] = schema_id
    for name, table in MANIFEST.items():
        document["properties"][name] = _table_schema(table)
    return document


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2) + "\n"
