import { MediaBlockedError, MediaError, MediaRefusedError } from './errors';
import {
  downloadLinksUrl,
  downloadPageUrl,
  ovReplyUrl,
  ovScriptUrl,
  parseDownloadLink,
  parseOvChallenge,
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

  it('picks the x64 ISO link, and refuses an arm64 file given as x64', () => {
    expect(parseDownloadLink(LINKS, 'windows-11')).toMatch(/Win11_24H2_English_x64\.iso\?t=b/);
    const mislabelled = JSON.stringify({
      ProductDownloadOptions: [
        { Uri: 'https://x.microsoft.com/Win11_24H2_English_Arm64.iso?t=a', DownloadType: 1 },
      ],
    });
    expect(() => parseDownloadLink(mislabelled, 'w')).toThrow(
      /x64 link is an arm64 ISO \(Win11_24H2_English_Arm64\.iso\)/,
    );
  });
});

describe('Microsoft download protocol: the challenge and refusals', () => {
  it('reads the ov-df challenge (token and timing value) and builds its reply, as dockur does', () => {
    expect(ovScriptUrl('https://ov-df.microsoft.com', 's-1')).toBe(
      'https://ov-df.microsoft.com/mdt.js?instanceId=560dc9f3-1aa5-4a2f-b63c-9e18f8d0e175&PageId=si&session_id=s-1',
    );
    const script =
      'var a="https://ov-df.microsoft.com/?session_id=s-1&w=8A1F03C2B7&x=1";var t={rticks="+638700000000000000"};';
    expect(parseOvChallenge(script)).toEqual({ w: '8A1F03C2B7', rticks: '638700000000000000' });
    expect(() => parseOvChallenge('var a=1;')).toThrow(/no w token and no rticks value/);
    const reply = new URL(
      ovReplyUrl('https://ov-df.microsoft.com', 's-1', { w: 'AB', rticks: '12' }, 1700000000123),
    );
    expect(Object.fromEntries(reply.searchParams)).toEqual({
      session_id: 's-1',
      CustomerId: '560dc9f3-1aa5-4a2f-b63c-9e18f8d0e175',
      PageId: 'si',
      w: 'AB',
      mdt: '1700000000123',
      rticks: '12',
    });
  });

  it('reports a refusal that does not blame the address as what it is, not as a block', () => {
    for (const answer of [
      '<html>We are unable to complete your request at this time.</html>',
      '{"Errors":[{"Key":"ErrorSettings.Other","Value":"x","Type":9}]}',
    ]) {
      let caught: unknown;
      try {
        parseDownloadLink(answer, 'windows-11 (English)');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MediaRefusedError);
      expect(caught).not.toBeInstanceOf(MediaBlockedError);
      expect((caught as Error).message).toMatch(/refused the automated download .*not an address block/);
      expect((caught as Error).message).toMatch(/cache.*kind: "url".*kind: "iso"/);
    }
  });

  it('turns Sentinel rejections and the 715-123130 ban into a block naming the workarounds', () => {
    for (const answer of [SENTINEL, '<html>Message Code: 715-123130</html>']) {
      let caught: unknown;
      try {
        parseDownloadLink(answer, 'windows-11 (English)');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MediaBlockedError);
      expect((caught as Error).message).toMatch(/Microsoft blocked this address or rate-limited it/);
      expect((caught as Error).message).toMatch(/cache.*kind: "url".*kind: "iso"/);
      expect((caught as MediaError).step).toBe('media: microsoft link');
    }
  });

  it('reports other errors and non-JSON answers as what they are', () => {
    expect(() => parseDownloadLink('{"Errors":[{"Value":"Invalid SKU","Type":1}]}', 'w')).toThrow(
      /type 1: Invalid SKU/,
    );
    expect(() => parseDownloadLink('<html>oops</html>', 'w')).toThrow(/not JSON/);
    expect(() => parseDownloadLink('{"ProductDownloadOptions":[]}', 'w')).toThrow(/no x64 ISO link/);
  });
});
