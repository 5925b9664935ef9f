// The image list of an install.wim/esd, from the XML wimlib-imagex prints (`info --xml`).
// Real media carry, per image: NAME ("Windows 11 Enterprise Evaluation", "Windows Server 2022
// SERVERDATACENTERCORE"), WINDOWS/EDITIONID ("EnterpriseEval", "ServerDatacenter"...),
// WINDOWS/INSTALLATIONTYPE ("Client", "Server", "Server Core"), WINDOWS/ARCH (0 x86, 9 x64,
// 12 arm64) and FLAGS; dockur's src/image.sh (getVersions) reads the same fields.

export interface WimImage {
  index: number;
  name: string;
  displayName?: string;
  editionId?: string;
  installationType?: string;
  flags?: string;
  arch?: 'x86' | 'x64' | 'arm64' | 'arm' | `unknown (${string})`;
}

const ARCHES: Record<string, WimImage['arch']> = { '0': 'x86', '5': 'arm', '9': 'x64', '12': 'arm64' };

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

function field(xml: string, path: string[]): string | undefined {
  let scope = xml;
  for (const tag of path) {
    const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(scope);
    if (!match) return undefined;
    scope = match[1]!;
  }
  const value = decode(scope);
  return value === '' ? undefined : value;
}

/** wimlib prints the XML as UTF-16LE with a byte order mark; accept UTF-8 too. */
export function decodeWimXml(raw: Buffer): string {
  const utf16 = raw.length >= 2 && raw[0] === 0xff && raw[1] === 0xfe;
  return (utf16 ? raw.subarray(2).toString('utf16le') : raw.toString('utf8')).replace(/^\uFEFF/, '');
}

export function parseWimImages(xml: string): WimImage[] {
  const images: WimImage[] = [];
  for (const match of xml.matchAll(/<IMAGE INDEX="(\d+)">([\s\S]*?)<\/IMAGE>/g)) {
    const body = match[2]!;
    const arch = field(body, ['WINDOWS', 'ARCH']);
    const optional = {
      displayName: field(body, ['DISPLAYNAME']),
      editionId: field(body, ['WINDOWS', 'EDITIONID']),
      installationType: field(body, ['WINDOWS', 'INSTALLATIONTYPE']),
      flags: field(body, ['FLAGS']),
      arch: arch === undefined ? undefined : (ARCHES[arch] ?? (`unknown (${arch})` as const)),
    };
    images.push({
      index: Number(match[1]),
      name: field(body, ['NAME']) ?? '',
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    });
  }
  return images;
}

/** One line per image for messages: "2: Windows 11 Pro (Professional, x64)". */
export function describeWimImages(images: WimImage[]): string {
  return images
    .map(
      (i) =>
        `${i.index}: ${i.name}${i.editionId || i.arch ? ` (${[i.editionId, i.arch].filter(Boolean).join(', ')})` : ''}`,
    )
    .join('; ');
}
