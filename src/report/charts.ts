// Charts as inline SVG, drawn here on the server: the report fetches nothing and opens offline. Each chart
// carries a <title> and an aria-label that state its numbers, so it reads without seeing it.
import { SEVERITIES, STATUSES, type Severity, type Status, type Summary } from '../model/types.js';
import { runsWhere } from './format.js';

/** OBSERVATION: a FAIL at severity info, counted apart from failures (findings summary.observations). */
export type ChartStatus = Status | 'NOT_ASSESSED' | 'OBSERVATION';

export const STATUS_COLORS: Record<ChartStatus, string> = {
  FAIL: '#c62828',
  OBSERVATION: '#90a4ae',
  ERROR: '#6a1b9a',
  NOT_TESTED: '#8d6e63',
  MANUAL: '#e07000',
  WAIVED: '#546e7a',
  PASS: '#2e7d32',
  NOT_APPLICABLE: '#9e9e9e',
  NOT_ASSESSED: '#d0d0d0',
};

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#7f0000',
  high: '#c62828',
  medium: '#e07000',
  low: '#f9a825',
  info: '#607d8b',
};

/** The findings' statuses with observations (FAIL at severity info) after FAIL: the order tables and charts count them in. */
export const COUNTED_STATUSES: (Status | 'OBSERVATION')[] = STATUSES.flatMap((s) => (s === 'FAIL' ? ['FAIL' as const, 'OBSERVATION' as const] : [s]));

/** A findings file's count of each counted status (an older file's missing count as 0). */
export function statusCounts(summary: Summary): Record<Status | 'OBSERVATION', number> {
  return { ...(Object.fromEntries(STATUSES.map((s) => [s, summary[s] ?? 0])) as Record<Status, number>), OBSERVATION: summary.observations ?? 0 };
}

/** Labels by status; NOT_TESTED (evidence not collected, issue 19) is labelled whether or not the findings model has it yet. */
export const STATUS_LABELS: Record<ChartStatus | 'NOT_TESTED', string> = {
  FAIL: 'Fail',
  OBSERVATION: 'Observation (info)',
  ERROR: 'Error',
  NOT_TESTED: 'Not tested',
  MANUAL: 'Manual review',
  WAIVED: 'Waived',
  PASS: 'Pass',
  NOT_APPLICABLE: 'Not applicable',
  NOT_ASSESSED: 'Not assessed',
};

const FONT = 'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif"';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function svg(width: number, height: number, label: string, body: string[], desc?: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeXml(label)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="11">`,
    `<title>${escapeXml(label)}</title>`,
    ...(desc === undefined ? [] : [`<desc>${escapeXml(desc)}</desc>`]),
    ...body,
    '</svg>',
  ].join('\n');
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${round(x)}" y="${round(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(0, w))}" height="${round(Math.max(0, h))}" fill="${fill}"${extra}/>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function truncate(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** A round axis maximum at or above `max`, and its tick step. */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (max <= 0) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw);
  const whole = Math.max(1, Math.ceil(step));
  return { top: whole * Math.ceil(max / whole), step: whole };
}

export interface StackedRow {
  label: string;
  counts: Partial<Record<ChartStatus, number>>;
}

const STACK_ORDER: ChartStatus[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL', 'WAIVED', 'OBSERVATION', 'PASS', 'NOT_APPLICABLE', 'NOT_ASSESSED'];

/**
 * One 100% bar per row (e.g. per framework: its requirements by status), with a legend. `named`: a segment wide
 * enough carries its status's name with its number, and segments are parted by a white line, so the bars read
 * in grayscale and print (Fail and Pass are about as dark there).
 */
export function stackedBarChart(rows: StackedRow[], title: string, unit: string, options: { desc?: string; named?: boolean } = {}): string {
  const width = 680;
  const labelWidth = 190;
  const barWidth = width - labelWidth - 60;
  const rowHeight = 24;
  const used = STACK_ORDER.filter((s) => rows.some((r) => (r.counts[s] ?? 0) > 0));
  const legendTop = 10 + rows.length * rowHeight + 8;
  const height = legendTop + 24;
  const body: string[] = [];
  const described: string[] = [];
  rows.forEach((row, i) => {
    const y = 10 + i * rowHeight;
    const total = STACK_ORDER.reduce((sum, s) => sum + (row.counts[s] ?? 0), 0);
    body.push(text(labelWidth - 8, y + 15, truncate(row.label, 30), 'text-anchor="end" fill="#222"'));
    let x = labelWidth;
    const parts: string[] = [];
    for (const s of STACK_ORDER) {
      const n = row.counts[s] ?? 0;
      if (n === 0 || total === 0) continue;
      const w = (n / total) * barWidth;
      body.push(rect(x, y + 3, w, rowHeight - 8, STATUS_COLORS[s], options.named === true ? ' stroke="#fff" stroke-width="1"' : ''));
      const name = `${STATUS_LABELS[s]} ${n}`;
      if (options.named === true && w >= name.length * 7 + 8) body.push(text(x + w / 2, y + 15, name, 'text-anchor="middle" fill="#fff" font-weight="bold"'));
      else if (w >= 22) body.push(text(x + w / 2, y + 15, String(n), 'text-anchor="middle" fill="#fff" font-weight="bold"'));
      parts.push(`${n} ${STATUS_LABELS[s].toLowerCase()}`);
      x += w;
    }
    if (total === 0) body.push(rect(labelWidth, y + 3, barWidth, rowHeight - 8, '#f0f0f0'));
    body.push(text(labelWidth + barWidth + 6, y + 15, `${total}`, 'fill="#444"'));
    described.push(`${row.label}: ${parts.join(', ') || 'none'}`);
  });
  let lx = labelWidth;
  for (const s of used) {
    body.push(rect(lx, legendTop + 4, 10, 10, STATUS_COLORS[s]));
    body.push(text(lx + 14, legendTop + 13, STATUS_LABELS[s], 'fill="#333"'));
    lx += 24 + STATUS_LABELS[s].length * 6;
  }
  return svg(width, height, `${title} (${unit}). ${described.join('; ')}`, body, options.desc);
}

/** Failures by severity: one column per severity, most severe first. */
export function severityChart(counts: Record<Severity, number>, title: string): string {
  const width = 340;
  const height = 190;
  const left = 36;
  const bottom = 160;
  const plotHeight = 130;
  const { top, step } = niceScale(Math.max(...SEVERITIES.map((s) => counts[s])));
  const body: string[] = [];
  for (let v = 0; v <= top; v += step) {
    const y = bottom - (v / top) * plotHeight;
    body.push(`<line x1="${left}" x2="${width - 8}" y1="${round(y)}" y2="${round(y)}" stroke="#e3e3e3"/>`);
    body.push(text(left - 6, y + 4, String(v), 'text-anchor="end" fill="#666"'));
  }
  const slot = (width - left - 8) / SEVERITIES.length;
  SEVERITIES.forEach((s, i) => {
    const n = counts[s];
    const h = (n / top) * plotHeight;
    const x = left + i * slot + slot * 0.18;
    body.push(rect(x, bottom - h, slot * 0.64, h, SEVERITY_COLORS[s]));
    body.push(text(x + slot * 0.32, bottom - h - 4, String(n), 'text-anchor="middle" fill="#222" font-weight="bold"'));
    body.push(text(x + slot * 0.32, bottom + 16, s, 'text-anchor="middle" fill="#333"'));
  });
  const label = `${title}: ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')}`;
  return svg(width, height, label, body);
}

/** Detections per day (UTC) over the days given, in order; labels thinned to stay readable. */
/**
 * Detections per day. A day marked `examined: false` (no log file of it in the evidence) is shaded and the
 * run of such days labelled "not examined": a zero there means nothing was read, not that nothing happened.
 */
export function perDayChart(days: { day: string; count: number; examined?: boolean }[], title: string): string {
  const width = 680;
  const height = 200;
  const left = 36;
  const bottom = 168;
  const plotHeight = 140;
  const body: string[] = [];
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const unexamined = days.filter((d) => d.examined === false).length;
  if (days.length === 0 || (total === 0 && unexamined === 0)) {
    body.push(rect(left, bottom - plotHeight, width - left - 8, plotHeight, '#fafafa', ' stroke="#e3e3e3"'));
    body.push(text(width / 2, bottom - plotHeight / 2, 'No detections in the period', 'text-anchor="middle" fill="#666" font-size="13"'));
    return svg(width, height, `${title}: no detections`, body);
  }
  const { top, step } = niceScale(Math.max(1, ...days.map((d) => d.count)));
  const slotWidth = (width - left - 8) / days.length;
  // Shade each run of days without logs and label it, before the grid and bars are drawn over it.
  for (const [i, j] of runsWhere(days, (d) => d.examined === false)) {
    const x = left + i * slotWidth;
    const w = (j - i) * slotWidth;
    body.push(rect(x, bottom - plotHeight, w, plotHeight, '#e6e6e6', ' class="not-examined"'));
    if (w >= 60) body.push(text(x + w / 2, bottom - plotHeight / 2, 'not examined', 'text-anchor="middle" fill="#777" font-size="11"'));
  }
  for (let v = 0; v <= top; v += step) {
    const y = bottom - (v / top) * plotHeight;
    body.push(`<line x1="${left}" x2="${width - 8}" y1="${round(y)}" y2="${round(y)}" stroke="#e3e3e3"/>`);
    body.push(text(left - 6, y + 4, String(v), 'text-anchor="end" fill="#666"'));
  }
  const slot = (width - left - 8) / days.length;
  const labelEvery = Math.max(1, Math.ceil(days.length / 12));
  days.forEach((d, i) => {
    const h = (d.count / top) * plotHeight;
    const x = left + i * slot;
    if (d.count > 0) body.push(rect(x + slot * 0.1, bottom - h, Math.max(1, slot * 0.8), Math.max(h, 1), '#c62828'));
    if (d.count > 0 && slot >= 14) body.push(text(x + slot / 2, bottom - h - 3, String(d.count), 'text-anchor="middle" fill="#222" font-size="9"'));
    if (i % labelEvery === 0) body.push(text(x + slot / 2, bottom + 14, d.day.slice(5), 'text-anchor="middle" fill="#555" font-size="9"'));
  });
  body.push(`<line x1="${left}" x2="${width - 8}" y1="${bottom}" y2="${bottom}" stroke="#999"/>`);
  const busiest = [...days].sort((a, b) => b.count - a.count).slice(0, 3).filter((d) => d.count > 0);
  const examinedText = unexamined > 0 ? `; ${days.length - unexamined} of ${days.length} days examined, the ${unexamined} shaded days have no logs in the evidence (not examined)` : '';
  const label = `${title}: ${total} over ${days.length} day(s) from ${days[0]?.day ?? ''} to ${days[days.length - 1]?.day ?? ''}; busiest ${busiest.map((d) => `${d.day} (${d.count})`).join(', ') || 'none'}${examinedText}`;
  return svg(width, height, label, body);
}

export interface BarGroup {
  /** Shown in full above the group's bars (a framework's title and version). */
  label: string;
  /** One value per series, or null where the series has none (drawn as "not assessed"). */
  values: (number | null)[];
  /** What each value is out of ("11 of 24"), or null. */
  of: (number | null)[];
}

/**
 * Grouped horizontal bars: per group (e.g. a framework) one bar per series (e.g. an audit, oldest first), on one
 * scale. Series are told apart in grayscale and print: shades from light to dark in series order, and every bar
 * is labelled with its series and its value, so the chart reads without its colours.
 */
export function groupedBarChart(groups: BarGroup[], series: string[], title: string, unit: string): string {
  const width = 680;
  const labelWidth = 90;
  const barWidth = width - labelWidth - 110;
  const barHeight = 12;
  const groupHeight = 18 + series.length * (barHeight + 3) + 6;
  const shades = series.map((_, i) => {
    const t = series.length === 1 ? 1 : i / (series.length - 1);
    const level = Math.round(0xb8 - t * (0xb8 - 0x2a));
    const hex = level.toString(16).padStart(2, '0');
    return `#${hex}${hex}${Math.min(255, level + 0x18).toString(16).padStart(2, '0')}`;
  });
  const { top } = niceScale(Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v ?? 0))));
  const body: string[] = [];
  const described: string[] = [];
  groups.forEach((group, gi) => {
    const y0 = 8 + gi * groupHeight;
    body.push(text(0, y0 + 11, truncate(group.label, 110), 'fill="#222" font-weight="bold"'));
    const parts: string[] = [];
    series.forEach((name, si) => {
      const y = y0 + 18 + si * (barHeight + 3);
      const value = group.values[si] ?? null;
      const of = group.of[si] ?? null;
      body.push(text(labelWidth - 6, y + barHeight - 2, truncate(name, 14), 'text-anchor="end" fill="#444"'));
      const valueText = value === null ? 'not assessed' : of === null ? String(value) : `${value} of ${of}`;
      const w = value === null ? 0 : (value / top) * barWidth;
      if (value !== null) body.push(rect(labelWidth, y, Math.max(w, value > 0 ? 1 : 0), barHeight, shades[si] ?? '#555', ' stroke="#333" stroke-width="0.5"'));
      body.push(text(labelWidth + w + 5, y + barHeight - 2, valueText, `fill="${value === null ? '#777' : '#222'}"`));
      parts.push(`${name} ${valueText}`);
    });
    described.push(`${group.label}: ${parts.join(', ')}`);
  });
  const height = 8 + groups.length * groupHeight + 4;
  return svg(width, height, `${title} (${unit}), per audit from ${series[0] ?? ''} to ${series[series.length - 1] ?? ''}`, body, described.join('; '));
}
