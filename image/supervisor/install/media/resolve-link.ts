// From a media source to the URL of the ISO: the Microsoft flow, the Evaluation Center page,
// or the URL as given. Each request's failure names its step.
import { randomUUID } from 'node:crypto';
import type { MediaSource } from '../../../../contract';
import {
  evaluationPageUrl,
  linksByParameters,
  parseFwlinks,
  pickByIndex,
  refuseArm64,
  targetIsCulture,
} from './evaluation-protocol';
import { firstRedirect, fetchText, resolveRedirect } from './http';
import {
  downloadLinksUrl,
  downloadPageUrl,
  OV_DF_ENDPOINT,
  ovReplyUrl,
  ovScriptUrl,
  parseDownloadLink,
  parseOvChallenge,
  parseProductEditionId,
  parseSkuId,
  sessionPermitUrl,
  skuListUrl,
} from './microsoft-protocol';

type MicrosoftSource = Extract<MediaSource, { kind: 'microsoft' }>;
type EvaluationSource = Extract<MediaSource, { kind: 'evaluation' }>;

/** The ov-df check of the session: its script's token and timing value sent back with the time. */
async function passOvCheck(source: MicrosoftSource, sessionId: string, what: string): Promise<void> {
  const ov = source.ovEndpoint ?? OV_DF_ENDPOINT;
  const step = 'media: microsoft ov-df';
  const challenge = parseOvChallenge(await fetchText(ovScriptUrl(ov, sessionId), step, { what }));
  // dockur's src/mido.sh waits a moment before the reply, as a browser running the script would.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await fetchText(ovReplyUrl(ov, sessionId, challenge, Date.now()), step, { what });
}

/** The page's links in the culture: by their parameters where they differ, else by where they redirect. */
async function evaluationLinks(html: string, culture: string): Promise<string[]> {
  const links = parseFwlinks(html);
  const byParameters = linksByParameters(links, culture);
  if (byParameters) return byParameters;
  const inCulture: string[] = [];
  for (const link of links) {
    const target = await firstRedirect(link, 'media: evaluation link');
    if (target && targetIsCulture(target, culture)) inCulture.push(link);
  }
  return inCulture;
}

async function evaluationUrl(source: EvaluationSource, log: (line: string) => void): Promise<string> {
  const page = evaluationPageUrl(source.endpoint, source.product);
  log(`reading the Evaluation Center page of ${source.product}`);
  const html = await fetchText(page, 'media: evaluation page', { what: source.product });
  const links = await evaluationLinks(html, source.language);
  const link = pickByIndex(links, source.linkIndex, source.language, source.product);
  const url = await resolveRedirect(link, 'media: evaluation link');
  refuseArm64(url, source.product, source.linkIndex);
  return url;
}

export async function resolveDownloadUrl(
  source: Exclude<MediaSource, { kind: 'host-file' }>,
  log: (line: string) => void,
): Promise<string> {
  switch (source.kind) {
    case 'url':
      return source.url;
    case 'microsoft': {
      const what = `${source.product} (${source.language})`;
      const page = downloadPageUrl(source.endpoint, source.product);
      log(`asking Microsoft for ${what}`);
      const productEditionId = parseProductEditionId(
        await fetchText(page, 'media: microsoft page', { what }),
      );
      const sessionId = randomUUID();
      await fetchText(sessionPermitUrl(source.sessionEndpoint, sessionId), 'media: microsoft session', {
        what,
      });
      await passOvCheck(source, sessionId, what);
      const skus = await fetchText(
        skuListUrl(source.endpoint, productEditionId, sessionId),
        'media: microsoft sku',
        {
          referer: page,
          what,
        },
      );
      const skuId = parseSkuId(skus, source.language);
      const links = await fetchText(
        downloadLinksUrl(source.endpoint, skuId, sessionId),
        'media: microsoft link',
        {
          referer: page,
          what,
        },
      );
      return parseDownloadLink(links, what);
    }
    case 'evaluation':
      return evaluationUrl(source, log);
  }
}
