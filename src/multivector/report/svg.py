"""Server-side SVG charts: a line with its interval band, and the relations map.

Every text that reaches the markup goes through `html.escape`; points carry `data-key` and
`data-period` so the report's script can list the events behind them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape

W, H = 640, 210
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 12, 30


def _num(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    out, v = [], first
    while v <= hi + 1e-9 * step:
        out.append(round(v, 10))
        v += step
    return out


def _runs(ok: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal [start, end] index runs where ok is true."""
    runs, start = [], None
    for i, good in enumerate([*ok, False]):
        if good and start is None:
            start = i
        elif not good and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def line_chart(
    periods: Sequence[date],
    values: Sequence[float | None],
    lo: Sequence[float | None],
    hi: Sequence[float | None],
    *,
    key: str,
    label: str,
    y_range: tuple[float, float] | None = None,
    shifts: Sequence[int] = (),
) -> str:
    """A line chart of `values` with the [lo, hi] band; points open their events."""
    vs, los, his = [_num(v) for v in values], [_num(v) for v in lo], [_num(v) for v in hi]
    n = len(periods)
    if n == 0:
        return '<p class="muted">No periods to draw.</p>'
    seen = [v for v in (*vs, *los, *his) if math.isfinite(v)]
    if y_range:
        y0, y1 = y_range
    else:
        y0, y1 = min([0.0, *seen]), max([0.0, *seen])
        if y1 == y0:
            y1 = y0 + 1.0
        pad = (y1 - y0) * 0.05
        y0, y1 = y0 - pad, y1 + pad
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return TOP + ph * (1 - (v - y0) / (y1 - y0))

    out = [
        f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
        f'aria-label="{escape(label)}">'
    ]
    for t in _ticks(y0, y1):
        out.append(
            f'<line class="axis" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
        )
        out.append(f'<text x="{LEFT - 4}" y="{y(t) + 3:.1f}" text-anchor="end">{_fmt(t)}</text>')
    if y0 < 0 < y1:
        out.append(
            f'<line class="zero" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>'
        )
    step = max(1, math.ceil(n / 8))
    for i in range(0, n, step):
        out.append(
            f'<text x="{x(i):.1f}" y="{H - 10}" text-anchor="middle">'
            f"{escape(periods[i].isoformat()[:7] if n < 60 else periods[i].isoformat())}</text>"
        )
    band_ok = [math.isfinite(a) and math.isfinite(b) for a, b in zip(los, his, strict=True)]
    for s, e in _runs(band_ok):
        upper = [f"{x(i):.1f},{y(his[i]):.1f}" for i in range(s, e + 1)]
        lower = [f"{x(i):.1f},{y(los[i]):.1f}" for i in range(e, s - 1, -1)]
        if s == e:
            upper = [f"{x(s) - 3:.1f},{y(his[s]):.1f}", f"{x(s) + 3:.1f},{y(his[s]):.1f}"]
            lower = [f"{x(s) + 3:.1f},{y(los[s]):.1f}", f"{x(s) - 3:.1f},{y(los[s]):.1f}"]
        out.append(f'<polygon class="band" points="{" ".join(upper + lower)}"/>')
    ok = [math.isfinite(v) for v in vs]
    for s, e in _runs(ok):
        pts = " ".join(f"{x(i):.1f},{y(vs[i]):.1f}" for i in range(s, e + 1))
        out.append(f'<polyline class="line" points="{pts}"/>')
    for i in shifts:
        if 0 <= i < n:
            xs = (x(i - 1) + x(i)) / 2 if i > 0 else x(i)
            out.append(
                f'<line class="shift" x1="{xs:.1f}" x2="{xs:.1f}" y1="{TOP}" y2="{H - BOTTOM}">'
                f"<title>shift from {escape(periods[i].isoformat())}</title></line>"
            )
    for i, v in enumerate(vs):
        if not math.isfinite(v):
            continue
        period = periods[i].isoformat()
        band = f" [{_fmt(los[i])}, {_fmt(his[i])}]" if band_ok[i] else ""
        tip = f"{label} {period}: {_fmt(v)}{band}"
        out.append(
            f'<circle class="pt" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.2" tabindex="0" '
            f'data-key="{escape(key)}" data-period="{escape(period)}" '
            f'data-label="{escape(f"{label} {period}")}"><title>{escape(tip)}</title></circle>'
        )
    out.append("</svg>")
    return "".join(out)


def _colour(mean: float) -> str:
    """Red (conflict) through grey to green (cooperation); saturates at |mean| = 0.5."""
    t = max(-1.0, min(1.0, mean / 0.5)) if math.isfinite(mean) else 0.0
    grey, red, green = (152, 162, 179), (192, 57, 43), (30, 132, 73)
    end = green if t >= 0 else red
    a = abs(t)
    r, g, b = (round(grey[k] + (end[k] - grey[k]) * a) for k in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def relations_map(
    focal: str, partners: Sequence[tuple[str, int, int, int, float, float]], *, size: int = 560
) -> str:
    """The focal country in the centre, partners around it.

    `partners`: (code, events, cooperative, conflictual, net cooperation, mean score / 10).
    Edge colour by the mean score, width by the number of events.
    """
    c = size / 2
    radius = size / 2 - 48
    out = [
        f'<svg viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
        f'aria-label="relations map of {escape(focal)}">'
    ]
    top = max((p[1] for p in partners), default=1)
    nodes = []
    for k, (code, n, coop, conf, net, mean) in enumerate(partners):
        angle = 2 * math.pi * k / max(1, len(partners)) - math.pi / 2
        px, py = c + radius * math.cos(angle), c + radius * math.sin(angle)
        width = 1 + 7 * math.sqrt(n / top)
        tip = (
            f"{focal}-{code}: {n} events, {coop} cooperative, {conf} conflictual, "
            f"net cooperation {net:+.1f}, mean score {mean * 10 if math.isfinite(mean) else 0:+.2f}"
        )
        attrs = (
            f'data-key="partner:{escape(code)}" data-period="all" '
            f'data-label="{escape(f"{focal}-{code}")}" tabindex="0"'
        )
        out.append(
            f'<line class="edge" x1="{c:.1f}" y1="{c:.1f}" x2="{px:.1f}" y2="{py:.1f}" '
            f'stroke="{_colour(mean)}" stroke-width="{width:.1f}" {attrs}>'
            f"<title>{escape(tip)}</title></line>"
        )
        nodes.append(
            f'<g class="node" {attrs}><circle cx="{px:.1f}" cy="{py:.1f}" r="17" fill="#fff" '
            f'stroke="{_colour(mean)}" stroke-width="2"/><text x="{px:.1f}" y="{py + 3.5:.1f}" '
            f'text-anchor="middle" style="fill:#1d2330">{escape(code)}</text>'
            f"<title>{escape(tip)}</title></g>"
        )
    out.extend(nodes)
    out.append(
        f'<circle cx="{c}" cy="{c}" r="24" fill="#1f5fa8"/><text x="{c}" y="{c + 4}" '
        f'text-anchor="middle" style="fill:#fff;font-weight:600">{escape(focal)}</text></svg>'
    )
    return "".join(out)
