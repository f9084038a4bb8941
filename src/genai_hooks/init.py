"""`genai-hooks init [DIR]`: a commented starter genai.toml that is valid as written."""

from __future__ import annotations

import json
import os

from .errors import UsageError
from .paths import MANIFEST_NAME

DELIVERABLE_GUESSES = ("deliverables", "delivery", "deliveries", "final", "finals", "masters",
                       "editorial/locked", "editorial/final", "output/final", "publish/final")

PRE_COMMIT_SNIPPET = """\
# .pre-commit-config.yaml (your-org: wherever your studio hosts genai-hooks)
repos:
  - repo: https://github.com/your-org/genai-hooks
    rev: main    # then pin what you reviewed: pre-commit autoupdate --freeze --bleeding-edge
    hooks:
      - id: genai-hooks          # every commit: the files it stages
      - id: genai-hooks-audit    # `pre-commit run --hook-stage manual genai-hooks-audit`: full audit
"""

TEMPLATE = """\
# genai.toml — generative-AI declarations for the files in this directory and below.
# Reference: docs/manifest.md; editors: `genai-hooks schema` gives completion.
version = 1

[production]
title = ""                          # the production's title
contact = ""                        # who was informed of GenAI use (the Netflix contact)
# approval_pattern = "NFX-GAI-[0-9]{{4,}}"   # approval ids must fully match this
# approvers = "approvers/allowed_signers"   # OpenSSH allowed_signers: every approval must be signed (GAI213)
# kind = "fiction"                  # fiction | documentary | unscripted | animation; in a documentary every
#                                   # generated deliverable needs an approval covering "archival"
# territories = ["EU", "US"]        # where it is released; with "EU" a generated deliverable depicting people
#                                   # without a disclosure is an error (GAI214, EU AI Act Art. 50(4))
# marking = "required"              # every generated deliverable keeps a C2PA or IPTC mark (GAI306)

{deliverables}
# Material presented as real (archive photos, found footage, evidence): generated files here need an
# approval covering "archival" (the audience must not mistake generated material for the record).
# [archival]
# paths = ["archive/**"]

# Every tool used, with the attestations the guidance asks for:
# [tools.firefly]
# vendor = "Adobe"
# product = "Firefly Image 3 (enterprise tenant)"
# trains_on_inputs = false          # required: the tool does not train on production material
# retains_inputs = false            # required: the tool does not store or reuse it
# environment = "enterprise"        # enterprise | on-premises | consumer
# terms = "Adobe ETLA 2025 s.4"     # the reviewed contract
# disclosed = 2025-09-02            # when the contact was told
# markers = ["Adobe Firefly"]       # strings that identify its output in file metadata

# Every generated file, and the tool that made it:
# [[generated]]
# paths = ["shots/sq010/sh010/previs/**"]
# tool = "firefly"
# purpose = "previs mood frames"
# sensitive = ["third-party-ip"]    # talent-likeness | personal-data | third-party-ip | union-work |
#                                   # key-creative | public-figure | deceased-person | archival |
#                                   # synthetic-performer
# inputs = ["production-material"]  # what went into the tool: production-material | personal-data |
#                                   # third-party-ip | talent-material | guild-literary-material (all
#                                   # but the first need approval)
# approval = "NFX-GAI-0042"         # written approval, required in deliverables and for sensitive use
# disclosure = {{ method = "credits", reference = "end credits v4, card 12" }}   # how the audience is told:
#                                   # on-screen | credits | metadata | none-artistic (with reason = "...");
#                                   # needed when a deliverable depicts people or is presented as real

# Every model file (LoRA, checkpoint, fine-tune) kept in the repository, and what it learnt from:
# [[models]]
# paths = ["models/loras/*.safetensors"]
# base = "sd_xl_base_1.0"           # the model it was trained from (or tool = "<tool id>")
# trained_on = ["production-material"]   # talent-material | third-party-ip | personal-data |
#                                   # guild-literary-material need approval
# approval = "NFX-GAI-0051"
# dataset = ["training/loras/**"]   # its training files: one whose metadata forbids training is GAI503

# The approval register (root manifest only). Approvals are checked against it: an id an entry cites
# and no [[approvals]] entry holds is GAI203. Pin what each approval was given for with
# `genai-hooks approve ID PATH...` (genai.lock), and require approvers' signatures with
# `approvers` in the production table above (docs/approvals.md).
# [[approvals]]
# id = "NFX-GAI-0042"
# covers = ["final-deliverable", "third-party-ip"]
# granted_by = "Netflix Production Legal"
# date = 2025-09-10
# expires = 2026-09-10
# consent = {{ reference = "TR-2025-118", scope = "S1 ep. 3-4, 5 years", represented_by = "union" }}
#                                   # required when covers has talent-likeness or union-work (GAI211); say
#                                   # what was consented to and who represented the performer (GAI215), and
#                                   # add estate = "..." for a deceased person, minor = true for a minor
# union = "SAG-AFTRA notice 2025-0931"   # the union notification; required for synthetic-performer

[detect]
metadata = true                     # find generated media nobody declared (C2PA, IPTC, generator records)

# [policy]
# approvals = "external"            # only if approvals are kept outside the repository: ids matching
#                                   # approval_pattern are then accepted unchecked, and every run says how
#                                   # many files that admitted
"""


def init(directory: str) -> str:
    if not os.path.isdir(directory):
        raise UsageError(f"{directory}: no such directory")
    target = os.path.join(directory, MANIFEST_NAME)
    if os.path.lexists(target):
        raise UsageError(f"{target} already exists; genai-hooks init never overwrites a manifest")
    found: list[str] = [g for g in DELIVERABLE_GUESSES if os.path.isdir(os.path.join(directory, *g.split("/")))]
    if found:
        deliverables = ("# Final deliverables (guessed from the folders here; check them):\n[deliverables]\n"
                        f"paths = [{', '.join(json.dumps(g + '/**') for g in found)}]\n")
    else:
        deliverables = ("# Final deliverables: where generated material needs written approval.\n"
                        '# [deliverables]\n# paths = ["deliverables/**"]\n')
    try:
        with open(target, "x", encoding="utf-8") as stream:
            stream.write(TEMPLATE.format(deliverables=deliverables))
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror}") from None
    return f"wrote {target}\n\nAdd the hooks to .pre-commit-config.yaml:\n\n" + PRE_COMMIT_SNIPPET
