import { pack } from 'tar-stream';
import type { VmSpec } from '../../contract';

export interface ArchiveFile {
  path: string;
  content: Buffer | string;
  mode?: number;
}

/** A tar of files for Docker's putArchive (docker cp): how files reach a created container. */
export async function tarArchive(files: ArchiveFile[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dir && !dirs.has(dir)) {
        dirs.add(dir);
        archive.entry({ name: dir, type: 'directory', mode: 0o700 });
      }
    }
    archive.entry({ name: file.path, mode: file.mode ?? 0o644 }, file.content);
  }
  archive.finalize();
  return done;
}

/**
 * The spec, relative to /etc/windock. It names secret files but holds no secret: their values
 * are handed over into a tmpfs after each start (vm-secrets.ts), never written into the container.
 */
export function specArchive(spec: VmSpec): Promise<Buffer> {
  return tarArchive([{ path: 'spec.json', content: JSON.stringify(spec, null, 2) + '\n', mode: 0o444 }]);
}
