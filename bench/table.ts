// Pure: the rows of the benchmark report, rendered as a text table and as JSON.
import { ratioOf, type Summary } from './stats';

export type Unit = 'ms' | 'bytes' | 'count';

export interface Row {
  group: string;
  /** What is measured, in a few words. */
  name: string;
  unit: Unit;
  /** windock's figure; undefined when it could not be measured (see error). */
  ours?: Summary;
  /** The anchor's figure, measured in the same run where it can run here. */
  anchor?: {
    /** What the anchor is (e.g. "dockerode protocol:'ssh'"). */
    label: string;
    value?: Summary;
    /** "measured" in this run; "baseline" (our own reference); "n/a" (cannot run here). */
    kind: 'measured' | 'baseline' | 'n/a';
  };
  /** What the row measures, and anything needed to read it honestly. */
  note?: string;
  error?: string;
}

export interface RowWithRatio extends Row {
  /** ours / anchor by medians (lower is better for times and sizes). */
  ratio?: number;
}

export function withRatios(rows: readonly Row[]): RowWithRatio[] {
  return rows.map((row) => {
    const ratio = ratioOf(row.ours, row.anchor?.value);
    return ratio === undefined ? { ...row } : { ...row, ratio };
  });
}

function trim(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** One value with its unit: "2.41 ms", "4.6 s", "12.3 MiB". */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      if (Math.abs(value) < 10) return `${trim(value, 2)} ms`;
      if (Math.abs(value) < 1000) return `${trim(value, 1)} ms`;
      if (Math.abs(value) < 100_000) return `${trim(value / 1000, 2)} s`;
      return `${trim(value / 1000, 0)} s`;
    case 'bytes': {
      const abs = Math.abs(value);
      if (abs < 1024) return `${trim(value, 0)} B`;
      if (abs < 1024 ** 2) return `${trim(value / 1024, 1)} KiB`;
      if (abs < 1024 ** 3) return `${trim(value / 1024 ** 2, 1)} MiB`;
      return `${trim(value / 1024 ** 3, 2)} GiB`;
    }
    case 'count':
      return trim(value, 2);
  }
}

/** "4.6 s [4.1–5.2] ×3", or just the value for a single run. */
export function formatSummary(summary: Summary | undefined, unit: Unit): string {
  if (!summary) return '—';
  const mid = formatValue(summary.median, unit);
  if (summary.n === 1 || summary.min === summary.max) return summary.n === 1 ? mid : `${mid} ×${summary.n}`;
  return `${mid} [${formatValue(summary.min, unit)}–${formatValue(summary.max, unit)}] ×${summary.n}`;
}

/** "1.23×"; a small ratio also as its inverse: "0.0053× (1/190)". */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return '—';
  if (ratio >= 100) return `${trim(ratio, 0)}×`;
  if (ratio >= 10) return `${trim(ratio, 1)}×`;
  if (ratio >= 0.5) return `${ratio.toFixed(2)}×`;
  if (ratio <= 0) return `${trim(ratio, 2)}×`;
  return `${Number(ratio.toPrecision(2))}× (1/${trim(1 / ratio, 1 / ratio >= 10 ? 0 : 1)})`;
}

/** Pads to `width` by display length (the en dash and × count as one). */
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/**
 * The report as text: one table row per measurement (windock, anchor, ratio), then the
 * numbered notes that say what each row measures.
 */
export function renderTable(rows: readonly Row[]): string {
  const withR = withRatios(rows);
  const header = [
    '#',
    'group',
    'measure',
    'windock: median [min–max] ×runs',
    'anchor',
    'anchor value',
    'ratio',
  ];
  const body = withR.map((row, i) => [
    String(i + 1),
    row.group,
    row.name,
    row.error && !row.ours ? `error` : formatSummary(row.ours, row.unit),
    row.anchor ? `${row.anchor.label}${row.anchor.kind === 'baseline' ? ' (baseline)' : ''}` : '—',
    row.anchor?.kind === 'n/a' ? 'n/a here' : formatSummary(row.anchor?.value, row.unit),
    formatRatio(row.ratio),
  ]);
  const widths = header.map((h, c) => Math.max([...h].length, ...body.map((r) => [...r[c]!].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => pad(cell, widths[c]!))
      .join(' | ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-')];
  for (const cells of body) out.push(line(cells));
  const firstWithNote = new Map<string, number>();
  const notes = withR
    .map((row, i) => {
      let note = row.note;
      if (note !== undefined) {
        const first = firstWithNote.get(note);
        if (first === undefined) firstWithNote.set(note, i + 1);
        else note = `As [${first}].`;
      }
      const parts = [note, row.error ? `ERROR: ${row.error}` : undefined].filter(Boolean);
      return parts.length ? `[${i + 1}] ${parts.join(' ')}` : undefined;
    })
    .filter((n): n is string => n !== undefined);
  if (notes.length) out.push('', 'Notes (what each row measures):', ...notes);
  return out.join('\n');
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  options: Record<string, unknown>;
  machine: Record<string, unknown>;
  rows: RowWithRatio[];
}

export function toReport(rows: readonly Row[], meta: Omit<Report, 'rows'>): Report {
  return { ...meta, rows: withRatios(rows) };
}
