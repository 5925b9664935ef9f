import { parseBenchArgs, GROUPS } from './args';
import { median, ratioOf, repeat, summarize } from './stats';
import { formatRatio, formatSummary, formatValue, renderTable, withRatios, type Row } from './table';
import { buildSteps } from './groups/image';

/** The pure parts of the benchmarks: statistics, the table, the command line. */
describe('bench stats', () => {
  it('takes medians of odd and even counts, without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('summarizes with min, max and count, ignoring non-finite samples', () => {
    expect(summarize([3, 1, NaN, 2, Infinity])).toEqual({
      median: 2,
      min: 1,
      max: 3,
      n: 3,
      samples: [3, 1, 2],
    });
    expect(() => summarize([NaN])).toThrow(/no finite samples/);
  });

  it('computes ratios by medians and refuses a missing or zero anchor', () => {
    expect(ratioOf(summarize([2, 4, 6]), summarize([8]))).toBe(0.5);
    expect(ratioOf(summarize([1]), undefined)).toBeUndefined();
    expect(ratioOf(summarize([1]), summarize([0]))).toBeUndefined();
  });

  it('repeats after unmeasured warm-up runs', async () => {
    const seen: number[] = [];
    const s = await repeat(
      3,
      async (run) => {
        seen.push(run);
        return run * 10;
      },
      2,
    );
    expect(seen).toEqual([-1, -2, 0, 1, 2]);
    expect(s).toMatchObject({ median: 10, min: 0, max: 20, n: 3 });
  });
});

describe('bench table', () => {
  it('formats values by unit', () => {
    expect(formatValue(2.414, 'ms')).toBe('2.41 ms');
    expect(formatValue(350.12, 'ms')).toBe('350.1 ms');
    expect(formatValue(4567, 'ms')).toBe('4.57 s');
    expect(formatValue(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatValue(361.1 * 1024 ** 2, 'bytes')).toBe('361.1 MiB');
    expect(formatValue(3 * 1024 ** 3, 'bytes')).toBe('3 GiB');
    expect(formatSummary(summarize([1000, 2000, 3000]), 'ms')).toBe('2 s [1 s–3 s] ×3');
    expect(formatSummary(summarize([5]), 'ms')).toBe('5 ms');
    expect(formatSummary(undefined, 'ms')).toBe('—');
  });

  it('formats ratios, small ones with their inverse', () => {
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatRatio(250)).toBe('250×');
    expect(formatRatio(0.0053)).toBe('0.0053× (1/189)');
    expect(formatRatio(0.25)).toBe('0.25× (1/4)');
    expect(formatRatio(undefined)).toBe('—');
  });

  it('renders rows with anchors, ratios, numbered notes and errors', () => {
    const rows: Row[] = [
      {
        group: 'ssh',
        name: 'ping',
        unit: 'ms',
        ours: summarize([2, 3, 4]),
        anchor: { label: 'dockerode ssh', value: summarize([300]), kind: 'measured' },
        note: 'same host',
      },
      { group: 'ssh', name: 'list', unit: 'ms', ours: summarize([6]), note: 'same host' },
      {
        group: 'image',
        name: 'size',
        unit: 'bytes',
        ours: summarize([1024 ** 2]),
        anchor: { label: 'dockur', kind: 'n/a' },
      },
      { group: 'preview', name: 'broken', unit: 'ms', error: 'it failed' },
    ];
    expect(withRatios(rows)[0]!.ratio).toBeCloseTo(0.01);
    const text = renderTable(rows);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^# \| group +\| measure/);
    expect(text).toContain('3 ms [2 ms–4 ms] ×3');
    expect(text).toContain('0.01× (1/100)');
    expect(text).toContain('n/a here');
    expect(text).toContain('[1] same host');
    expect(text).toContain('[2] As [1].');
    expect(text).toContain('[4] ERROR: it failed');
    // Columns line up: every table row has its separators at the same places.
    const table = lines.slice(0, 2 + rows.length);
    const bars = (l: string) => [...l].flatMap((c, i) => (c === '|' ? [i] : []));
    expect(new Set(table.slice(2).map((l) => bars(l).join(','))).size).toBe(1);
  });
});

describe('bench command line', () => {
  it('defaults to every group, 5 runs', () => {
    expect(parseBenchArgs([])).toEqual({ quick: false, help: false, groups: [...GROUPS], runs: 5 });
  });

  it('takes --quick, --only (comma or repeated, in canonical order), --runs and --out', () => {
    const o = parseBenchArgs([
      '--quick',
      '--only',
      'snapshots,ssh',
      '--only=ssh',
      '--runs',
      '3',
      '--out',
      '/tmp/x.json',
    ]);
    expect(o).toEqual({
      quick: true,
      help: false,
      groups: ['ssh', 'snapshots'],
      runs: 3,
      out: '/tmp/x.json',
    });
    expect(parseBenchArgs(['--quick']).runs).toBe(2);
  });

  it('refuses unknown groups and arguments, and bad run counts', () => {
    expect(() => parseBenchArgs(['--only', 'nope'])).toThrow(/unknown group "nope"/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseBenchArgs(['--only'])).toThrow(/needs a value/);
  });
});

describe('image build time from layer times', () => {
  it('counts steps built in one build and skips cached parents and an imported base', () => {
    // newest first, as docker history returns it
    const history = [
      { Id: 'e', Created: 1000, CreatedBy: 'LABEL', Size: 0 },
      { Id: 'd', Created: 998, CreatedBy: 'COPY dist', Size: 10 },
      { Id: 'c', Created: 100, CreatedBy: 'COPY node', Size: 10 }, // from an earlier build: d's time unknown
      { Id: 'b', Created: 60, CreatedBy: 'RUN apt-get', Size: 10 },
      { Id: 'a', Created: 20, CreatedBy: 'ENV', Size: 0 },
      { Id: 'base', Created: 5, CreatedBy: '', Size: 100 },
    ];
    expect(buildSteps(history, 600)).toEqual({ seconds: 40 + 40 + 2, counted: 3, skipped: 2 });
  });
});
