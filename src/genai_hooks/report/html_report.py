"""The report as one self-contained HTML file: inline CSS, nothing fetched, everything quoted escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

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
    human_size,
    incomplete_warning,
    made_from,
    plural,
    snapshot_text,
    summary_sentences,
    visible,
    where,
)

# Belt and braces: even if something slipped through escaping, the browser fetches nothing.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(value: str) -> str:
    """Anything quoted from a manifest, a path or a message: escaped, control characters made visible."""
    return html.escape(visible(value), quote=True)


def code(value: str) -> str:
    """A path or pattern: may break anywhere to fit its column."""
    return f"<code>{esc(value)}</code>"


def ident(value: str) -> str:
    """A tool or approval id: kept on one line."""
    return f'<code class="id">{esc(value)}</code>'


def badge(label: str, tone: str) -> str:
    return f'<span class="badge {tone}">{esc(label)}</span>'


def _value(pair: tuple[str, str]) -> str:
    """A declared value as plain text; a missing one as a flagged 'not declared'."""
    label, tone = pair
    return badge(label, tone) if label == NOT_DECLARED else esc(label)


def _table(headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """`headers`: (label, css class); cells are HTML already."""
    head = "".join(f'<th class="{cls}">{esc(label)}</th>' if cls else f"<th>{esc(label)}</th>" for label, cls in headers)
    body = "".join("<tr>" + "".join(f'<td class="{cls}">{cell}</td>' if cls else f"<td>{cell}</td>"
                                    for (_, cls), cell in zip(headers, row)) + "</tr>" for row in rows)
    opening = f'<table class="{css}">' if css else "<table>"
    return f"{opening}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sub(text: str) -> str:
    return f'<span class="sub">{text}</span>'


def _masthead(report: Report) -> str:
    contacts = list(dict.fromkeys(p.contact for p in report.productions if p.contact))
    meta = [
        ("Contact", ", ".join(esc(c) for c in contacts) if contacts else badge(NOT_DECLARED, WARN)),
        ("Describes", esc(snapshot_text(report.snapshot))),
        ("Approvals judged as of", esc(report.as_of.isoformat())),
        ("Made by", esc(f"genai-hooks {report.version}, from a full audit of {plural(report.files, 'file')}")),
    ]
    items = "".join(f"<div><dt>{esc(label)}</dt><dd>{value}</dd></div>" for label, value in meta)
    return (f'<header class="masthead"><p class="eyebrow">Generative-AI disclosure report</p>'
            f"<h1>{esc(report.title)}</h1><dl class=\"meta\">{items}</dl></header>")


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
    body = "".join(f'<div class="card {tone}"><span class="value">{esc(value)}</span>'
                   f'<span class="label">{esc(label)}</span></div>' for value, label, tone in cards)
    sentences = "".join(f"<li>{esc(s)}</li>" for s in summary_sentences(report))
    return f'<section class="cards">{body}</section><ul class="summary">{sentences}</ul>'


def _productions(productions: Sequence[ProductionRecord]) -> str:
    rows = [[
        (esc(p.title) if p.title else badge(NOT_DECLARED, WARN)) + (_sub(esc(p.kind)) if p.kind else ""),
        esc(p.contact) if p.contact else badge(NOT_DECLARED, WARN),
        code(p.approval_pattern) if p.approval_pattern else '<span class="none">any id</span>',
        badge("kept", OK) if p.register else badge("none", WARN),
        code(p.scope + "/") if p.scope else '<span class="none">whole repository</span>',
        code(where(p.manifest, p.line)),
    ] for p in productions]
    return _table([("Production", ""), ("Contact", ""), ("Approval ids", ""), ("Register", ""), ("Governs", ""),
                   ("Declared in", "")], rows)


def _tool_row(record: ToolRecord) -> list[str]:
    t, use = record.tool, record.use
    name = f"<strong>{ident(t.id)}</strong>" + _sub(code(where(t.manifest, t.line)))
    vendor = (esc(t.vendor) if t.vendor else badge(NOT_DECLARED, BAD)) + (_sub(esc(t.product)) if t.product else "")
    usage = (f"{plural(use.files, 'file')}" + _sub(esc(f"{human_size(use.bytes)} · "
                                                       f"{plural(record.entries, 'entry', 'entries')}"))
             if record.entries else '<span class="none">unused</span>')
    return [name, vendor, badge(*attestation(t.trains_on_inputs)), badge(*attestation(t.retains_inputs)),
            badge(*environment(t.environment)), _value(declared(t.terms)),
            esc(t.disclosed.isoformat()) if t.disclosed else badge(NOT_DECLARED, WARN), usage]


def _entry_row(record: EntryRecord) -> list[str]:
    e, use = record.entry, record.use
    what = (f"<strong>{esc(e.purpose)}</strong>" if e.purpose else '<span class="none">no purpose given</span>')
    what += _sub("<br>".join(code(p) for p in e.paths)) + _sub("declared in " + code(where(e.manifest, e.line)))
    tool = (ident(e.tool) + (_sub(esc(record.tool.vendor)) if record.tool.vendor else "") if record.tool is not None
            else ident(e.tool) + _sub(badge("undeclared tool", BAD)))
    sensitive = "<br>".join(esc(s) for s in e.sensitive) or '<span class="none">none</span>'
    if e.inputs:
        sensitive += _sub("inputs: " + ", ".join(esc(i) for i in e.inputs))
    if use.archival_files:
        sensitive += _sub(badge(f"{use.archival_files} taken for real", WARN))
    approval = badge(*entry_status(record))
    for cited in record.approvals:
        label, tone = cited_state(cited)
        approval += _sub(f"{ident(cited.id)} {badge(label, tone)}")
    files = f"{use.files}" + _sub(esc(f"{use.deliverable_files} deliverable"))
    size = esc(human_size(use.bytes)) + (_sub(esc(f"{use.lfs_files} in Git LFS")) if use.lfs_files else "")
    return [what, tool, sensitive, approval, files, size]


def _model_row(record: ModelRecord) -> list[str]:
    e, use = record.entry, record.use
    what = (f"<strong>{esc(e.purpose)}</strong>" if e.purpose else '<span class="none">no purpose given</span>')
    what += _sub("<br>".join(code(p) for p in e.paths)) + _sub("declared in " + code(where(e.manifest, e.line)))
    trained = "<br>".join(esc(t) for t in e.trained_on) or badge(NOT_DECLARED, WARN)
    approval = badge(*entry_status(record))
    for cited in record.approvals:
        approval += _sub(f"{ident(cited.id)} {badge(*cited_state(cited))}")
    size = esc(human_size(use.bytes)) + (_sub(esc(f"{use.lfs_files} in Git LFS")) if use.lfs_files else "")
    return [what, esc(made_from(record)), trained, approval, str(use.files), size]


def _archival(records: Sequence[ArchivalRecord]) -> str:
    rows = [[code(where(a.manifest, a.line)), "<br>".join(code(p) for p in a.paths)] for a in records]
    return _table([("Declared in", ""), ("Archival paths", "")], rows) if rows else ""


def _approval_row(record: ApprovalRecord) -> list[str]:
    a = record.approval
    users = "<br>".join(code(where(u.manifest, u.line)) for u in record.used_by) or badge("cited by no entry", WARN)
    said = consent(record)
    covers = "<br>".join(esc(c) for c in a.covers)
    if said is not None:
        covers += _sub("consent: " + (esc(said[0]) if said[1] == PLAIN else badge(*said)))
    if a.union:
        covers += _sub("union: " + esc(a.union))
    return [ident(a.id) + _sub(code(where(record.manifest, a.line))), covers,
            esc(a.granted_by), esc(a.date.isoformat()),
            esc(a.expires.isoformat()) if a.expires else '<span class="none">never</span>',
            badge(*approval_state(record)), users]


def _rule_group(group: RuleGroup) -> str:
    counts = " ".join(b for b in (badge(plural(group.errors, "error"), BAD) if group.errors else "",
                                  badge(plural(group.warnings, "warning"), WARN) if group.warnings else "") if b)
    rows = [[code(where(f.path, f.line)) + (_sub(esc(f"{len(f.files)} files")) if len(f.files) > 1 else ""),
             esc(f.message)] for f in group.findings[:FINDINGS_PER_RULE]]
    rest = len(group.findings) - FINDINGS_PER_RULE
    more = (f'<p class="more">… and {esc(plural(rest, "more finding"))}; the JSON report lists every one.</p>'
            if rest > 0 else "")
    return (f'<h3 class="rule-head"><span class="id">{esc(group.rule)}</span> <span>{esc(group.name)}</span> '
            f"{counts}</h3>" + _table([("Where", "where"), ("What", "")], rows, "findings") + more)


def _section(anchor: str, title: str, body: str, empty: str | None = None) -> str:
    if not body:
        if empty is None:
            return ""
        body = f'<p class="none">{esc(empty)}</p>'
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{body}</section>'


def render(report: Report) -> str:
    tools = _table([("Tool", ""), ("Vendor / product", ""), ("Trains on inputs", ""), ("Retains inputs", ""),
                    ("Environment", ""), ("Terms", ""), ("Disclosed", ""), ("Use", "")],
                   [_tool_row(t) for t in report.tools]) if report.tools else ""
    entries = _table([("Purpose and paths", ""), ("Tool", ""), ("Sensitive", ""), ("Approval", ""),
                      ("Files", "num"), ("Size", "num")],
                     [_entry_row(e) for e in report.entries]) if report.entries else ""
    models = _table([("Purpose and paths", ""), ("Made from", ""), ("Trained on", ""), ("Approval", ""),
                     ("Files", "num"), ("Size", "num")],
                    [_model_row(m) for m in report.models]) if report.models else ""
    if report.undeclared_models:
        models += (f'<p class="more">{esc(plural(report.undeclared_models, "model file"))} no [[models]] entry '
                   "declares: see GAI501 under Open findings.</p>")
    approvals = _table([("Approval", ""), ("Covers", ""), ("Granted by", ""), ("Date", ""), ("Expires", ""),
                        ("State", ""), ("Cited by", "")],
                       [_approval_row(a) for a in report.approvals]) if report.approvals else ""
    notes = "".join(f"<li>{code(n.path)}: {esc(n.message)}</li>" for n in report.notes)
    body = "".join([
        _masthead(report),
        _alerts(report),
        _cards(report),
        _section("productions", "Productions", _productions(report.productions) if report.productions else ""),
        _section("tools", "Tools and their attestations", tools, "No tool is declared."),
        _section("generated", "Generated material", entries, "No [[generated]] entry is declared."),
        _section("models", "Models", models),
        _section("archival", "Archival material", _archival(report.archival)),
        _section("approvals", "Approval register", approvals,
                 "No approval register is kept: any well-formed approval id is accepted unchecked."),
        _section("findings", "Open findings", "".join(_rule_group(g) for g in report.rule_groups),
                 "No open findings."),
        _section("notes", "Notes", f"<ul>{notes}</ul>" if notes else ""),
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
