import { resolve } from 'node:path';

/** The repository root (this file runs as dist/bench/lib/paths.js). */
export const REPO = resolve(__dirname, '..', '..', '..');
