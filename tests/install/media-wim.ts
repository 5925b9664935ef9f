// Small Windows-shaped install media built with the real tools: a WIM captured by wimlib from a
// tiny directory, its images given the NAME/EDITIONID/ARCH/INSTALLATIONTYPE real media carry
// (names as in dockur's answer files and src/image.sh; ids as Microsoft's install.wim XML), put
// in a UDF ISO (as Windows ISOs are) by genisoimage.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestImage {
  name: string;
  editionId?: string;
  arch?: number;
  installationType?: string;
  flags?: string;
}

export function makeWim(path: string, images: TestImage[], payloadBytes = 4096, solid = false): void {
  const dir = mkdtempSync(join(tmpdir(), 'windock-wim-src-'));
  mkdirSync(join(dir, 'Windows', 'System32'), { recursive: true });
  writeFileSync(join(dir, 'Windows', 'System32', 'payload.bin'), Buffer.alloc(payloadBytes, 7));
  images.forEach((image, i) => {
    // install.esd files are solid LZMS archives: --solid makes the same kind.
    const args = [
      i === 0 ? 'capture' : 'append',
      dir,
      path,
      image.name,
      solid ? '--solid' : '--compress=LZX',
    ];
    if (image.flags) args.push(`--flags=${image.flags}`);
    execFileSync('wimlib-imagex', args, { stdio: 'ignore' });
    const props = [
      image.editionId && `WINDOWS/EDITIONID=${image.editionId}`,
      image.arch !== undefined && `WINDOWS/ARCH=${image.arch}`,
      image.installationType && `WINDOWS/INSTALLATIONTYPE=${image.installationType}`,
    ].filter((p): p is string => typeof p === 'string');
    if (props.length)
      execFileSync(
        'wimlib-imagex',
        ['info', path, String(i + 1), ...props.flatMap((p) => ['--image-property', p])],
        { stdio: 'ignore' },
      );
  });
}

/** A UDF + ISO 9660 image holding sources/<wimName> (and what else `extra` names). */
export function makeWindowsIso(
  path: string,
  images: TestImage[],
  options: { wimName?: string; extra?: Record<string, string>; payloadBytes?: number; solid?: boolean } = {},
): void {
  const root = mkdtempSync(join(tmpdir(), 'windock-iso-root-'));
  mkdirSync(join(root, 'sources'));
  if (images.length)
    makeWim(
      join(root, 'sources', options.wimName ?? 'install.wim'),
      images,
      options.payloadBytes,
      options.solid,
    );
  for (const [name, text] of Object.entries(options.extra ?? {})) writeFileSync(join(root, name), text);
  execFileSync('genisoimage', ['-quiet', '-udf', '-V', 'CCCOMA_X64FRE_EN-US_DV9', '-o', path, root]);
}
