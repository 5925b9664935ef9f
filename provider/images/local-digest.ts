import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { progressLines, type Write } from './progress';

/** SHA-256 of a file on the machine running Pulumi, read as a stream (never whole in memory). */
export async function localDigest(path: string, write: Write): Promise<string> {
  const hash = createHash('sha256');
  const progress = progressLines(`hashing ${path}`, statSync(path).size, write);
  let done = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 ** 2 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    progress(done);
  }
  return hash.digest('hex');
}
