"""The report as one self-contained HTML file: inline CSS, nothing fetched, everything quoted escaped."""

from __future__ import annotations

from collections.abc import Sequence

from ..approvals import EXPIRING_DAYS
from .html_markup import badge, code, esc, file_list, ident, section, sub, table, value
from .html_sections import acknowledged_group, expiring, timeline, withdrawals
from .html_style import STYLESHEET
from .model import (
    ApprovalRecord,
    ArchivalRecord,
    EntryRecord,
    ModelRecord,
    ProductionRecord,
    Report,
    RuleGroup,
    ToolRecord,
)
from .wording import (
    BAD,
    FINDINGS_PER_RULE,
    NOT_DECLARED,
    OK,
    PLAIN,
    WARN,
    approval_state,
    attestation,
    cited_state,
    consent,
    declared,
    entry_status,
    environment,
    headline,
    human_size,
    incomplete_warning,
    made_from,
    more,
    pins_text,
    plural,
    signature_text,
    since_text,
    snapshot_text,
    summary_sentences,
    unchecked_warning,
    verdict,
    where,
)

__all__ = ["esc", "render"]  # esc: what tests compare escaped text with

# Belt and braces: even if something slipped through escaping, the browser fetches nothing.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _masthead(report: Report) -> str:
    contacts = list(dict.fromkeys(p.contact for p in report.productions if p.contact))
    meta = [
        ("Contact", ", ".join(esc(c) for c in contacts) if contacts else badge(NOT_DECLARED, WARN)),
        ("Describes", esc(snapshot_text(report.snapshot))),
        ("Approvals judged as of", esc(report.as_of.isoformat())),
        ("Made by", esc(f"genai-hooks {report.version}, from a full audit of {plural(report.files, 'file')}")),
    ]
    if report.withdrawals is not None:
        meta.append(("Withdrawals compared", esc(since_text(report.withdrawals))))
    items = "".join(f"<div><dt>{esc(label)}</dt><dd>{value}</dd></div>" for label, value in meta)
    return (f'<header class="masthead"><p class="eyebrow">Generative-AI disclosure report</p>'
            f"<h1>{esc(report.title)}</h1><p class=\"verdict {'ready' if report.ready else 'not-ready'}\">"
            f"<strong>{esc(verdict(report))}.</strong> {esc(headline(report))}</p>"
            f"<dl class=\"meta\">{items}</dl></header>")


def _alerts(report: Report) -> str:
    parts = []
    if not report.complete:
        problems = "".join(f"<li>{code(where(i.path, p.line))}: {esc(p.message)}</li>"
                           for i in report.invalid_manifests for p in i.problems)
        parts.append(f'<section class="alert" id="incomplete"><strong>Incomplete report</strong>'
                     f"{esc(incomplete_warning(report))}<ul>{problems}</ul></section>")
    if not report.productions:
        parts.append('<section class="alert"><strong>No production declared</strong>No valid root genai.toml '
                     "was found: nothing about this production is declared.</section>")
    if report.unchecked_approvals:
        parts.append('<section class="alert" id="unchecked"><strong>Approvals not checked</strong>'
                     f"{esc(unchecked_warning(report.unchecked_approvals))}</section>")
    return "".join(parts)


def _cards(report: Report) -> str:
    g = report.generated
    cards = [
        (str(g.files), "generated files", PLAIN),
        (str(g.deliverable_files), "in deliverable paths", PLAIN),
        (human_size(g.bytes), "generated media", PLAIN),
        (str(len(report.tools)), "tools declared", PLAIN),
        (str(len(report.approvals)), "approvals in register", PLAIN),
        (str(report.errors), "open errors", BAD if report.errors else OK),
        (str(report.warnings), "open warnings", WARN if report.warnings else OK),
    ]
    body = "".join(f'<div class="card {tone}"><span class="value">{esc(shown)}</span>'
                   f'<span class="label">{esc(label)}</span></div>' for shown, label, tone in cards)
    sentences = "".join(f"<li>{esc(s)}</li>" for s in summary_sentences(report))
    return f'<section class="cards">{body}</section><ul class="summary">{sentences}</ul>'


def _productions(productions: Sequence[ProductionRecord]) -> str:
    rows = [[
        (esc(p.title) if p.title else badge(NOT_DECLARED, WARN)) + (sub(esc(p.kind)) if p.kind else ""),
        esc(p.contact) if p.contact else badge(NOT_DECLARED, WARN),
        code(p.approval_pattern) if p.approval_pattern else '<span class="none">any id</span>',
        badge("kept", OK) if p.register else badge("none", WARN),
        code(p.scope + "/") if p.scope else '<span class="none">whole repository</span>',
        code(where(p.manifest, p.line)),
    ] for p in productions]
    return table([("Production", ""), ("Contact", ""), ("Approval ids", ""), ("Register", ""), ("Governs", ""),
                   ("Declared in", "")], rows)


def _tool_row(record: ToolRecord) -> list[str]:
    t, use = record.tool, record.use
    name = f"<strong>{ident(t.id)}</strong>" + sub(code(where(t.manifest, t.line)))
    vendor = (esc(t.vendor) if t.vendor else badge(NOT_DECLARED, BAD)) + (sub(esc(t.product)) if t.product else "")
    usage = (f"{plural(use.files, 'file')}" + sub(esc(f"{human_size(use.bytes)} · "
                                                      f"{plural(record.entries, 'entry', 'entries')}"))
             if record.entries else '<span class="none">unused</span>')
    return [name, vendor, badge(*attestation(t.trains_on_inputs)), badge(*attestation(t.retains_inputs)),
            badge(*environment(t.environment)), value(declared(t.terms)),
            esc(t.disclosed.isoformat()) if t.disclosed else badge(NOT_DECLARED, WARN), usage]


def _entry_row(record: EntryRecord) -> list[str]:
    e, use = record.entry, record.use
    what = (f"<strong>{esc(e.purpose)}</strong>" if e.purpose else '<span class="none">no purpose given</span>')
    what += sub("<br>".join(code(p) for p in record.patterns)) + sub("declared in " + code(where(e.manifest, e.line)))
    what += file_list(record.file_groups)
    tool = (ident(e.tool) + (sub(esc(record.tool.vendor)) if record.tool.vendor else "") if record.tool is not None
            else ident(e.tool) + sub(badge("undeclared tool", BAD)))
    sensitive = "<br>".join(esc(s) for s in e.sensitive) or '<span class="none">none</span>'
    if e.inputs:
        sensitive += sub("inputs: " + ", ".join(esc(i) for i in e.inputs))
    if use.archival_files:
        sensitive += sub(badge(f"{use.archival_files} taken for real", WARN))
    if record.to_disclose:
        said = e.disclosure
        sensitive += sub("disclosure: " + (esc(said.describe()) if said is not None else badge("missing", BAD))
                         + "<br>" + "<br>".join(code(g.shown) for g in record.to_disclose))
    approval = badge(*entry_status(record))
    for cited in record.approvals:
        label, tone = cited_state(cited)
        approval += sub(f"{ident(cited.id)} {badge(label, tone)}")
    files = f"{use.files}" + sub(esc(f"{use.deliverable_files} deliverable"))
    size = esc(human_size(use.bytes)) + (sub(esc(f"{use.lfs_files} in Git LFS")) if use.lfs_files else "")
    return [what, tool, sensitive, approval, files, size]


def _model_row(record: ModelRecord) -> list[str]:
    e, use = record.entry, record.use
    what = (f"<strong>{esc(e.purpose)}</strong>" if e.purpose else '<span class="none">no purpose given</span>')
    what += sub("<br>".join(code(p) for p in record.patterns)) + sub("declared in " + code(where(e.manifest, e.line)))
    what += file_list(record.file_groups)
    trained = "<br>".join(esc(t) for t in e.trained_on) or badge(NOT_DECLARED, WARN)
    approval = badge(*entry_status(record))
    for cited in record.approvals:
        approval += sub(f"{ident(cited.id)} {badge(*cited_state(cited))}")
    size = esc(human_size(use.bytes)) + (sub(esc(f"{use.lfs_files} in Git LFS")) if use.lfs_files else "")
    return [what, esc(made_from(record)), trained, approval, str(use.files), size]


def _archival(records: Sequence[ArchivalRecord]) -> str:
    rows = [[code(where(a.manifest, a.line)), "<br>".join(code(p) for p in a.patterns)] for a in records]
    return table([("Declared in", ""), ("Archival paths", "")], rows) if rows else ""


def _approval_row(record: ApprovalRecord) -> list[str]:
    a = record.approval
    users = "<br>".join(code(where(u.manifest, u.line)) for u in record.used_by) or badge("cited by no entry", WARN)
    said = consent(record)
    covers = "<br>".join(esc(c) for c in a.covers)
    if said is not None:
        covers += sub("consent: " + (esc(said[0]) if said[1] == PLAIN else badge(*said)))
    if a.union:
        covers += sub("union: " + esc(a.union))
    return [ident(a.id) + sub(code(where(record.manifest, a.line))), covers,
            esc(a.granted_by), esc(a.date.isoformat()),
            esc(a.expires.isoformat()) if a.expires else '<span class="none">never</span>',
            badge(*approval_state(record)) + sub(esc(pins_text(record))) + sub(badge(*signature_text(record))), users]


def _rule_group(group: RuleGroup) -> str:
    counts = " ".join(b for b in (badge(plural(group.errors, "error"), BAD) if group.errors else "",
                                  badge(plural(group.warnings, "warning"), WARN) if group.warnings else "") if b)
    rows = [[code(where(f.path, f.line)) + (sub(esc(f"{len(f.files)} files")) if len(f.files) > 1 else ""),
             esc(f.message)] for f in group.findings[:FINDINGS_PER_RULE]]
    rest = len(group.findings) - FINDINGS_PER_RULE
    tail = f'<p class="more">{esc(more(rest, "more finding"))}.</p>' if rest > 0 else ""
    return (f'<h3 class="rule-head"><span class="id">{esc(group.rule)}</span> <span>{esc(group.name)}</span> '
            f"{counts}</h3>" + table([("Where", "where"), ("What", "")], rows, "findings") + tail)


def render(report: Report) -> str:
    tools = table([("Tool", ""), ("Vendor / product", ""), ("Trains on inputs", ""), ("Retains inputs", ""),
                   ("Environment", ""), ("Terms", ""), ("Disclosed", ""), ("Use", "")],
                  [_tool_row(t) for t in report.tools]) if report.tools else ""
    entries = table([("Purpose and paths", ""), ("Tool", ""), ("Sensitive", ""), ("Approval", ""),
                     ("Files", "num"), ("Size", "num")],
                    [_entry_row(e) for e in report.entries]) if report.entries else ""
    models = table([("Purpose and paths", ""), ("Made from", ""), ("Trained on", ""), ("Approval", ""),
                    ("Files", "num"), ("Size", "num")],
                   [_model_row(m) for m in report.models]) if report.models else ""
    if report.undeclared_models:
        models += (f'<p class="more">{esc(plural(report.undeclared_models, "model file"))} no [[models]] entry '
                   "declares: see GAI501 under Open findings.</p>")
    approvals = table([("Approval", ""), ("Covers", ""), ("Granted by", ""), ("Date", ""), ("Expires", ""),
                       ("State", ""), ("Cited by", "")],
                      [_approval_row(a) for a in report.approvals]) if report.approvals else ""
    notes = "".join(f"<li>{code(n.path)}: {esc(n.message)}</li>" for n in report.notes)
    body = "".join([
        _masthead(report),
        _alerts(report),
        _cards(report),
        section("expiring", f"Approvals expiring within {EXPIRING_DAYS} days", expiring(report)),
        section("productions", "Productions", _productions(report.productions) if report.productions else ""),
        section("tools", "Tools and their attestations", tools, "No tool is declared."),
        section("generated", "Generated material", entries, "No [[generated]] entry is declared."),
        section("timelines", "Generated clips in deliverable timelines",
                "".join(timeline(t) for t in report.timelines), "No deliverable timeline is in the snapshot."),
        section("withdrawn", "Withdrawn declarations", withdrawals(report)),
        section("models", "Models", models),
        section("archival", "Archival material", _archival(report.archival)),
        section("approvals", "Approval register", approvals,
                "No approval register is kept: no approval id resolves unless approvals are kept outside the "
                "repository."),
        section("findings", "Open findings", "".join(_rule_group(g) for g in report.rule_groups),
                "No open findings."),
        section("acknowledged", "Acknowledged findings",
                ('<p>Findings an [[acknowledged]] entry of the production accepts: shown here, never counted as '
                 "open.</p>" + "".join(acknowledged_group(g) for g in report.acknowledged))
                if report.acknowledged else ""),
        section("notes", "Notes", f"<ul>{notes}</ul>" if notes else ""),
        _footer(report),
    ])
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc('Generative-AI disclosure: ' + report.title)}</title>\n"
            f"<style>{STYLESHEET}</style>\n</head>\n<body>\n<main class=\"page\">\n{body}\n</main>\n</body>\n</html>\n")


def _footer(report: Report) -> str:
    lines = [
        ("Trains on inputs and retains inputs must be declared <em>no</em> (principle 2 of the guidance); "
        "environment should be enterprise or on-premises (principle 3)."),
        ("An approval holds through its expiry date; <em>expires in N days</em> flags one ending within 30 days "
        "of the as-of date. File counts and sizes cover the files each entry governs in the snapshot; "
        "for files stored in Git LFS the media size is counted, not the pointer's."),
        esc(f"Made by genai-hooks {report.version}. The JSON format of this report lists every finding."),
    ]
    return "<footer>" + "".join(f"<p>{line}</p>" for line in lines) + "</footer>"
