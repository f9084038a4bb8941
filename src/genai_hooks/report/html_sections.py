"""The HTML report's sections on where generated media went and what changed (SPEC §12): generated clips in
deliverable timelines, declarations withdrawn since a base, approvals about to expire, acknowledged findings."""

from __future__ import annotations

from ..approvals import EXPIRING_DAYS
from .html_markup import badge, code, esc, file_list, ident, sub, table
from .model import ClipRecord, Report, RuleGroup, TimelineRecord, WithdrawalRecord
from .wording import (
    BAD,
    CLIPS_PER_TIMELINE,
    FINDINGS_PER_RULE,
    NO_BASE,
    PLAIN,
    WARN,
    approval_state,
    cited_state,
    clip_approval,
    clip_source,
    expiring_text,
    frames,
    more,
    since_text,
    where,
    withdrawal_content,
    withdrawal_now,
)


def _clip_row(clip: ClipRecord) -> list[str]:
    approval = badge(*clip_approval(clip))
    for cited in clip.approvals:
        approval += sub(f"{ident(cited.id)} {badge(*cited_state(cited))}")
    media = "<br>".join(code(g.shown) + esc(frames(g)) for g in clip.media)
    return [ident(clip.record_in), esc(clip.clip), media, esc(clip_source(clip)), approval]


def timeline(record: TimelineRecord) -> str:
    head = f"<h3>{code(record.path)}</h3>"
    if not record.readable:
        return head + (f"<p>{badge('unreadable', BAD)} Could not be read, so its clips cannot be cleared: see "
                       "GAI304 under Open findings.</p>")
    if not record.clips:
        return head + '<p class="none">No clip uses generated media.</p>'
    rows = [_clip_row(c) for c in record.clips[:CLIPS_PER_TIMELINE]]
    rest = len(record.clips) - CLIPS_PER_TIMELINE
    tail = f'<p class="more">{esc(more(rest, "more clip"))}.</p>' if rest > 0 else ""
    return head + table([("Record in", ""), ("Clip", ""), ("Media", ""), ("Generated", ""), ("Approval", "")],
                        rows) + tail


def _withdrawal_row(record: WithdrawalRecord) -> list[str]:
    e = record.entry
    base = code(where(e.manifest, e.line)) + sub(esc(f"tool {e.tool}" + (f", {e.purpose}" if e.purpose else "")))
    return [f"{record.files}" + file_list(record.file_groups), base, esc(withdrawal_now(record)),
            badge(*withdrawal_content(record))]


def withdrawals(report: Report) -> str:
    found = report.withdrawals
    if found is None:
        return f"<p>{esc(NO_BASE[0])} {code(NO_BASE[1])} {esc(NO_BASE[2])}</p>"
    if not found.records:
        return f'<p class="none">{esc(f"No declaration was withdrawn {since_text(found)}.")}</p>'
    intro = (f"Withdrawn {since_text(found)}: files a [[generated]] entry declared at the base that are still in "
             "the snapshot, and that no entry declares now or that lost a sensitive category (GAI205).")
    return f"<p>{esc(intro)}</p>" + table([("Files", ""), ("Declared at the base by", ""), ("Now", ""),
                                            ("Content", "")], [_withdrawal_row(r) for r in found.records])


def expiring(report: Report) -> str:
    if not report.approvals:
        return '<p class="none">No approval register is kept, so no approval expires.</p>'
    if not report.expiring:
        return (f'<p class="none">{esc(f"No approval expires within {EXPIRING_DAYS} days of ")}'
                f"{esc(report.as_of.isoformat())}.</p>")
    rows = [[ident(r.approval.id) + sub(code(where(r.manifest, r.approval.line))),
             badge(*approval_state(r)) + sub(esc(expiring_text(r))),
             "<br>".join(code(where(u.manifest, u.line)) + (sub(esc(u.purpose)) if u.purpose else "")
                         for u in r.used_by) or badge("cited by no entry", WARN)] for r in report.expiring]
    return table([("Approval", ""), ("Expires", ""), ("Cited by", "")], rows)


def acknowledged_group(group: RuleGroup) -> str:
    rows = []
    for f in group.findings[:FINDINGS_PER_RULE]:
        why = f.suppressed
        accepted = (esc(why.reason) + sub(esc(f"by {why.by}, ") + code(where(why.manifest, why.manifest_line)))
                    if why is not None else "")
        rows.append([code(where(f.path, f.line)), esc(f.message), accepted])
    rest = len(group.findings) - FINDINGS_PER_RULE
    tail = f'<p class="more">{esc(more(rest, "more finding"))}.</p>' if rest > 0 else ""
    return (f'<h3 class="rule-head"><span class="id">{esc(group.rule)}</span> <span>{esc(group.name)}</span> '
            f"{badge(f'{len(group.findings)} acknowledged', PLAIN)}</h3>"
            + table([("Where", "where"), ("What", ""), ("Accepted because", "")], rows, "findings") + tail)
