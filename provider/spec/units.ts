import { z } from 'zod';

const UNIT_FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
};

/** Parses "8GiB", "4G", "512 MiB", "64GB" or a number of bytes. Returns bytes, or undefined. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const factor = UNIT_FACTORS[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

/**
 * A size given as "8GiB" / "4G" / "512MiB", or a plain number of MiB, normalized to whole MiB.
 * Numbers are MiB (not bytes) so that normalizing a normalized value changes nothing.
 */
export const sizeMiB = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    ctx.addIssue({
      code: 'custom',
      message: `${value} is not a whole number of MiB: write an integer, or a size like "8GiB"`,
    });
    return z.NEVER;
  }
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a size: write a number with a unit, like "8GiB", "512MiB" or "64G"`,
    });
    return z.NEVER;
  }
  return Math.ceil(bytes / MiB);
});

export function formatMiB(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}GiB` : `${mib}MiB`;
}
