// Pure: the command line of `npm run bench` / `./dev bench`.

export const GROUPS = ['ssh', 'preview', 'lifecycle', 'snapshots', 'clones', 'image', 'disk-images'] as const;
export type Group = (typeof GROUPS)[number];

export interface BenchOptions {
  quick: boolean;
  groups: Group[];
  /** Runs per timed measurement (default 5, --quick 2). */
  runs: number;
  /** Where the JSON report goes. */
  out?: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only GROUP[,GROUP...]] [--runs N] [--out FILE]
  --quick        fewer runs and sizes (a few minutes)
  --only GROUP   run only these groups (repeatable): ${GROUPS.join(', ')}
  --runs N       runs per timed measurement (default 5; --quick 2)
  --out FILE     the JSON report (default bench/results/latest.json)`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let quick = false;
  let help = false;
  let runs: number | undefined;
  let out: string | undefined;
  const only: Group[] = [];
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--only':
        for (const name of take()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)) {
          if (!(GROUPS as readonly string[]).includes(name))
            throw new Error(`unknown group "${name}": one of ${GROUPS.join(', ')}`);
          if (!only.includes(name as Group)) only.push(name as Group);
        }
        break;
      case '--runs': {
        const n = Number(take());
        if (!Number.isInteger(n) || n < 1 || n > 50)
          throw new Error('--runs must be an integer from 1 to 50');
        runs = n;
        break;
      }
      case '--out':
        out = take();
        break;
      default:
        throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  return {
    quick,
    help,
    groups: only.length ? GROUPS.filter((g) => only.includes(g)) : [...GROUPS],
    runs: runs ?? (quick ? 2 : 5),
    ...(out ? { out } : {}),
  };
}
