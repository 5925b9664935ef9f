// Reads the image list of the install.wim/esd inside a Windows ISO without mounting it and
// without extracting the multi-GiB file: 7-Zip streams the file out of the ISO's UDF (Windows
// ISOs carry only a README in their ISO 9660 part), the header, blob table and XML are written
// into a sparse copy, and wimlib-imagex lists that copy (`info --xml`, as dockur's
// src/image.sh readImageInfo does; dockur reads the same ranges with udfread, not in Debian).
// The copy is a few KiB on disk; the stream stops once the XML has passed.
import { execFile, spawn } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wimListing, WIM_HEADER_BYTES, type ByteRange } from './wim-header';
import { decodeWimXml, parseWimImages, type WimImage } from './wim-images';

const SEVEN_ZIP = '7zz';
const STREAM_TIMEOUT_MS = 30 * 60_000;

function run(file: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { encoding: 'buffer', timeout: 5 * 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(`${file} ${args.join(' ')} failed: ${stderr.toString().trim() || error.message}`),
            )
          : resolve(stdout),
    );
  });
}

/** The install image file inside the ISO (install.wim before install.esd), with its size. */
async function findInstallImage(iso: string): Promise<{ path: string; size: number } | undefined> {
  const listing = (await run(SEVEN_ZIP, ['l', '-slt', '-ba', iso])).toString('utf8');
  const files = listing.split(/\r?\n\r?\n/).map((block) => ({
    path: /^Path = (.*)$/m.exec(block)?.[1]?.trim() ?? '',
    size: Number(/^Size = (\d+)$/m.exec(block)?.[1] ?? NaN),
  }));
  for (const name of ['install.wim', 'install.esd']) {
    const file = files.find((f) => f.path.toLowerCase().replace(/\\/g, '/') === `sources/${name}`);
    if (file && Number.isFinite(file.size)) return file;
  }
  return undefined;
}

/** Copies the header and XML of the streamed WIM into `target` (a sparse file of the WIM's size). */
function copyListingRanges(iso: string, path: string, size: number, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(target, 'w', 0o600);
    ftruncateSync(fd, size);
    const child = spawn(SEVEN_ZIP, ['e', '-so', iso, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), STREAM_TIMEOUT_MS);
    let at = 0;
    let header = Buffer.alloc(0);
    let xml: ByteRange | undefined;
    let stderr = '';
    let failure: Error | undefined;
    const end = () => (xml ? xml.offset + xml.length : Infinity);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        if (!xml) {
          header = Buffer.concat([header, chunk.subarray(0, WIM_HEADER_BYTES - header.length)]);
          if (header.length === WIM_HEADER_BYTES) {
            const listing = wimListing(header);
            writeSync(fd, listing.header, 0, WIM_HEADER_BYTES, 0);
            xml = listing.xml;
          }
        }
        if (xml) {
          const from = Math.max(xml.offset, at);
          const to = Math.min(xml.offset + xml.length, at + chunk.length);
          if (from < to) writeSync(fd, chunk, from - at, to - from, from);
        }
        at += chunk.length;
        // Everything wimlib reads is copied: the rest of the file need not pass.
        if (at >= end()) child.kill('SIGTERM');
      } catch (error) {
        failure = error as Error;
        child.kill('SIGTERM');
      }
    });
    child.on('error', (error) => (failure ??= error));
    child.on('close', (code) => {
      clearTimeout(timer);
      closeSync(fd);
      if (failure) return reject(failure);
      if (at < end())
        return reject(
          new Error(
            `7-Zip stopped after ${at} bytes of ${path} (exit ${code}): ${stderr.trim().slice(-300)}`,
          ),
        );
      resolve();
    });
  });
}

/** The images of the ISO's install.wim/esd; undefined when the ISO has neither (not Windows Setup media). */
export async function readIsoImages(iso: string): Promise<WimImage[] | undefined> {
  const found = await findInstallImage(iso);
  if (!found) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'windock-wim-'));
  try {
    const copy = join(dir, 'listing.wim');
    await copyListingRanges(iso, found.path, found.size, copy);
    const xml = decodeWimXml(await run('wimlib-imagex', ['info', copy, '--xml']));
    return parseWimImages(xml);
  } catch (error) {
    throw new Error(`could not read the image list of ${found.path} in ${iso}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
