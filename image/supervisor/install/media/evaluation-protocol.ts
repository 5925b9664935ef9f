// The Evaluation Center: a page per product (<www>/en-us/evalcenter/download-<product>) whose
// download links are fwlinks, one per culture and package:
//   https://go.microsoft.com/fwlink/?linkid=2293312&clcid=0x409&culture=en-us&country=us
// (older pages write fwlink/p/?LinkID=...). Following the fwlink's redirect gives the ISO.
// Pure: the request is made by evaluation.ts.
import { MediaError } from './errors';

export function evaluationPageUrl(endpoint: string, product: string): string {
  return `${endpoint.replace(/\/+$/, '')}/en-us/evalcenter/download-${product}`;
}

/** The culture's fwlinks in page order (ISO x64 first on Server pages). */
export function parseEvaluationLinks(html: string, culture: string): string[] {
  const country = culture.split('-').pop() ?? culture;
  const pattern =
    /https?:\/\/[A-Za-z0-9.:-]+\/fwlink\/(?:p\/)?\?linkid=\d+(?:&|&amp;)clcid=0x[0-9a-f]+(?:&|&amp;)culture=([a-z-]+)(?:&|&amp;)country=([a-z]+)/gi;
  const links: string[] = [];
  for (const match of html.matchAll(pattern)) {
    if (
      match[1]!.toLowerCase() !== culture.toLowerCase() ||
      match[2]!.toLowerCase() !== country.toLowerCase()
    )
      continue;
    const link = match[0].replace(/&amp;/g, '&');
    if (!links.includes(link)) links.push(link);
  }
  return links;
}

export function pickEvaluationLink(html: string, culture: string, index: number, product: string): string {
  const links = parseEvaluationLinks(html, culture);
  if (links.length === 0)
    throw new MediaError(
      `the Evaluation Center page of ${product} has no download for culture "${culture}"`,
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
