// The reliability suite's results: every test records what it tried and what it found; each
// file's afterAll prints the table of everything recorded in this jest run so far (the last
// table printed is the whole suite's) and writes tests/reliability/results.json (gitignored).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ResultRow {
  section: 'bad input' | 'faults' | 'load' | 'security';
  name: string;
  /** Faults injected that the system came through (clear error, consistent state, data intact). */
  faultsSurvived: number;
  /** Inputs or cases tried. */
  inputsTried: number;
  containersLeaked: number;
  volumesLeaked: number;
  connectionsLeaked: number;
  /** Files written in a guest whose checksum changed or that vanished. */
  dataLost: number;
  /** Security rows: hostile inputs or attack steps tried, and how many of them got through. */
  attacksTried?: number;
  attacksThrough?: number;
  passed: boolean;
  note?: string;
}

interface ResultsFile {
  run: string;
  startedAt: string;
  rows: ResultRow[];
}

export const RESULTS_FILE = join(__dirname, 'results.json');

/** One key per jest invocation: the main process (in band) or the workers' parent. */
function runKey(): string {
  // In band, the tests run in jest's own process; otherwise in workers whose parent is jest.
  const inWorker = (process.argv[1] ?? '').includes('processChild');
  return String(inWorker ? process.ppid : process.pid);
}

function load(): ResultsFile {
  const run = runKey();
  if (existsSync(RESULTS_FILE)) {
    try {
      const file = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as ResultsFile;
      if (file.run === run) return file;
    } catch {
      // a broken file is started again
    }
  }
  return { run, startedAt: new Date().toISOString(), rows: [] };
}

/**
 * Collects the rows of one test file. `row()` starts a row that counts as failed until
 * `pass()`: a test that throws half way leaves it failed in the table.
 */
export class Results {
  private readonly rows: ResultRow[] = [];

  /** A security row that counts attacks: `attack(through)` records one try (through: it got in). */
  attackRow(name: string): ResultRow & { pass(note?: string): void; attack(through: boolean): void } {
    const row = this.row('security', name);
    row.attacksTried = 0;
    row.attacksThrough = 0;
    return Object.assign(row, {
      attack(through: boolean) {
        row.attacksTried = (row.attacksTried ?? 0) + 1;
        if (through) row.attacksThrough = (row.attacksThrough ?? 0) + 1;
        row.inputsTried += 1;
      },
    });
  }

  row(section: ResultRow['section'], name: string): ResultRow & { pass(note?: string): void } {
    const row: ResultRow = {
      section,
      name,
      faultsSurvived: 0,
      inputsTried: 0,
      containersLeaked: 0,
      volumesLeaked: 0,
      connectionsLeaked: 0,
      dataLost: 0,
      passed: false,
    };
    this.rows.push(row);
    return Object.assign(row, {
      pass(note?: string) {
        row.passed = true;
        if (note) row.note = note;
      },
    });
  }

  /** Merges this file's rows into results.json and prints the table of the run so far. */
  flush(): void {
    const file = load();
    const names = new Set(this.rows.map((r) => `${r.section}/${r.name}`));
    file.rows = [
      ...file.rows.filter((r) => !names.has(`${r.section}/${r.name}`)),
      ...this.rows.map(({ ...r }) => {
        delete (r as Partial<{ pass: unknown }>).pass;
        return r;
      }),
    ];
    writeFileSync(RESULTS_FILE, JSON.stringify(file, null, 2) + '\n');
    console.log(formatTable(file));
  }
}

export function formatTable(file: ResultsFile): string {
  const head = [
    'section',
    'test',
    'faults',
    'inputs',
    'ctr leak',
    'vol leak',
    'conn leak',
    'data lost',
    'result',
  ];
  const lines = file.rows.map((r) => [
    r.section,
    r.name,
    String(r.faultsSurvived),
    String(r.inputsTried),
    String(r.containersLeaked),
    String(r.volumesLeaked),
    String(r.connectionsLeaked),
    String(r.dataLost),
    r.passed ? 'ok' : 'FAILED',
  ]);
  const sum = (k: keyof ResultRow) => file.rows.reduce((n, r) => n + (r[k] as number), 0);
  const total = [
    'TOTAL',
    `${file.rows.filter((r) => r.passed).length}/${file.rows.length} passed`,
    String(sum('faultsSurvived')),
    String(sum('inputsTried')),
    String(sum('containersLeaked')),
    String(sum('volumesLeaked')),
    String(sum('connectionsLeaked')),
    String(sum('dataLost')),
    file.rows.every((r) => r.passed) ? 'ok' : 'FAILED',
  ];
  const all = [head, ...lines, total];
  const widths = head.map((_, i) => Math.max(...all.map((l) => l[i]!.length)));
  const fmt = (l: string[]) =>
    l.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [
    `windock reliability and security results (run started ${file.startedAt})`,
    fmt(head),
    rule,
    ...lines.map(fmt),
    rule,
    fmt(total),
    ...file.rows.filter((r) => r.note).map((r) => `  ${r.name}: ${r.note}`),
    ...securityBlock(file.rows),
  ].join('\n');
}

/** The attacks block: per security row, the attacks tried and those that got through (must be 0). */
function securityBlock(rows: ResultRow[]): string[] {
  const attacks = rows.filter((r) => r.section === 'security' && r.attacksTried !== undefined);
  if (attacks.length === 0) return [];
  const width = Math.max(...attacks.map((r) => r.name.length), 'TOTAL'.length);
  const line = (name: string, tried: number, through: number, ok: boolean) =>
    `${name.padEnd(width)} | ${String(tried).padStart(8)} | ${String(through).padStart(8)} | ${ok ? 'ok' : 'FAILED'}`;
  const tried = attacks.reduce((n, r) => n + (r.attacksTried ?? 0), 0);
  const through = attacks.reduce((n, r) => n + (r.attacksThrough ?? 0), 0);
  return [
    '',
    'security: attacks tried and attacks that got through',
    `${'attack'.padEnd(width)} |    tried |  through | result`,
    ...attacks.map((r) => line(r.name, r.attacksTried ?? 0, r.attacksThrough ?? 0, r.passed)),
    line('TOTAL', tried, through, through === 0 && attacks.every((r) => r.passed)),
  ];
}
