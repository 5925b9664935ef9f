import { MediaBlockedError, MediaError } from './errors';
import {
  downloadLinksUrl,
  downloadPageUrl,
  parseDownloadLink,
  parseProductEditionId,
  parseSkuId,
  sessionPermitUrl,
  skuListUrl,
} from './microsoft-protocol';

// Answers in the shapes Microsoft's servers give (as recorded by Fido, mido and dockur/windows).
const PAGE = `<select id="product-edition"><option value="" selected>Select Download</option>
<option value="3113">Windows 11 (multi-edition ISO for x64 devices)</option></select>`;
const SKUS = JSON.stringify({
  Skus: [
    { Id: '18440', Language: 'Arabic', LocalizedLanguage: 'العربية', ProductDisplayName: 'Windows 11' },
    { Id: '18441', Language: 'English', LocalizedLanguage: 'English (United States)' },
    { Id: '18442', Language: 'English International', LocalizedLanguage: 'English International' },
  ],
});
const LINKS = JSON.stringify({
  ProductDownloadOptions: [
    {
      Uri: 'https://software.download.prss.microsoft.com/dbazure/Win11_24H2_English_Arm64.iso?t=a',
      DownloadType: 2,
    },
    {
      Uri: 'https://software.download.prss.microsoft.com/dbazure/Win11_24H2_English_x64.iso?t=b&e=1',
      DownloadType: 1,
    },
  ],
  DownloadExpirationDatetime: '2026-01-02T00:00:00Z',
});
const SENTINEL = JSON.stringify({
  Errors: [
    { Key: 'ErrorSettings.SentinelReject', Value: 'Sentinel marked this request as rejected.', Type: 9 },
  ],
});

describe('Microsoft download protocol', () => {
  it('builds the flow URLs against any endpoint (a replay server in tests)', () => {
    expect(downloadPageUrl('https://www.microsoft.com', 'windows-11')).toBe(
      'https://www.microsoft.com/en-us/software-download/windows11',
    );
    expect(downloadPageUrl('http://172.17.0.1:8080/', 'windows-10')).toBe(
      'http://172.17.0.1:8080/en-us/software-download/windows10ISO',
    );
    expect(sessionPermitUrl('https://vlscppe.microsoft.com', 'abc')).toBe(
      'https://vlscppe.microsoft.com/tags?org_id=y6jn8c31&session_id=abc',
    );
    const sku = new URL(skuListUrl('https://www.microsoft.com', '3113', 's-1'));
    expect(sku.pathname).toBe('/software-download-connector/api/getskuinformationbyproductedition');
    expect(Object.fromEntries(sku.searchParams)).toEqual({
      profile: '606624d44113',
      ProductEditionId: '3113',
      SKU: 'undefined',
      friendlyFileName: 'undefined',
      Locale: 'en-US',
      sessionID: 's-1',
    });
    const links = new URL(downloadLinksUrl('https://www.microsoft.com', '18441', 's-1'));
    expect(links.pathname).toBe('/software-download-connector/api/GetProductDownloadLinksBySku');
    expect(links.searchParams.get('SKU')).toBe('18441');
  });

  it('reads the product edition id from the download page', () => {
    expect(parseProductEditionId(PAGE)).toBe('3113');
    expect(() => parseProductEditionId('<html>nothing</html>')).toThrow(/no Windows product edition/);
  });

  it('finds the SKU of a language, and names the offered ones when it is missing', () => {
    expect(parseSkuId(SKUS, 'English')).toBe('18441');
    expect(parseSkuId(SKUS, 'English International')).toBe('18442');
    expect(() => parseSkuId(SKUS, 'Klingon')).toThrow(
      /no download in language "Klingon".*Arabic, English, English International/,
    );
  });

  it('picks the x64 ISO link', () => {
    expect(parseDownloadLink(LINKS, 'windows-11')).toMatch(/Win11_24H2_English_x64\.iso\?t=b/);
  });

  it('turns Sentinel rejections and "unable to complete" pages into a block naming the workarounds', () => {
    for (const answer of [
      SENTINEL,
      '<html>We are unable to complete your request at this time.</html>',
      '{"Errors":[{"Value":"x","Type":9}]}',
    ]) {
      let caught: unknown;
      try {
        parseDownloadLink(answer, 'windows-11 (English)');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MediaBlockedError);
      expect((caught as Error).message).toMatch(/Microsoft refused the download/);
      expect((caught as Error).message).toMatch(/cache.*kind: "url".*kind: "iso"/);
      expect((caught as MediaError).step).toBe('media: microsoft link');
    }
  });

  it('reports other errors and non-JSON answers as what they are', () => {
    expect(() => parseDownloadLink('{"Errors":[{"Value":"Invalid SKU","Type":1}]}', 'w')).toThrow(
      /Invalid SKU/,
    );
    expect(() => parseDownloadLink('<html>oops</html>', 'w')).toThrow(/not JSON/);
    expect(() => parseDownloadLink('{"ProductDownloadOptions":[]}', 'w')).toThrow(/no x64 ISO link/);
  });
});
