import { storeSecrets } from './store';

/** A JSON object of a few short secrets: anything much larger is not what the provider sends. */
const MAX_BYTES = 256 * 1024;

async function readStdin(limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`more than ${limit} bytes on stdin`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `windock-supervisor secrets`: the provider's hand-over after a start. Reads a JSON object
 * {name: value} on stdin (never argv or env, which `ps` and `docker inspect` show) into the tmpfs.
 */
export async function secretsCommand(): Promise<number> {
  try {
    const document = JSON.parse(await readStdin(MAX_BYTES)) as unknown;
    if (typeof document !== 'object' || document === null || Array.isArray(document))
      throw new Error('expected a JSON object of secret files');
    const written = storeSecrets(document as Record<string, string>);
    process.stdout.write(`${written.length} secret file(s) stored\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`windock-supervisor secrets: ${(error as Error).message}\n`);
    return 1;
  }
}
