// From a media source to the URL of the ISO: the Microsoft flow, the Evaluation Center page,
// or the URL as given. Each request's failure names its step.
import { randomUUID } from 'node:crypto';
import type { MediaSource } from '../../../../provider/spec';
import { pickEvaluationLink, evaluationPageUrl } from './evaluation-protocol';
import { fetchText, resolveRedirect } from './http';
import {
  downloadLinksUrl,
  downloadPageUrl,
  parseDownloadLink,
  parseProductEditionId,
  parseSkuId,
  sessionPermitUrl,
  skuListUrl,
} from './microsoft-protocol';

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
    case 'evaluation': {
      const page = evaluationPageUrl(source.endpoint, source.product);
      log(`reading the Evaluation Center page of ${source.product}`);
      const html = await fetchText(page, 'media: evaluation page', { what: source.product });
      const link = pickEvaluationLink(html, source.language, source.linkIndex, source.product);
      return resolveRedirect(link, 'media: evaluation link');
    }
  }
}
