import { evaluationPageUrl, parseEvaluationLinks, pickEvaluationLink } from './evaluation-protocol';

// The Evaluation Center page's link shapes (current and older fwlink forms, HTML-escaped).
const PAGE = `
<a href="https://go.microsoft.com/fwlink/?linkid=2293312&amp;clcid=0x409&amp;culture=en-us&amp;country=us">ISO downloads 64-bit edition</a>
<a href="https://go.microsoft.com/fwlink/?linkid=2293215&amp;clcid=0x409&amp;culture=en-us&amp;country=us">VHD 64-bit edition</a>
<a href="https://go.microsoft.com/fwlink/p/?LinkID=2293312&clcid=0x407&culture=de-de&country=de">ISO (Deutsch)</a>
<a href="https://go.microsoft.com/fwlink/?linkid=2293312&amp;clcid=0x409&amp;culture=en-us&amp;country=us">again</a>`;

describe('Evaluation Center page', () => {
  it('builds the page URL', () => {
    expect(evaluationPageUrl('https://www.microsoft.com', 'windows-server-2025')).toBe(
      'https://www.microsoft.com/en-us/evalcenter/download-windows-server-2025',
    );
  });

  it("lists a culture's links in page order, once each", () => {
    expect(parseEvaluationLinks(PAGE, 'en-us')).toEqual([
      'https://go.microsoft.com/fwlink/?linkid=2293312&clcid=0x409&culture=en-us&country=us',
      'https://go.microsoft.com/fwlink/?linkid=2293215&clcid=0x409&culture=en-us&country=us',
    ]);
    expect(parseEvaluationLinks(PAGE, 'de-de')).toEqual([
      'https://go.microsoft.com/fwlink/p/?LinkID=2293312&clcid=0x407&culture=de-de&country=de',
    ]);
  });

  it('picks by index, and says what is missing', () => {
    expect(pickEvaluationLink(PAGE, 'en-us', 1, 'x')).toMatch(/linkid=2293215/);
    expect(() => pickEvaluationLink(PAGE, 'fr-fr', 0, 'windows-server-2025')).toThrow(
      /no download for culture "fr-fr"/,
    );
    expect(() => pickEvaluationLink(PAGE, 'en-us', 3, 'x')).toThrow(/has 2 links for "en-us", not 4/);
  });
});
