"""Render a `ReportData` as one self-contained HTML file (inline CSS, JS and SVG; no network).

Article text (titles, evidence sentences, participants' words) reaches the page two ways, both
escaped: in markup through `html.escape`, and in the embedded JSON block (read by the
drill-down script, which only ever sets `textContent`) with `<`, `>` and `&` written as
`\\u003c`, `\\u003e`, `\\u0026`, so no text can close the `<script>` element.
"""

from __future__ import annotations

import json
import math
from html import escape
from importlib import resources
from typing import Any

from multivector.ontology import QUAD
from multivector.report.build import BALANCE_SERIES, ReportData
from multivector.report.svg import line_chart, relations_map


def _asset(name: str) -> str:
    return resources.files("multivector.report").joinpath("assets", name).read_text("utf-8")


def script_json(data: Any) -> str:
    """JSON safe to place inside a `<script type="application/json">` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _num(x: float | None, digits: int = 2) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:+.{digits}f}"


def _figure(caption: str, svg: str) -> str:
    return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>"


def _shift_index(report: ReportData) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for s in report.shifts:
        out.setdefault(s.shift.series, []).append(s.shift.index)
    return out


def _charts(report: ReportData) -> str:
    cuts = _shift_index(report)
    periods = report.periods
    active = [a for a in report.alignments if any(a.events)]
    silent = [a.power for a in report.alignments if not any(a.events)]
    parts = ["<h2 id='balance'>Multi-vector balance</h2>"]
    b = report.balance
    parts.append(
        _figure(
            "Balance of cooperation across " + ", ".join(b.powers) + " (0 = one power, 1 = even)",
            line_chart(
                periods, b.balance, *b.ci, key="*", label="balance", y_range=(0.0, 1.0),
                shifts=cuts.get(BALANCE_SERIES, ()),
            ),
        )
    )  # fmt: skip
    parts.append("<h2 id='net'>Net cooperation with each power</h2><div class='grid'>")
    for a in active:
        parts.append(
            _figure(
                f"{report.country}–{a.power}: sum of PLOVER scores per period",
                line_chart(
                    periods, a.net_cooperation, *a.net_ci, key=a.power,
                    label=f"{report.country}-{a.power} net cooperation",
                    shifts=cuts.get(f"net_cooperation:{a.power}", ()),
                ),
            )
        )  # fmt: skip
    parts.append("</div><h2 id='alignment'>Alignment with each power</h2><div class='grid'>")
    for a in active:
        parts.append(
            _figure(
                f"{report.country}–{a.power}: mean PLOVER score / 10",
                line_chart(
                    periods, a.alignment, *a.alignment_ci, key=a.power,
                    label=f"{report.country}-{a.power} alignment", y_range=(-1.0, 1.0),
                ),
            )
        )  # fmt: skip
    parts.append("</div>")
    if silent:
        parts.append(
            f"<p class='muted'>No events with: {escape(', '.join(silent))} in this period.</p>"
        )
    shown = {a.power for a in active}
    tilts = [t for t in report.tilts if t.toward in shown and t.away_from in shown]
    if tilts:
        parts.append("<h2 id='tilt'>Tilt between powers</h2><div class='grid'>")
        for t in tilts:
            parts.append(
                _figure(
                    f"Tilt toward {t.toward} rather than {t.away_from}",
                    line_chart(
                        periods, t.tilt, *t.ci, key=t.toward,
                        label=f"tilt {t.toward} vs {t.away_from}", y_range=(-2.0, 2.0),
                    ),
                )
            )  # fmt: skip
        parts.append("</div>")
    return "".join(parts)


def _map(report: ReportData) -> str:
    partners = [
        (p.code, p.events, p.cooperative, p.conflictual, p.net_cooperation, p.mean_score)
        for p in report.partners[:24]
    ]
    if not partners:
        return "<h2 id='map'>Relations map</h2><p class='muted'>No partners.</p>"
    rows = "".join(
        f"<tr><td><button type='button' data-key='partner:{escape(p.code)}' data-period='all' "
        f"data-label='{escape(report.country)}-{escape(p.code)}'>{escape(p.code)}</button></td>"
        f"<td class='num'>{p.events}</td><td class='num'>{p.cooperative}</td>"
        f"<td class='num'>{p.conflictual}</td><td class='num'>{_num(p.net_cooperation, 1)}</td>"
        f"<td class='num'>{_num(p.mean_score)}</td></tr>"
        for p in report.partners
    )
    return (
        "<h2 id='map'>Relations map</h2>"
        f"<p class='muted'>{escape(report.country)} in the centre; its {len(partners)} most "
        "frequent partners around it. Green: cooperation, red: conflict; width: events.</p>"
        f"<div class='grid'><figure>{relations_map(report.country, partners)}</figure>"
        "<div><table><tr><th>partner</th><th class='num'>events</th><th class='num'>coop</th>"
        "<th class='num'>conflict</th><th class='num'>net</th><th class='num'>alignment</th></tr>"
        f"{rows}</table></div></div>"
    )


def _shifts(report: ReportData) -> str:
    if not report.shifts:
        return "<h2 id='shifts'>Detected shifts</h2><p class='muted'>No change point found.</p>"
    rows = "".join(
        f"<tr><td>{escape(s.shift.series)}</td><td>{escape(s.shift.period.isoformat())}</td>"
        f"<td class='num'>{_num(s.shift.before)}</td><td class='num'>{_num(s.shift.after)}</td>"
        f"<td class='num'>{_num(s.shift.delta)}</td><td><button type='button' "
        f"data-key='shift:{i}' data-period='all' data-label='{escape(s.shift.series)} shift "
        f"{escape(s.shift.period.isoformat())}'>{len(s.events)} events</button></td></tr>"
        for i, s in enumerate(report.shifts)
    )
    return (
        "<h2 id='shifts'>Detected shifts</h2><table><tr><th>series</th><th>from</th>"
        "<th class='num'>mean before</th><th class='num'>mean after</th>"
        f"<th class='num'>change</th><th>events around</th></tr>{rows}</table>"
    )


def _methods(report: ReportData) -> str:
    formulas = "".join(
        f"<dt>{escape(m['measure'])}</dt><dd>{escape(m['formula'])}</dd>"
        for m in report.to_dict()["methods"]
    )
    coders = (
        "".join(
            f"<li>{escape(c or 'unknown coder')}{escape(f' (dataset {d})' if d else '')}: "
            f"{n} events</li>"
            for c, d, n in report.coder_versions
        )
        or "<li>none</li>"
    )
    corpus = report.corpus
    sources = "".join(
        f"<li>{escape(s['source'] or 'unknown')}: {s['documents']} documents, "
        f"{escape(str(s['first']))} to {escape(str(s['last']))}</li>"
        for s in corpus.get("sources", ())
    )
    f = report.filters
    filters = (
        f"granularity {f.granularity}; factuality {', '.join(f.factuality)}; "
        f"types {', '.join(f.types) or 'all'}; sources {', '.join(f.sources) or 'all'}; "
        f"{'clusters counted once' if f.dedup else 'every report counted'}"
    )
    powers = "; ".join(
        f"{p.name} = {'+'.join(p.codes)}{' and member states' if p.expand_members else ''}"
        for p in report.powers
    )
    return (
        "<h2 id='methods'>Methods</h2><dl class='methods'>"
        f"{formulas}</dl><h3>Data</h3><ul>"
        f"<li>Events of {escape(report.country)}: {corpus.get('events', 0)} from "
        f"{corpus.get('documents_with_events', 0)} documents, event dates "
        f"{escape(str(corpus.get('first_event')))} to {escape(str(corpus.get('last_event')))}.</li>"
        f"<li>Store: {corpus.get('store_documents', 'unknown number of')} documents.</li>"
        f"<li>Filters: {escape(filters)}.</li><li>Powers: {escape(powers)}.</li>"
        f"<li>Memberships: {escape(report.membership)}.</li>"
        f"<li>Bootstrap: {report.replicates} replicates, seed {report.seed}, 95% intervals.</li>"
        f"</ul><h3>Coder versions</h3><ul>{coders}</ul>"
        f"<h3>Sources in the store</h3><ul>{sources or '<li>unknown</li>'}</ul>"
        f"<p class='muted'>Generated by multivector {escape(report.version)}.</p>"
    )


def render_html(report: ReportData) -> str:
    """Return the report as one HTML document that works offline."""
    points = {k: {p: list(v) for p, v in d.items()} for k, d in report.points.items()}
    for i, s in enumerate(report.shifts):
        points[f"shift:{i}"] = {"all": list(s.events)}
    data = {
        "powers": [p.name for p in report.powers],
        "points": points,
        "events": {k: dict(v) for k, v in report.events.items()},
        "quads": QUAD,
    }
    first = report.periods[0].isoformat() if report.periods else "–"
    last = report.periods[-1].isoformat() if report.periods else "–"
    title = f"{report.country}: relations with the powers"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style></head><body>"
        f"<main><h1>{escape(title)}</h1><p class='muted'>Periods ({escape(report.filters.granularity)}) "
        f"{escape(first)} to {escape(last)}. Click any point, edge or button to list the events "
        "behind it. Bands: 95% bootstrap intervals (documents resampled).</p>"
        "<nav><a href='#balance'>balance</a> · <a href='#net'>net cooperation</a> · "
        "<a href='#alignment'>alignment</a> · <a href='#tilt'>tilt</a> · "
        "<a href='#map'>relations map</a> · <a href='#shifts'>shifts</a> · "
        "<a href='#methods'>methods</a></nav>"
        f"{_charts(report)}{_map(report)}{_shifts(report)}{_methods(report)}</main>"
        "<aside><h2 id='drill-title'>Events</h2><div id='drill-body' class='muted'>"
        "Select a point to see its events.</div></aside>"
        f"<script type='application/json' id='mv-data'>{script_json(data)}</script>"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
