import {
  architectureOf,
  evaluationPageUrl,
  linksByParameters,
  parseFwlinks,
  pickByIndex,
  refuseArm64,
  targetIsCulture,
} from './evaluation-protocol';

// The Evaluation Center page's link shapes (current and older fwlink forms, HTML-escaped).
const OLD_PAGE = `
<a href="https://go.microsoft.com/fwlink/?linkid=2293312&amp;clcid=0x409&amp;culture=en-us&amp;country=us">ISO downloads 64-bit edition</a>
<a href="https://go.microsoft.com/fwlink/?linkid=2293215&amp;clcid=0x409&amp;culture=en-us&amp;country=us">VHD 64-bit edition</a>
<a href="https://go.microsoft.com/fwlink/p/?LinkID=2293312&clcid=0x407&culture=de-de&country=de">ISO (Deutsch)</a>
<a href="https://go.microsoft.com/fwlink/?linkid=2293312&amp;clcid=0x409&amp;culture=en-us&amp;country=us">again</a>`;
// Current pages: every language's link carries en-us (dockur's src/mido.sh works around it).
const CURRENT_PAGE = `
<a href="https://go.microsoft.com/fwlink/?linkid=2334167&amp;clcid=0x409&amp;culture=en-us&amp;country=us">English 64-bit</a>
<a href="https://go.microsoft.com/fwlink/?linkid=2334240&amp;clcid=0x409&amp;culture=en-us&amp;country=us">German 64-bit</a>`;

describe('Evaluation Center page', () => {
  it('builds the page URL', () => {
    expect(evaluationPageUrl('https://www.microsoft.com', 'windows-server-2025')).toBe(
      'https://www.microsoft.com/en-us/evalcenter/download-windows-server-2025',
    );
  });

  it("lists a culture's links by their parameters where the parameters differ", () => {
    const links = parseFwlinks(OLD_PAGE);
    expect(links).toHaveLength(3);
    expect(linksByParameters(links, 'en-us')).toEqual([
      'https://go.microsoft.com/fwlink/?linkid=2293312&clcid=0x409&culture=en-us&country=us',
      'https://go.microsoft.com/fwlink/?linkid=2293215&clcid=0x409&culture=en-us&country=us',
    ]);
    expect(linksByParameters(links, 'de-de')).toEqual([
      'https://go.microsoft.com/fwlink/p/?LinkID=2293312&clcid=0x407&culture=de-de&country=de',
    ]);
  });

  it('does not trust parameters that are en-us on every link: the redirect target says the language', () => {
    expect(linksByParameters(parseFwlinks(CURRENT_PAGE), 'de-de')).toBeUndefined();
    expect(linksByParameters(parseFwlinks(CURRENT_PAGE), 'en-us')).toBeUndefined();
    const de =
      'https://software-static.download.prss.microsoft.com/dbazure/x/26100.1742_SERVER_EVAL_x64FRE_de-de.iso';
    expect(targetIsCulture(de, 'de-de')).toBe(true);
    expect(targetIsCulture(de, 'en-us')).toBe(false);
    expect(targetIsCulture('https://x/ja-jp/a.iso?culture=en-us', 'en-us')).toBe(false);
    expect(targetIsCulture('https://x/JP-JP_x64.iso', 'ja-jp')).toBe(true);
  });

  it('reads the architecture from the ISO URL and refuses arm64 before downloading', () => {
    const arm =
      'https://software-static.download.prss.microsoft.com/dbazure/x/26100.1742_CLIENTENTERPRISEEVAL_OEMRET_A64FRE_en-us.iso';
    expect(architectureOf(arm)).toBe('arm64');
    expect(architectureOf('https://x/Win11_24H2_English_Arm64.iso')).toBe('arm64');
    expect(architectureOf('https://x/SERVER_EVAL_x64FRE_en-us.iso')).toBe('x64');
    expect(() => refuseArm64(arm, 'windows-11-enterprise', 1)).toThrow(
      /link 2 of the Evaluation Center page of windows-11-enterprise is an arm64 ISO \(.*A64FRE_en-us\.iso\): windock's VMs are x64/,
    );
    expect(() => refuseArm64('https://x/SERVER_EVAL_x64FRE_en-us.iso', 'p', 0)).not.toThrow();
  });

  it('picks by index, and says what is missing', () => {
    const links = linksByParameters(parseFwlinks(OLD_PAGE), 'en-us')!;
    expect(pickByIndex(links, 1, 'en-us', 'x')).toMatch(/linkid=2293215/);
    expect(() => pickByIndex([], 0, 'fr-fr', 'windows-server-2025')).toThrow(
      /no download in culture "fr-fr"/,
    );
    expect(() => pickByIndex(links, 3, 'en-us', 'x')).toThrow(/has 2 links for "en-us", not 4/);
  });
});
