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

const DECIMAL_UNITS = new Set(['kb', 'mb', 'gb', 'tb']);

/**
 * Decimal units are refused rather than taken at their SI value: "8 GB" as 10^9 bytes would
 * silently give 7630 MiB of RAM, while the user almost always means 8GiB (QEMU and Docker read
 * "8G" as binary too). The message names both fixes, so a stack that relied on the decimal value
 * can keep it exactly.
 */
function decimalUnitRefusal(value: string, bytes: number): string | undefined {
  const unit = /([a-zA-Z]+)\s*$/.exec(value)?.[1]?.toLowerCase();
  if (!unit || !DECIMAL_UNITS.has(unit)) return undefined;
  const number = /^\s*(\d+(?:\.\d+)?)/.exec(value)![1]!;
  const binary = `${number}${unit[0]!.toUpperCase()}iB`;
  const binaryMiB = parseByteSize(binary)! / MiB;
  return (
    `"${value}" is a decimal size (${bytes} bytes, ${(bytes / MiB).toFixed(1)} MiB); sizes here are binary: ` +
    `write "${binary}" (${Number.isInteger(binaryMiB) ? binaryMiB : binaryMiB.toFixed(1)} MiB), ` +
    `or "${Math.ceil(bytes / MiB)}MiB" to keep the decimal size`
  );
}

/**
 * A size given as "8GiB" / "4G" / "512MiB" (binary units), or a plain number of MiB, normalized
 * to whole MiB. Numbers are MiB (not bytes) so that normalizing a normalized value changes nothing.
 * Decimal units ("8GB") are refused with the fix (decimalUnitRefusal).
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
  const decimal = decimalUnitRefusal(value, bytes);
  if (decimal) {
    ctx.addIssue({ code: 'custom', message: decimal });
    return z.NEVER;
  }
  return Math.ceil(bytes / MiB);
});

/**
 * The lower bound of a size input, saying that a plain number is MiB: `memory: 8` means 8 MiB,
 * not 8 GiB, and the message must say so rather than only "too small".
 */
export function atLeastMiB(min: number) {
  return z.number().min(min, {
    error: (issue) =>
      `${String(issue.input)} MiB is less than the ${formatMiB(min)} needed: a plain number is MiB, ` +
      `so write a size with its unit, like "8GiB", or a number of MiB of at least ${min}`,
  });
}

export function formatMiB(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}GiB` : `${mib}MiB`;
}
