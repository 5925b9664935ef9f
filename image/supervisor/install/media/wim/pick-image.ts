// Picks the install image for a spec's Windows {version, edition, evaluation} from the image
// list read out of the media (install.wim/esd): by EDITIONID first, by NAME where a WIM carries
// no EDITIONID. Names change between releases ("Windows 11 Enterprise" on retail media,
// "Windows 11 Enterprise Evaluation" on evaluation media, "... SERVERDATACENTERCORE" on
// servers); EDITIONIDs do not, and the answer file then installs by index. Pure.
import { describeWimImages, type WimImage } from './wim-images';

export interface WantedWindows {
  version: string;
  edition: string;
  evaluation: boolean;
}

export class ImagePickError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImagePickError';
  }
}

/** EDITIONID without its evaluation suffix (Microsoft's ids: Core, Professional, EnterpriseS...). */
const CLIENT_EDITION_IDS: Record<string, string> = {
  home: 'Core',
  pro: 'Professional',
  education: 'Education',
  enterprise: 'Enterprise',
  'pro-workstations': 'ProfessionalWorkstation',
};
const LTSC_EDITION_IDS: Record<string, Record<string, string>> = {
  '10-ltsc': { enterprise: 'EnterpriseS' },
  '11-ltsc': { 'iot-enterprise': 'IoTEnterpriseS' },
};
/** What image NAMEs say after "Windows 10/11" (evaluation and year taken out). */
const CLIENT_NAMES: Record<string, string> = {
  home: 'Core',
  pro: 'Professional',
  education: 'Education',
  enterprise: 'Enterprise',
  'pro for workstations': 'ProfessionalWorkstation',
  'enterprise ltsc': 'EnterpriseS',
  'iot enterprise ltsc': 'IoTEnterpriseS',
};

interface Wanted {
  editionId: string;
  core?: boolean;
}

const isServer = (version: string) => version.startsWith('server-');

function wanted(w: WantedWindows): Wanted {
  if (isServer(w.version)) {
    const core = w.edition.endsWith('-core');
    const base = w.edition.replace(/-core$/, '');
    return { editionId: `Server${base.charAt(0).toUpperCase()}${base.slice(1)}`, core };
  }
  const editionId = (LTSC_EDITION_IDS[w.version] ?? CLIENT_EDITION_IDS)[w.edition];
  if (!editionId) throw new ImagePickError(`Windows ${w.version} has no edition "${w.edition}"`);
  return { editionId };
}

interface Classified {
  editionId?: string;
  core: boolean;
  evaluation: boolean;
}

function editionFromName(name: string, server: boolean): string | undefined {
  const lower = name.toLowerCase();
  if (server) {
    // "Windows Server 2022 SERVERDATACENTERCORE": the id is spelt out in capitals.
    const id = /server \d{4}(?: r2)? (server[a-z]+?)(?:core)?$/.exec(lower)?.[1];
    return id ? `Server${id.charAt(6).toUpperCase()}${id.slice(7)}` : undefined;
  }
  const rest = lower
    .replace(/^windows \d+\s*/, '')
    .replace(/\bevaluation\b|\b20\d\d\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return CLIENT_NAMES[rest];
}

function classify(image: WimImage, server: boolean): Classified {
  const texts = [image.name, image.displayName ?? '', image.flags ?? ''];
  const evaluation =
    /eval/i.test(image.editionId ?? '') ||
    /eval/i.test(image.flags ?? '') ||
    texts.some((t) => /evaluation/i.test(t));
  const editionId = image.editionId?.replace(/Eval$/i, '') ?? editionFromName(image.name, server);
  const core =
    server &&
    (/core/i.test(image.installationType ?? '') ||
      /core$/i.test(image.name) ||
      /core$/i.test(image.flags ?? '') ||
      /server core/i.test(image.displayName ?? ''));
  return { ...(editionId ? { editionId } : {}), core, evaluation };
}

function refuseOtherArchitectures(images: WimImage[], media: string): WimImage[] {
  const x64 = images.filter((i) => i.arch === undefined || i.arch === 'x64');
  if (x64.length === 0 && images.length > 0)
    throw new ImagePickError(
      `${media} holds no x64 image (it has ${describeWimImages(images)}): windock's VMs are x64; use x64 media`,
    );
  return x64;
}

/** The image to install, or an ImagePickError that lists what the media has. */
export function pickInstallImage(images: WimImage[], w: WantedWindows, media: string): WimImage {
  const x64 = refuseOtherArchitectures(images, media);
  const want = wanted(w);
  const server = isServer(w.version);
  const matches = x64.filter((image) => {
    const c = classify(image, server);
    return c.editionId?.toLowerCase() === want.editionId.toLowerCase() && (!server || c.core === want.core);
  });
  const sameKind = matches.filter((image) => classify(image, server).evaluation === w.evaluation);
  const picked = sameKind[0] ?? matches[0];
  if (picked) return picked;
  throw new ImagePickError(
    `${media} has no image for Windows ${w.version} ${w.edition}${w.evaluation ? ' (evaluation)' : ''}` +
      ` (EDITIONID ${want.editionId}${server ? (want.core ? ', Server Core' : ', Desktop Experience') : ''}):` +
      ` it has ${describeWimImages(images) || 'no images'}; pick one of those editions, or other media`,
  );
}
