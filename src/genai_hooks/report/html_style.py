"""The HTML report's stylesheet: inline, system fonts only, for screens and for A4 or Letter paper."""

from __future__ import annotations

# No @page size: the printer's paper (A4 or Letter) decides; the layout is fluid down to ~170 mm.
STYLESHEET = """
:root {
  --ink: #1c2331; --muted: #5d6677; --rule: #d9dde5; --tint: #f4f6f9; --accent: #27446e;
  --ok: #17663f; --ok-bg: #e3f3ea; --warn: #7a4f00; --warn-bg: #fdf1d3; --bad: #9f1f1b; --bad-bg: #fbe4e2;
}
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html { background: #eceff3; }
body {
  margin: 0; color: var(--ink); font: 14px/1.45 -apple-system, "Segoe UI", "Helvetica Neue", Helvetica,
  Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
}
.page { max-width: 1080px; margin: 24px auto; padding: 36px 44px 28px; background: #fff;
  box-shadow: 0 1px 3px rgba(20, 30, 50, .12); }
code, .mono { font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  font-size: .88em; overflow-wrap: anywhere; word-break: break-word; }
code { background: var(--tint); border-radius: 3px; padding: 0 .25em; }
code.id { overflow-wrap: normal; word-break: normal; white-space: nowrap; }
header.masthead { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 18px; }
.eyebrow { margin: 0; color: var(--accent); font-size: 12px; font-weight: 700; letter-spacing: .08em;
  text-transform: uppercase; }
h1 { margin: 4px 0 12px; font-size: 28px; line-height: 1.2; overflow-wrap: anywhere; }
h2 { margin: 28px 0 10px; padding-bottom: 4px; font-size: 18px; color: var(--accent);
  border-bottom: 1px solid var(--rule); }
h3 { margin: 18px 0 6px; font-size: 14px; }
.verdict { margin: 0 0 12px; font-size: 15px; }
.verdict.ready strong { color: var(--ok); }
.verdict.not-ready strong { color: var(--bad); }
.meta { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px 28px; margin: 0; }
.meta div { min-width: 0; }
.meta dt { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .06em; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.alert { margin: 16px 0; padding: 10px 14px; border-left: 4px solid var(--bad); background: var(--bad-bg);
  color: var(--bad); }
.alert strong { display: block; margin-bottom: 2px; }
.alert ul { margin: 6px 0 0; padding-left: 18px; color: var(--ink); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 10px; margin: 18px 0 6px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; background: var(--tint); }
.card .value { display: block; font-size: 22px; font-weight: 700; line-height: 1.15; }
.card .label { display: block; color: var(--muted); font-size: 11.5px; }
.card.bad { border-color: #efb7b2; background: var(--bad-bg); } .card.bad .value { color: var(--bad); }
.card.warn { border-color: #f0d48f; background: var(--warn-bg); } .card.warn .value { color: var(--warn); }
.card.ok .value { color: var(--ok); }
ul.summary { margin: 10px 0 0; padding-left: 18px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 4px; font-size: 12.5px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11px; text-transform: uppercase;
  letter-spacing: .04em; border-bottom: 2px solid var(--rule); padding: 6px 8px; vertical-align: bottom; }
td { border-bottom: 1px solid var(--rule); padding: 7px 8px; vertical-align: top; overflow-wrap: break-word; }
table.findings { table-layout: fixed; }
table.findings .where { width: 38%; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.sub { display: block; color: var(--muted); font-size: 11.5px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 11.5px; font-weight: 600;
  white-space: nowrap; background: var(--tint); color: var(--muted); }
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.none { color: var(--muted); font-style: italic; }
.rule-head { display: flex; gap: 10px; align-items: baseline; }
.rule-head .id { font-weight: 700; }
.more { color: var(--muted); font-style: italic; }
ul.files { margin: 4px 0 0; padding-left: 16px; color: var(--muted); font-size: 11.5px; }
ul.files li { overflow-wrap: anywhere; }
footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid var(--rule); color: var(--muted);
  font-size: 11.5px; }
footer p { margin: 3px 0; }
@page { margin: 14mm 12mm 16mm; }
@media print {
  html { background: #fff; }
  body { font-size: 9.5pt; }
  .page { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h1 { font-size: 20pt; }
  h2 { font-size: 13pt; margin-top: 18pt; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, .card, .alert, .meta div { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, .rule-head { break-after: avoid; page-break-after: avoid; }
  .cards { grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 6px; }
  .card { padding: 6px 8px; }
  .card .value { font-size: 13pt; }
  .card .label { font-size: 7.5pt; }
}
"""
