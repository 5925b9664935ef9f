// The Evaluation Center: a page per product (<www>/en-us/evalcenter/download-<product>) whose
// download links are fwlinks, one per language and package:
//   https://go.microsoft.com/fwlink/?linkid=2293312&clcid=0x409&culture=en-us&country=us
// (older pages write fwlink/p/?LinkID=...). Following the fwlink's redirect gives the ISO.
// Current pages fill culture=en-us&country=us into every language's link: then only the
// link's first redirect target (its path or file name) says the language, as dockur's
// src/mido.sh (downloadWindowsEval) reads it. Pure: the requests are made by resolve-link.ts.
import { architectureOf } from './architecture';
import { MediaError } from './errors';

export { architectureOf };

export function evaluationPageUrl(endpoint: string, product: string): string {
  return `${endpoint.replace(/\/+$/, '')}/en-us/evalcenter/download-${product}`;
}

/** Every fwlink on the page, once each, in page order (HTML-escaped separators decoded). */
export function parseFwlinks(html: string): string[] {
  const page = html.replace(/&amp;|&#38;/g, '&');
  const links: string[] = [];
  for (const match of page.matchAll(/https?:\/\/[A-Za-z0-9.:-]+\/fwlink\/(?:p\/)?\?[^"'<>\s]+/gi))
    if (!links.includes(match[0])) links.push(match[0]);
  return links;
}

function linkCulture(link: string): string | undefined {
  const query = new URLSearchParams(link.slice(link.indexOf('?') + 1));
  const culture = query.get('culture')?.toLowerCase();
  const country = query.get('country')?.toLowerCase();
  return culture && country ? `${culture}|${country}` : undefined;
}

/**
 * The links whose culture/country parameters are the culture's; undefined when the parameters
 * say nothing (every link carries the same one, as current pages write en-us for all).
 */
export function linksByParameters(links: string[], culture: string): string[] | undefined {
  const cultures = new Set(links.map(linkCulture).filter((c) => c !== undefined));
  if (cultures.size < 2) return undefined;
  const country = culture.split('-').pop() ?? culture;
  return links.filter((l) => linkCulture(l) === `${culture.toLowerCase()}|${country.toLowerCase()}`);
}

/** How a culture shows in an ISO's URL: letters and digits only ("dede"), and Microsoft's variants. */
export function cultureKeys(culture: string): string[] {
  const key = culture.toLowerCase().replace(/[^a-z0-9]/g, '');
  const variants: Record<string, string> = { jajp: 'jpjp', zhtw: 'cntw' };
  return variants[key] ? [key, variants[key]] : [key];
}

/** Whether a redirect target (before its query) names the culture. */
export function targetIsCulture(target: string, culture: string): boolean {
  const key = target
    .replace(/[?#].*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return cultureKeys(culture).some((k) => key.includes(k));
}

export function pickByIndex(links: string[], index: number, culture: string, product: string): string {
  if (links.length === 0)
    throw new MediaError(
      `the Evaluation Center page of ${product} has no download in culture "${culture}"`,
      'media: evaluation page',
    );
  const link = links[index];
  if (!link)
    throw new MediaError(
      `the Evaluation Center page of ${product} has ${links.length} links for "${culture}", not ${index + 1}`,
      'media: evaluation page',
    );
  return link;
}

/** Refuses an ISO built for another architecture than the VM's (x64), before it is downloaded. */
export function refuseArm64(url: string, product: string, index: number): void {
  if (architectureOf(url) !== 'arm64') return;
  const file = url
    .replace(/[?#].*$/, '')
    .split('/')
    .pop();
  throw new MediaError(
    `link ${index + 1} of the Evaluation Center page of ${product} is an arm64 ISO (${file}): windock's VMs are x64, ` +
      'so it was not downloaded (the page has changed its order: give media { kind: "url" } or { kind: "iso" } with x64 media)',
    'media: evaluation link',
  );
}
