"""The report as Markdown: headings and short lists, readable raw in an email body and rendered alike."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..approvals import EXPIRING_DAYS
from ..output.inert_markdown import quoted_prose
from .model import (
    ArchivalRecord,
    ClipRecord,
    EntryRecord,
    FileGroup,
    ModelRecord,
    ProductionRecord,
    Report,
    RuleGroup,
    TimelineRecord,
    ToolRecord,
    WithdrawalRecord,
    Withdrawals,
)
from .wording import (
    CLIPS_PER_TIMELINE,
    FILE_GROUPS_PER_ENTRY,
    FINDINGS_PER_RULE,
    NO_BASE,
    NOT_DECLARED,
    approval_state,
    attestation,
    cited_state,
    clip_approval,
    clip_source,
    consent,
    declared,
    entry_status,
    environment,
    expiring_text,
    frames,
    headline,
    human_size,
    incomplete_warning,
    made_from,
    more,
    pins_text,
    plural,
    signature_text,
    snapshot_text,
    summary_sentences,
    unchecked_warning,
    verdict,
    visible,
    where,
    withdrawal_content,
    withdrawal_now,
)

# What could turn quoted text into markup: emphasis, code, HTML, entities, links; intraword `_` and a
# lone `[` cannot, and stay unescaped so the raw email reads cleanly.
_MARKUP = re.compile(r"[\\`*<>~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|\](?=[(\[])|&(?=#?[A-Za-z0-9]+;)")
_BACKTICKS = re.compile(r"`+")


def text(value: str) -> str:
    """Prose quoted from a manifest: markup escaped, words GitHub could link or ping as code, one line."""
    return quoted_prose(visible(value), _escape, code)


def _escape(value: str) -> str:
    return _MARKUP.sub(lambda m: "\\" + m.group(), value)


def code(value: str) -> str:
    """A path, pattern or id shown literally, whatever backticks or spaces it holds."""
    shown = visible(value)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(shown)), default=0) + 1)
    pad = " " if shown[:1] in ("`", " ") or shown[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _codes(values: Iterable[str], empty: str = "none") -> str:
    shown = [code(v) for v in values]
    return ", ".join(shown) if shown else empty


def _header(report: Report) -> list[str]:
    lines = [f"# Generative-AI disclosure: {text(report.title)}", "", f"**{verdict(report)}.** {headline(report)}", ""]
    contacts = list(dict.fromkeys(p.contact for p in report.productions if p.contact))
    lines.append(f"**Contact:** {', '.join(text(c) for c in contacts) if contacts else NOT_DECLARED}  ")
    lines.append(f"**Describes:** {text(snapshot_text(report.snapshot))}  ")
    lines.append(f"**Approvals judged as of:** {report.as_of.isoformat()}  ")
    lines.append(f"**Made by:** genai-hooks {text(report.version)}, from a full audit of "
                 f"{plural(report.files, 'file')}")
    lines.append("")
    if not report.complete:
        lines += [f"> **Warning:** {text(incomplete_warning(report))}", ""]
    if not report.productions:
        lines += ["> **Warning:** no valid root genai.toml was found: nothing about this production is declared.",
                  ""]
    if report.unchecked_approvals:
        lines += [f"> **Warning:** {text(unchecked_warning(report.unchecked_approvals))}", ""]
    return lines


def _production(p: ProductionRecord) -> str:
    pattern = f"approval ids must match {code(p.approval_pattern)}" if p.approval_pattern else "no approval id pattern"
    register = "keeps an approval register" if p.register else "keeps no approval register"
    scope = code(p.scope + "/") if p.scope else "the whole repository"
    kind = f" ({text(p.kind)})" if p.kind else ""
    return (f"- **{text(p.title or 'Untitled')}**{kind}: contact {text(p.contact or NOT_DECLARED)}; {pattern}; "
            f"{register}; governs {scope}; declared in {code(where(p.manifest, p.line))}")


def _tool(record: ToolRecord) -> list[str]:
    t = record.tool
    product = f", {text(t.product)}" if t.product else ""
    use = record.use
    used = (f"Used by {plural(record.entries, 'entry', 'entries')}: {plural(use.files, 'file')} "
            f"({use.deliverable_files} deliverable), {human_size(use.bytes)}" if record.entries else "Used by no entry")
    return [
        f"### {code(t.id)}: {text(t.vendor) or NOT_DECLARED}{product}", "",
        (f"- Trains on inputs: **{attestation(t.trains_on_inputs)[0]}** · "
        f"Retains inputs: **{attestation(t.retains_inputs)[0]}** · "
        f"Environment: **{text(environment(t.environment)[0])}**"),
        (f"- Terms: {text(declared(t.terms)[0])} · Disclosed to the contact: "
        f"{t.disclosed.isoformat() if t.disclosed else NOT_DECLARED}"),
        f"- {used}",
        f"- Declared in {code(where(t.manifest, t.line))}", "",
    ]


def _entry(record: EntryRecord) -> list[str]:
    e, use = record.entry, record.use
    tool = (f"{code(e.tool)} ({text(record.tool.vendor)})" if record.tool is not None
            else f"{code(e.tool)}, which no manifest in its chain declares")
    lfs = f", {use.lfs_files} stored in Git LFS" if use.lfs_files else ""
    cited = "; ".join(f"{code(c.id)} {text(cited_state(c)[0])}" for c in record.approvals)
    return [
        f"### {text(e.purpose or 'No purpose given')}", "",
        f"- Paths: {_codes(record.patterns)}",
        f"- Tool: {tool}",
        f"- Files: {use.files} ({use.deliverable_files} deliverable), {human_size(use.bytes)}{lfs}",
        *_file_lines(record.file_groups),
        f"- Sensitive: {text(', '.join(e.sensitive)) if e.sensitive else 'none'}",
        f"- Inputs fed to the tool: {text(', '.join(e.inputs)) if e.inputs else 'none declared'}",
        *([f"- Taken for real: {plural(use.archival_files, 'file')} in archival paths or documentary deliverables"]
          if use.archival_files else []),
        f"- Approval: **{text(entry_status(record)[0])}**" + (f" ({cited})" if cited else ""),
        *_disclosure_lines(record),
        f"- Declared in {code(where(e.manifest, e.line))}", "",
    ]


def _disclosure_lines(record: EntryRecord) -> list[str]:
    """The files an audience sees as people or as real, and how it is told they are generated (GAI214)."""
    if not record.to_disclose:
        return []
    said = record.entry.disclosure
    how = text(said.describe()) if said is not None else "**missing** (GAI214)"
    return [f"- Disclosure to the audience: {how}, for:"] + [f"  - {code(g.shown)}" for g in record.to_disclose]


def _model(record: ModelRecord) -> list[str]:
    e, use = record.entry, record.use
    cited = "; ".join(f"{code(c.id)} {text(cited_state(c)[0])}" for c in record.approvals)
    lfs = f", {use.lfs_files} stored in Git LFS" if use.lfs_files else ""
    return [
        f"### {text(e.purpose or 'No purpose given')}", "",
        f"- Paths: {_codes(record.patterns)}",
        f"- Made from: {text(made_from(record))}",
        f"- Trained on: {text(', '.join(e.trained_on)) if e.trained_on else 'not declared'}",
        f"- Files: {use.files}, {human_size(use.bytes)}{lfs}",
        *_file_lines(record.file_groups),
        f"- Approval: **{text(entry_status(record)[0])}**" + (f" ({cited})" if cited else ""),
        f"- Declared in {code(where(e.manifest, e.line))}", "",
    ]


def _models(report: Report) -> list[str]:
    body = [line for m in report.models for line in _model(m)]
    if report.undeclared_models:
        body += [(f"{plural(report.undeclared_models, 'model file')} no [[models]] entry declares: see GAI501 "
                  "under Open findings."), ""]
    return _section("Models", body, None)


def _archival(archival: tuple[ArchivalRecord, ...]) -> list[str]:
    body = [f"- {code(where(a.manifest, a.line))}: {_codes(a.patterns)}" for a in archival]
    intro = ("Where material presented as real lives ([archival]); a generated file there needs an approval "
             "covering archival.")
    return _section("Archival material", [intro, "", *body, ""] if body else [], None)


def _file_lines(groups: tuple[FileGroup, ...]) -> list[str]:
    """The files of an entry, a frame sequence to a line, nested under its Files line."""
    lines = [f"  - {code(g.shown)}{frames(g)}" for g in groups[:FILE_GROUPS_PER_ENTRY]]
    rest = len(groups) - FILE_GROUPS_PER_ENTRY
    if rest > 0:
        lines.append(f"  - {more(rest, 'more file or sequence', 'more files or sequences')}")
    return lines


def _media(groups: tuple[FileGroup, ...]) -> str:
    return ", ".join(f"{code(g.shown)}{frames(g)}" for g in groups)


def _clip(clip: ClipRecord) -> str:
    cited = "; ".join(f"{code(c.id)} {text(cited_state(c)[0])}" for c in clip.approvals)
    return (f"- {code(clip.record_in)} clip {text(clip.clip)}: {_media(clip.media)} — {text(clip_source(clip))}; "
            f"**{clip_approval(clip)[0]}**" + (f" ({cited})" if cited else ""))


def _timeline(record: TimelineRecord) -> list[str]:
    lines = [f"### {code(record.path)}", ""]
    if not record.readable:
        return lines + ["Could not be read, so its clips cannot be cleared: see GAI304 under Open findings.", ""]
    if not record.clips:
        return lines + ["No clip uses generated media.", ""]
    lines += [_clip(c) for c in record.clips[:CLIPS_PER_TIMELINE]]
    rest = len(record.clips) - CLIPS_PER_TIMELINE
    if rest > 0:
        lines.append(f"- {more(rest, 'more clip')}")
    return lines + [""]


def _withdrawal(record: WithdrawalRecord) -> list[str]:
    e = record.entry
    purpose = f", {text(e.purpose)}" if e.purpose else ""
    head = (f"- {plural(record.files, 'file')} declared at the base by {code(where(e.manifest, e.line))} "
            f"(tool {code(e.tool)}{purpose}); {text(withdrawal_now(record))}; "
            f"**{withdrawal_content(record)[0]}**")
    return [head, *_file_lines(record.file_groups)]


def _since(found: Withdrawals) -> str:
    """BASE and the merge base as code: a branch name such as `HEAD~3` reads literally."""
    if found.base is None:
        return f"since {code(found.since)}: the snapshot has no history, so nothing was declared before it"
    return f"since the merge base with {code(found.since)} ({code(found.base[:12])})"


def _withdrawals(report: Report) -> list[str]:
    found = report.withdrawals
    if found is None:
        return _section("Withdrawn declarations", [f"{text(NO_BASE[0])} {code(NO_BASE[1])} {text(NO_BASE[2])}", ""],
                        None)
    intro = (f"Withdrawn {_since(found)}: files a [[generated]] entry declared at the base that are still in the "
             "snapshot, and that no entry declares now or that lost a sensitive category (GAI205):")
    body = [line for r in found.records for line in _withdrawal(r)]
    return _section("Withdrawn declarations", [intro, "", *body, ""] if body else [],
                    f"No declaration was withdrawn {_since(found)}.")


def _expiring(report: Report) -> list[str]:
    lines = [f"## Approvals expiring within {EXPIRING_DAYS} days", ""]
    if not report.approvals:
        return lines + ["No approval register is kept, so no approval expires.", ""]
    if not report.expiring:
        return lines + [f"No approval expires within {EXPIRING_DAYS} days of {report.as_of.isoformat()}.", ""]
    for record in report.expiring:
        users = ", ".join(f"{code(where(u.manifest, u.line))}" + (f" ({text(u.purpose)})" if u.purpose else "")
                          for u in record.used_by) or "no entry"
        lines.append(f"- {code(record.approval.id)}: {text(expiring_text(record))}; cited by {users}")
    return lines + [""]


def _acknowledged(group: RuleGroup) -> list[str]:
    lines = [f"### {group.rule} {group.name}: {len(group.findings)} acknowledged", ""]
    for finding in group.findings[:FINDINGS_PER_RULE]:
        why = finding.suppressed
        by = (f" — acknowledged by {text(why.by)} in {code(where(why.manifest, why.manifest_line))}: "
              f"{text(why.reason)}" if why is not None else "")
        lines.append(f"- {code(where(finding.path, finding.line))}: {text(finding.message)}{by}")
    rest = len(group.findings) - FINDINGS_PER_RULE
    if rest > 0:
        lines.append(f"- {more(rest, 'more finding')}")
    return lines + [""]


def _approvals(report: Report) -> list[str]:
    lines = ["## Approval register", ""]
    if not report.approvals:
        return lines + [("No approval register is kept: no approval id resolves, unless the production keeps its "
                        'approvals outside the repository ([policy] approvals = "external").'), ""]
    for record in report.approvals:
        a = record.approval
        users = _codes((where(u.manifest, u.line) for u in record.used_by), "no entry")
        said = consent(record)
        parts = ([f"Consent: {text(said[0])}"] if said else []) + ([f"Union: {text(a.union)}"] if a.union else [])
        consented = [f"- {' · '.join(parts)}"] if parts else []
        lines += [
            f"### {code(a.id)}: {approval_state(record)[0]}", "",
            f"- Covers: {text(', '.join(a.covers))}",
            *consented,
            f"- Granted by {text(a.granted_by)} on {a.date.isoformat()}; "
            + (f"expires {a.expires.isoformat()}" if a.expires else "does not expire"),
            f"- Cited by: {users}",
            f"- Content: {text(pins_text(record))}",
            f"- Signature: {text(signature_text(record)[0])}",
            f"- Recorded in {code(where(record.manifest, a.line))}", "",
        ]
    unused = report.unused_approvals
    if unused:
        lines += [f"Approvals no entry cites: {_codes(r.approval.id for r in unused)}", ""]
    return lines


def _rule_group(group: RuleGroup) -> list[str]:
    counts = ", ".join(c for c in (plural(group.errors, "error") if group.errors else "",
                                   plural(group.warnings, "warning") if group.warnings else "") if c)
    lines = [f"### {group.rule} {group.name}: {counts}", ""]
    for finding in group.findings[:FINDINGS_PER_RULE]:
        lines.append(f"- {code(where(finding.path, finding.line))}: {text(finding.message)}")
    rest = len(group.findings) - FINDINGS_PER_RULE
    if rest > 0:
        lines.append(f"- {more(rest, 'more finding')}")
    return lines + [""]


def _section(title: str, body: list[str], empty: str | None) -> list[str]:
    if not body and empty is None:
        return []
    return [f"## {title}", ""] + (body or [empty or "", ""])


def render(report: Report) -> str:
    lines = _header(report)
    lines += ["## Summary", ""] + [f"- {text(s)}" for s in summary_sentences(report)] + [""]
    lines += _expiring(report)
    if report.invalid_manifests:
        body = [f"- {code(where(i.path, p.line))}: {text(p.message)}" for i in report.invalid_manifests
                for p in i.problems]
        lines += _section("Manifests that could not be read", body + [""], None)
    lines += _section("Productions", [_production(p) for p in report.productions] + [""] if report.productions
                      else [], None)
    lines += _section("Tools", [line for t in report.tools for line in _tool(t)], "No tool is declared.")
    lines += _section("Generated material", [line for e in report.entries for line in _entry(e)],
                      "No [[generated]] entry is declared.")
    lines += _section("Generated clips in deliverable timelines",
                      [line for t in report.timelines for line in _timeline(t)],
                      "No deliverable timeline is in the snapshot.")
    lines += _withdrawals(report)
    lines += _models(report)
    lines += _archival(report.archival)
    lines += _approvals(report)
    lines += _section("Open findings", [line for g in report.rule_groups for line in _rule_group(g)],
                      "No open findings.")
    if report.acknowledged:
        intro = "Findings an [[acknowledged]] entry of the production accepts: shown here, never counted as open."
        lines += _section("Acknowledged findings",
                          [intro, "", *(line for g in report.acknowledged for line in _acknowledged(g))], None)
    lines += _section("Notes", [f"- {code(n.path)}: {text(n.message)}" for n in report.notes] + [""]
                      if report.notes else [], None)
    return "\n".join(lines).rstrip("\n") + "\n"
