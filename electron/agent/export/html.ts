import type { AuditEvent } from '../../../shared/event.ts';

/**
 * The export's report: one self-contained HTML file (no scripts, no network references — a CSP forbids
 * them — so it opens from a USB stick on a machine with no network) with the summary, the selection, counts
 * by user, entity, action and outcome, a timeline drawn as inline SVG and the first rows. Every value from
 * the data is escaped.
 */

export interface ReportData {
  title: string;
  createdAt: string;
  timeZone: string;
  query: string;
  now: string;
  investigation: null | {
    name: string;
    description: string;
    status: string;
    savedSearches: { name: string; query: string }[];
    notes: { eventId: string | null; at: string; body: string }[];
  };
  matched: number;
  exported: number;
  first: number | null;
  last: number | null;
  pseudonymized: boolean;
  counts: { field: string; values: [string, number][]; distinct: number }[];
  /** Events per hour (epoch ms of the hour → count). */
  hours: Map<number, number>;
  rows: AuditEvent[];
  rowLimit: number;
  publicKeyFingerprint: string;
}

/** Text safe in HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const n = (value: number) => value.toLocaleString('en-US');
const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString());

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right}.grid{display:flex;flex-wrap:wrap;gap:2em}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.5em}code{background:#f3f3f3}.small{font-size:12px}`;

export function renderReport(data: ReportData): string {
  const parts: string[] = [];
  parts.push(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(data.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<table>`,
    row('Exported', `${n(data.exported)} events (the selection matches ${n(data.matched)})`),
    row('Query', data.query === '' ? '(everything)' : data.query, true),
    row('Query time ("now" for last:)', data.now),
    row('Time range of the events', `${iso(data.first)} … ${iso(data.last)}`),
    row(
      'Created',
      `${data.createdAt} (time zone of the exporting machine: ${data.timeZone}; times below are UTC)`,
    ),
    row('User names', data.pseudonymized ? 'pseudonymised (keyed HMAC; see manifest.json)' : 'as recorded'),
    row('Signing key', data.publicKeyFingerprint, true),
    `</table>`,
  );
  if (data.investigation) {
    const c = data.investigation;
    parts.push(`<h2>Investigation: ${escapeHtml(c.name)} (${escapeHtml(c.status)})</h2>`);
    if (c.description) parts.push(`<pre>${escapeHtml(c.description)}</pre>`);
    if (c.savedSearches.length > 0) {
      parts.push('<table><tr><th>Saved search</th><th>Query</th></tr>');
      for (const s of c.savedSearches)
        parts.push(`<tr><td>${escapeHtml(s.name)}</td><td><code>${escapeHtml(s.query)}</code></td></tr>`);
      parts.push('</table>');
    }
    if (c.notes.length > 0) {
      parts.push('<h3>Notes (Markdown, shown as written)</h3>');
      for (const note of c.notes)
        parts.push(
          `<p class="small">${escapeHtml(note.at)}${note.eventId ? ` · event <code>${escapeHtml(note.eventId)}</code>` : ' · case'}</p><pre>${escapeHtml(note.body)}</pre>`,
        );
    }
  }
  parts.push('<h2>Timeline</h2>', timeline(data.hours));
  parts.push('<h2>Counts</h2><div class="grid">');
  for (const c of data.counts) {
    parts.push(`<table><tr><th>${escapeHtml(c.field)} (${n(c.distinct)} distinct)</th><th>events</th></tr>`);
    for (const [value, count] of c.values)
      parts.push(`<tr><td>${escapeHtml(value)}</td><td class="num">${n(count)}</td></tr>`);
    parts.push('</table>');
  }
  parts.push('</div>');
  const shown = data.rows.length;
  parts.push(
    `<h2>Events</h2><p>The first ${n(shown)} of ${n(data.exported)} in time order${data.exported > shown ? ` (all of them are in events.ndjson and events.csv)` : ''}.</p>`,
    '<table class="small"><tr><th>time (UTC)</th><th>user</th><th>action</th><th>entity</th><th>outcome</th><th>status</th><th>target</th><th>source / object:line</th><th>id</th></tr>',
  );
  for (const e of data.rows)
    parts.push(
      `<tr><td>${escapeHtml(iso(e.ts))}</td><td>${escapeHtml(e.user)}</td><td>${escapeHtml(e.action)}</td><td>${escapeHtml(e.entity)}</td><td>${escapeHtml(e.outcome)}</td><td>${escapeHtml(e.status)}</td><td>${escapeHtml(e.target)}</td><td>${escapeHtml(`${e.source} / ${e.object}:${e.line}`)}</td><td><code>${escapeHtml(e.id)}</code></td></tr>`,
    );
  parts.push('</table></body></html>\n');
  return parts.join('\n');
}

function row(label: string, value: string, code = false): string {
  const v = escapeHtml(value);
  return `<tr><th>${escapeHtml(label)}</th><td>${code ? `<code>${v}</code>` : v}</td></tr>`;
}

const BUCKETS_H = [1, 2, 3, 6, 12, 24, 48, 168, 336, 720, 2160, 8760, 87600];

/** Events over time as an SVG bar chart of at most ~100 bars. */
function timeline(hours: Map<number, number>): string {
  if (hours.size === 0) return '<p>No timed events.</p>';
  const keys = [...hours.keys()];
  const lo = Math.min(...keys);
  const hi = Math.max(...keys) + 3_600_000;
  const span = (hi - lo) / 3_600_000;
  const bucketH = BUCKETS_H.find((b) => span / b <= 100) ?? BUCKETS_H[BUCKETS_H.length - 1]!;
  const bucketMs = bucketH * 3_600_000;
  const buckets = Math.max(1, Math.ceil((hi - lo) / bucketMs));
  const counts = new Array<number>(buckets).fill(0);
  for (const [hour, count] of hours)
    counts[Math.min(buckets - 1, Math.floor((hour - lo) / bucketMs))]! += count;
  const max = Math.max(...counts);
  const W = 800;
  const H = 160;
  const barW = W / buckets;
  const bars = counts
    .map((c, i) => {
      const h = max === 0 ? 0 : Math.max(c > 0 ? 1 : 0, (c / max) * (H - 20));
      const from = new Date(lo + i * bucketMs).toISOString();
      return `<rect x="${(i * barW).toFixed(1)}" y="${(H - h).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#4a7bd0"><title>${escapeHtml(`${from}: ${n(c)}`)}</title></rect>`;
    })
    .join('');
  return (
    `<svg width="${W}" height="${H + 20}" role="img" aria-label="events over time">` +
    `${bars}<text x="0" y="${H + 15}" font-size="11">${escapeHtml(new Date(lo).toISOString())}</text>` +
    `<text x="${W}" y="${H + 15}" font-size="11" text-anchor="end">${escapeHtml(new Date(hi).toISOString())}</text>` +
    `<text x="${W}" y="12" font-size="11" text-anchor="end">max ${n(max)} per ${bucketH} h</text></svg>`
  );
}
