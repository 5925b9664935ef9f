import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';
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

/** The regular files of a tar (a stream from the engine, or bytes), by their path in it. */
export function untarFiles(archive: NodeJS.ReadableStream | Buffer): Promise<Map<string, Buffer>> {
  const source = Buffer.isBuffer(archive) ? Readable.from([archive]) : archive;
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    const parser = extract();
    parser.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        if (header.type === 'file') files.set(header.name, Buffer.concat(chunks));
        next();
      });
      stream.resume();
    });
    parser.on('finish', () => resolve(files));
    parser.on('error', reject);
    source.on('error', reject);
    source.pipe(parser);
  });
}
