// Microsoft's consumer download flow, as its download page (and Fido, mido, dockur/windows)
// drive it. Pure: URLs in, parsed answers out; the requests are made by microsoft.ts.
//   1. GET  <www>/en-us/software-download/windows11 (windows10ISO): the page; its first
//      <option value="NNNN">Windows ...> is the product edition id of the current release.
//   2. GET  <vlscppe>/tags?org_id=y6jn8c31&session_id=<uuid>: permits the session id.
//   2b. The ov-df check (dockur's src/mido.sh, since Microsoft began requiring it):
//      GET <ov-df>/mdt.js?instanceId=<instance>&PageId=si&session_id=<uuid>, a script carrying a
//      token (`...?w=<hex>`) and a timing value (`rticks="+<digits>"`); then
//      GET <ov-df>/?session_id=<uuid>&CustomerId=<instance>&PageId=si&w=<hex>&mdt=<ms now>&rticks=<digits>.
//   3. GET  <www>/software-download-connector/api/getskuinformationbyproductedition?...:
//      {"Skus":[{"Id":"...","Language":"English",...}]}, the SKU id by language.
//   4. GET  <www>/software-download-connector/api/GetProductDownloadLinksBySku?... (Referer:
//      the page): {"ProductDownloadOptions":[{"Uri":"https://...x64.iso?t=...","DownloadType":1}]}
//      or, when Microsoft's anti-abuse check rejects it, {"Errors":[{"Key":"ErrorSettings.SentinelReject",
//      "Value":"Sentinel marked this request as rejected.","Type":9}]}; "We are unable to complete
//      your request at this time" refuses the automated request (dockur tells the two apart too).
import { architectureOf } from './architecture';
import { MediaBlockedError, MediaError, MediaRefusedError } from './errors';

/** Microsoft's public constants of the flow (the same in Fido and mido). */
export const MICROSOFT_PROFILE = '606624d44113';
export const MICROSOFT_ORG_ID = 'y6jn8c31';
/** The ov-df instance id of the download page (dockur's src/mido.sh). */
export const OV_DF_INSTANCE = '560dc9f3-1aa5-4a2f-b63c-9e18f8d0e175';
export const OV_DF_ENDPOINT = 'https://ov-df.microsoft.com';
/** DownloadType of the x64 ISO (0 is x86, 2 is arm64). */
const X64 = 1;

export type MicrosoftProduct = 'windows-11' | 'windows-10';

const origin = (endpoint: string) => endpoint.replace(/\/+$/, '');

export function downloadPageUrl(endpoint: string, product: MicrosoftProduct): string {
  return `${origin(endpoint)}/en-us/software-download/${product === 'windows-11' ? 'windows11' : 'windows10ISO'}`;
}

export function sessionPermitUrl(sessionEndpoint: string, sessionId: string): string {
  return `${origin(sessionEndpoint)}/tags?org_id=${MICROSOFT_ORG_ID}&session_id=${encodeURIComponent(sessionId)}`;
}

export function ovScriptUrl(ovEndpoint: string, sessionId: string): string {
  const query = new URLSearchParams({ instanceId: OV_DF_INSTANCE, PageId: 'si', session_id: sessionId });
  return `${origin(ovEndpoint)}/mdt.js?${query.toString()}`;
}

/** The ov-df script's token and timing value, or an error saying the script has changed. */
export function parseOvChallenge(script: string): { w: string; rticks: string } {
  const w = /[?&]w=([A-Fa-f0-9]+)/.exec(script)?.[1];
  const rticks = /rticks="\+?([0-9]+)/.exec(script)?.[1];
  if (!w || !rticks)
    throw new MediaError(
      `Microsoft's ov-df check script carries no ${w ? '' : 'w token'}${!w && !rticks ? ' and no ' : ''}${rticks ? '' : 'rticks value'} (has the check changed?)`,
      'media: microsoft ov-df',
    );
  return { w, rticks };
}

export function ovReplyUrl(
  ovEndpoint: string,
  sessionId: string,
  challenge: { w: string; rticks: string },
  nowMs: number,
): string {
  const query = new URLSearchParams({
    session_id: sessionId,
    CustomerId: OV_DF_INSTANCE,
    PageId: 'si',
    w: challenge.w,
    mdt: String(nowMs),
    rticks: challenge.rticks,
  });
  return `${origin(ovEndpoint)}/?${query.toString()}`;
}

function connectorUrl(endpoint: string, action: string, params: Record<string, string>): string {
  const query = new URLSearchParams({ profile: MICROSOFT_PROFILE, ...params });
  return `${origin(endpoint)}/software-download-connector/api/${action}?${query.toString()}`;
}

export function skuListUrl(endpoint: string, productEditionId: string, sessionId: string): string {
  return connectorUrl(endpoint, 'getskuinformationbyproductedition', {
    ProductEditionId: productEditionId,
    SKU: 'undefined',
    friendlyFileName: 'undefined',
    Locale: 'en-US',
    sessionID: sessionId,
  });
}

export function downloadLinksUrl(endpoint: string, skuId: string, sessionId: string): string {
  return connectorUrl(endpoint, 'GetProductDownloadLinksBySku', {
    ProductEditionId: 'undefined',
    SKU: skuId,
    friendlyFileName: 'undefined',
    Locale: 'en-US',
    sessionID: sessionId,
  });
}

/** The product edition id of the current release: the page's first Windows option. */
export function parseProductEditionId(html: string): string {
  const match = /<option value="(\d{1,16})">Windows/.exec(html);
  if (!match)
    throw new MediaError(
      'the download page lists no Windows product edition (has the page changed?)',
      'media: microsoft page',
    );
  return match[1]!;
}

function parseJson(text: string, step: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MediaError(`Microsoft answered with something that is not JSON: ${text.slice(0, 120)}`, step);
  }
}

/** The SKU id of a language (the list's "Language" value, e.g. "English International"). */
export function parseSkuId(text: string, language: string): string {
  const answer = parseJson(text, 'media: microsoft sku') as {
    Skus?: Array<{ Id?: unknown; Language?: unknown }>;
  };
  const skus = Array.isArray(answer.Skus) ? answer.Skus : [];
  const sku = skus.find((s) => s.Language === language);
  if (
    sku &&
    (typeof sku.Id === 'string' || typeof sku.Id === 'number') &&
    /^[A-Za-z0-9-]{1,32}$/.test(String(sku.Id))
  )
    return String(sku.Id);
  const offered = skus.map((s) => String(s.Language)).join(', ');
  throw new MediaError(
    `no download in language "${language}"${offered ? `; Microsoft offers: ${offered}` : ' (Microsoft listed none)'}`,
    'media: microsoft sku',
  );
}

/** Answers that mean "this address is blocked" rather than "the API changed". */
export function blockedAnswer(text: string): string | undefined {
  if (/Sentinel marked this request as rejected|SentinelReject/i.test(text))
    return 'Sentinel rejected the request';
  // The page's message for banned addresses and locations ("Message Code 715-123130").
  if (/715-123130/.test(text)) return 'error 715-123130';
  return undefined;
}

/** Answers that refuse the automated request without blaming the address. */
export function refusedAnswer(text: string): string | undefined {
  if (/We are unable to complete your request at this time/i.test(text))
    return '"We are unable to complete your request at this time"';
  return undefined;
}

/** The x64 ISO link; a MediaBlockedError for a block, a MediaRefusedError for another refusal. */
export function parseDownloadLink(text: string, what: string): string {
  const blocked = blockedAnswer(text);
  if (blocked) throw new MediaBlockedError(what, blocked);
  const refused = refusedAnswer(text);
  if (refused) throw new MediaRefusedError(what, refused);
  const answer = parseJson(text, 'media: microsoft link') as {
    Errors?: Array<{ Key?: unknown; Value?: unknown; Type?: unknown }>;
    ProductDownloadOptions?: Array<{ Uri?: unknown; DownloadType?: unknown }>;
  };
  const error = answer.Errors?.[0];
  if (error) {
    throw new MediaRefusedError(
      what,
      `error ${String(error.Key ?? 'without a key')}, type ${String(error.Type)}: ${String(error.Value)}`,
    );
  }
  const options = (answer.ProductDownloadOptions ?? []).filter(
    (o): o is { Uri: string; DownloadType?: unknown } => typeof o.Uri === 'string',
  );
  const x64 = options.find((o) => Number(o.DownloadType) === X64) ?? options.find((o) => /x64/i.test(o.Uri));
  if (!x64) throw new MediaError('Microsoft gave no x64 ISO link', 'media: microsoft link');
  if (architectureOf(x64.Uri) === 'arm64')
    throw new MediaError(
      `Microsoft's x64 link is an arm64 ISO (${x64.Uri.replace(/[?#].*$/, '')
        .split('/')
        .pop()}): windock's VMs are x64`,
      'media: microsoft link',
    );
  if (!/^https?:\/\//.test(x64.Uri))
    throw new MediaError(
      `Microsoft gave a link that is not http(s): ${x64.Uri.slice(0, 80)}`,
      'media: microsoft link',
    );
  return x64.Uri;
}

/** HTTP answers that are blocks or rate limits, whatever their body. */
export function blockedStatus(status: number): string | undefined {
  if (status === 429) return 'HTTP 429 Too Many Requests (rate limit)';
  return undefined;
}
