"""The review page: one static HTML file with its CSS and script inline (no server, no CDN;
a Content-Security-Policy forbids every outside load, so the page also works offline and leaks
nothing when opened).

Values are masked unless the caller asks for them: every character of a span (predicted or gold)
but its first and last is written as a bullet, and all of it when the value is short. The mask
is per character, so where spans overlap a character is shown only if no span hides it, and a
value never appears whole, not in the text, not in a tooltip, not in an attribute.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from eval.review import ReviewRecord, ReviewSet
from redact.labels import LABEL_TABLE
from redact.spans import LABELS, Span

BULLET = "\u2022"
DOT = " \u00b7 "
SHORT = 4  # values up to this long are masked whole: first + last would be half of them
MAX_CHARS = 20_000  # characters of a record shown; a page of 200 whole files would be unusable
STATUS_TEXT = {"tp": "matches a gold span", "fp": "false positive (no gold span)", "": ""}

CSS = """
body{font:14px system-ui,sans-serif;margin:0;background:#fafafa;color:#222}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;z-index:1}
h1{font-size:18px;margin:0 0 6px}
.note{margin:4px 0;color:#555}.warn{color:#b00020;font-weight:bold}
.filters label{margin-right:12px}
.legend span{display:inline-block;margin-right:10px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;background:var(--c);vertical-align:middle}
.record{background:#fff;border:1px solid #ddd;margin:12px 16px;border-radius:4px}
.record.gone{display:none}
.record h2{font-size:14px;margin:0;padding:6px 10px;background:#f0f0f0;border-bottom:1px solid #ddd}
.badge{font-weight:normal;margin-left:8px;color:#555}
.panes{display:grid;grid-template-columns:1fr 1fr}
.pane{min-width:0;border-right:1px solid #eee}
.pane h3{font-size:12px;margin:0;padding:4px 10px;color:#666}
pre{margin:0;padding:6px 10px;white-space:pre-wrap;word-break:break-all;font:12px/1.8 ui-monospace,monospace}
mark.span{background:color-mix(in srgb,var(--c) 35%,white);border-bottom:2px solid var(--c);color:inherit;cursor:help}
mark.span.fp{outline:2px dashed #b00020}
/* room below each line (line-height) so the next line's highlight does not paint over the wave */
.miss{text-decoration:underline wavy var(--c) 2px;text-underline-offset:2px;background:repeating-linear-gradient(135deg,#fff 0 4px,#ffe0e0 4px 8px);cursor:help}
mark.span.off{background:none;border-bottom:none;outline:none}
.miss.off{text-decoration:none;background:none}
.more{color:#888;font-style:italic}
"""

SCRIPT = """
'use strict';
(function () {
  const pick = (id) => document.getElementById(id);
  const filters = [['label', pick('f-label')], ['detector', pick('f-detector')], ['status', pick('f-status')]];
  function apply() {
    const wanted = filters.map(([key, el]) => [key, el ? el.value : '']);
    const active = wanted.some(([, value]) => value !== '');
    let shown = 0;
    for (const record of document.querySelectorAll('.record')) {
      let on = 0;
      for (const el of record.querySelectorAll('[data-label]')) {
        const keep = wanted.every(([key, value]) => value === '' || el.dataset[key] === value);
        el.classList.toggle('off', !keep);
        on += keep ? 1 : 0;
      }
      const visible = !active || on > 0;
      record.classList.toggle('gone', !visible);
      shown += visible ? 1 : 0;
    }
    pick('shown').textContent = String(shown);
  }
  for (const [, el] of filters) { if (el) el.addEventListener('change', apply); }
  apply();
})();
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def hidden_mask(text: str, spans: list[Span], limit: int) -> bytearray:
    """1 for each character of `text[:limit]` that the page must not show."""
    hidden = bytearray(limit)
    for span in spans:
        start, end = span.start, min(span.end, limit)
        if span.end - span.start > SHORT:
            start, end = span.start + 1, min(span.end - 1, limit)
        hidden[start:end] = b"\x01" * max(0, end - start)
    return hidden


def mask_value(value: str) -> str:
    """A replacement that equals the value (policy `keep`) is masked as the value is."""
    if len(value) <= SHORT:
        return BULLET * len(value)
    return value[0] + "".join("\n" if c == "\n" else BULLET for c in value[1:-1]) + value[-1]


class _Writer:
    """Writes one record's two panes; `hidden` is None when values are shown."""

    def __init__(self, item: ReviewRecord, limit: int, hidden: bytearray | None) -> None:
        self.item, self.text, self.limit, self.hidden = item, item.text, limit, hidden
        self.misses = [g for g in item.missed if g.start < limit]

    def chars(self, a: int, b: int) -> str:
        if self.hidden is None or not any(self.hidden[a:b]):
            return escape(self.text[a:b])
        return escape("".join(BULLET if self.hidden[k] and c != "\n" else c for k, c in enumerate(self.text[a:b], a)))

    def stretch(self, a: int, b: int, leak: bool = False) -> str:
        """`text[a:b]`, with the parts inside a missed gold span wrapped as misses."""
        cuts = sorted({a, b, *(x for g in self.misses for x in (g.start, g.end) if a < x < b)})
        out = []
        for lo, hi in zip(cuts, cuts[1:]):
            miss = next((g for g in self.misses if g.start <= lo and hi <= g.end), None)
            if miss is None:
                out.append(self.chars(lo, hi))
                continue
            what = "leaked: gold" if leak else "missed: gold"
            out.append(f'<span class="miss l-{miss.label.value}" data-label="{miss.label.value}" data-detector="" '
                       f'data-status="miss" title="{what} {miss.label.value}">{self.chars(lo, hi)}</span>')
        return "".join(out)

    def panes(self) -> tuple[str, str]:
        original, redacted, position = [], [], 0
        redaction = self.item.redaction
        for span, status, new in zip(self.item.spans, self.item.status, redaction.replacements):
            if span.start >= self.limit:
                break
            value = self.text[span.start : span.end]
            if self.hidden is not None and new == value:
                new = mask_value(value)
            original += [self.stretch(position, span.start), _open(span, status), self.stretch(span.start, span.end), "</mark>"]
            redacted += [self.stretch(position, span.start, leak=True), _open(span, status), escape(new), "</mark>"]
            position = span.end
        end = max(position, self.limit)
        original.append(self.stretch(position, end))
        redacted.append(self.stretch(position, end, leak=True))
        return "".join(original), "".join(redacted)


def _open(span: Span, status: str) -> str:
    tip = f"{span.label.value} \u00b7 detector {span.source or '?'} \u00b7 score {span.score:.2f}"
    if status:
        tip += f" \u00b7 {STATUS_TEXT[status]}"
    return (f'<mark class="span l-{span.label.value} {status}" data-label="{span.label.value}" '
            f'data-detector="{escape(span.source)}" data-status="{status}" title="{escape(tip)}">')


def _limit(item: ReviewRecord, max_chars: int) -> int:
    """Where the shown text ends: `max_chars`, moved past any span that crosses it."""
    if len(item.text) <= max_chars:
        return len(item.text)
    ends = [s.end for s in [*item.spans, *item.missed] if s.start < max_chars]
    return max([max_chars, *ends])


def render_record(item: ReviewRecord, *, show_values: bool, max_chars: int = MAX_CHARS) -> str:
    limit = _limit(item, max_chars)
    # Every gold span, matched or not: a match may cover only half of it.
    hidden = None if show_values else hidden_mask(item.text, [*item.spans, *(item.gold or [])], limit)
    original, redacted = _Writer(item, limit, hidden).panes()
    badges = [f"{len(item.spans)} spans"]
    if item.gold is not None:
        badges += [f"{item.status.count('fp')} FP", f"{len(item.missed)} missed"]
    title = escape(item.id) + (f"{DOT}{escape(item.path)}" if item.path and item.path != item.id else "")
    more = ""
    if limit < len(item.text):
        hidden_spans = sum(s.start >= limit for s in item.spans)
        more = f'<p class="more">\u2026 {len(item.text) - limit:,} more characters not shown ({hidden_spans} spans)</p>'
    return (f'<section class="record" data-id="{escape(item.id)}"><h2>{title}<span class="badge">'
            f'{DOT.join(badges)}</span></h2><div class="panes">'
            f'<div class="pane original"><h3>original</h3><pre>{original}</pre>{more}</div>'
            f'<div class="pane redacted"><h3>redacted</h3><pre>{redacted}</pre></div></div></section>')


def _select(name: str, title: str, options: list[str], texts: list[str] | None = None) -> str:
    items = "".join(f'<option value="{escape(o)}">{escape(t)}</option>' for o, t in zip(options, texts or options))
    return f'<label>{title} <select id="f-{name}"><option value="">all</option>{items}</select></label>'


def _header(review: ReviewSet, show_values: bool, title: str) -> str:
    spans = [s for r in review.records for s in r.spans]
    per_label = Counter(s.label.value for s in spans)
    detectors = sorted({s.source for s in spans})
    legend = "".join(f'<span class="l-{label.value}"><i class="swatch"></i> {label.value} ({per_label[label.value]})</span>'
                     for label in LABELS)
    filters = _select("label", "label", [label.value for label in LABELS]) + _select("detector", "detector", detectors)
    note = f"{len(review.records)} of {review.total} records (seed {review.seed}), {len(spans)} spans"
    if review.has_gold:
        fp = sum(r.status.count("fp") for r in review.records)
        missed = sum(len(r.missed) for r in review.records)
        note += f"; against gold: {fp} false positives (dashed), {missed} missed (wavy underline)"
        filters += _select("status", "gold", ["tp", "fp", "miss"], ["matched", "false positive", "missed"])
    masking = ('<p class="note warn">This page holds the raw values (--show-values): do not share it.</p>' if show_values
               else '<p class="note">Values are masked but for their first and last character.</p>')
    return (f'<header><h1>{escape(title)}</h1><p class="note">{note}; showing <b id="shown">{len(review.records)}</b>. '
            f'Hover a span for its detector and score.</p>{masking}<div class="legend">{legend}</div>'
            f'<div class="filters">{filters}</div></header>')


def _label_css() -> str:
    return "".join(f".l-{label.value}{{--c:{LABEL_TABLE[label].color}}}" for label in LABELS)


def render_page(review: ReviewSet, *, show_values: bool = False, title: str = "starpii review",
                max_chars: int = MAX_CHARS) -> str:
    """The whole page as one string."""
    body = "".join(render_record(item, show_values=show_values, max_chars=max_chars) for item in review.records)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f'<link rel="icon" href="data:,"><style>{CSS}{_label_css()}</style></head><body>'
            f'{_header(review, show_values, title)}<main>{body}</main><script>{SCRIPT}</script></body></html>\n')
