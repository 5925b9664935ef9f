import { installSpec } from '../../contract';
import { mediaInput } from '../resources/windows-vm/media-input';
import { CATALOGUE } from './catalogue';
import { mediaRequirementIssues } from './requirements';
import { resolveInstallMedia, MEDIA_CACHE_VOLUME } from './resolve';

const windows = (extra: Record<string, unknown>) => {
  const parsed = mediaInput.parse({ kind: 'windows', ...extra });
  if (parsed.kind !== 'windows') throw new Error('unreachable');
  return parsed;
};

describe('media catalogue', () => {
  it('has each version once, and only lowercase SHA-256 pins over https from Microsoft', () => {
    expect(new Set(CATALOGUE.map((e) => e.version)).size).toBe(CATALOGUE.length);
    for (const entry of CATALOGUE) {
      const pins = [entry.media, ...Object.values(entry.editionMedia ?? {})].flatMap((m) =>
        m?.pinned ? [m.pinned] : [],
      );
      for (const pin of pins) {
        expect(pin.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(new URL(pin.url).hostname).toMatch(/(^|\.)microsoft\.com$/);
      }
    }
  });
});

describe('resolveInstallMedia', () => {
  it("auto: Windows 11 Pro comes from Microsoft's download, in the language's SKU name", () => {
    const r = resolveInstallMedia(windows({ version: '11', language: 'en-gb' }));
    expect(installSpec.omit({ unattend: true }).parse(r.install)).toEqual(r.install);
    expect(r.install).toEqual({
      windows: { version: '11', edition: 'pro' },
      media: {
        source: {
          kind: 'microsoft',
          product: 'windows-11',
          language: 'English International',
          endpoint: 'https://www.microsoft.com',
          sessionEndpoint: 'https://vlscppe.microsoft.com',
          ovEndpoint: 'https://ov-df.microsoft.com',
        },
        cacheKey: 'windows-11-en-gb',
      },
      // The provider's fetch step fills the cache; the VM's container only reads it.
      fetchedBy: 'provider',
    });
    expect(r.warnings).toEqual([]);
  });

  it('auto: Server 2022 en-us is the pinned ISO with its checksum, the Evaluation Center behind it; an evaluation warns with its expiry', () => {
    const r = resolveInstallMedia(windows({ version: 'server-2022', edition: 'datacenter' }));
    expect(r.install.windows).toEqual({ version: 'server-2022', edition: 'datacenter', evaluationDays: 180 });
    expect(installSpec.omit({ unattend: true }).parse(r.install)).toEqual(r.install);
    expect(r.install.media).toEqual({
      source: {
        kind: 'url',
        url: expect.stringMatching(/SERVER_EVAL_x64FRE_en-us\.iso$/),
        sizeBytes: 5044094976,
        sha256: '3e4fa6d8507b554856fc9ca6079cc402df11a8b79344871669f0251535255325',
      },
      cacheKey: 'windows-server-2022-eval-en-us-3e4fa6d8',
      // A pin that answers 404 falls back to the live route (the fetch records what it got).
      fallbacks: [
        {
          kind: 'evaluation',
          product: 'windows-server-2022',
          language: 'en-us',
          linkIndex: 0,
          endpoint: 'https://www.microsoft.com',
        },
      ],
    });
    expect(r.warnings[0]).toMatch(/evaluation edition: it expires 180 days after/);
  });

  it('source "catalogue" is the pin alone, checked against its digest', () => {
    const r = resolveInstallMedia(windows({ version: 'server-2022', source: 'catalogue' }));
    expect(r.install.media).toEqual({
      source: { kind: 'url', url: expect.any(String), sizeBytes: 5044094976 },
      cacheKey: 'windows-server-2022-eval-en-us-3e4fa6d8',
      sha256: '3e4fa6d8507b554856fc9ca6079cc402df11a8b79344871669f0251535255325',
    });
  });

  it("stale pins are updated from dockur's define.sh (Server 2025; Windows 11 IoT LTSC's path)", () => {
    const server = resolveInstallMedia(windows({ version: 'server-2025' })).install.media;
    expect(server.source).toMatchObject({
      url: 'https://software-static.download.prss.microsoft.com/dbazure/998969d5-f34g-4e03-ac9d-1f9786c66749/26100.32230.260111-0550.lt_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso',
      sha256: '7b052573ba7894c9924e3e87ba732ccd354d18cb75a883efa9b900ea125bfd51',
      sizeBytes: 8152356864,
    });
    const iot = resolveInstallMedia(windows({ version: '11-ltsc' })).install.media;
    expect(iot.source).toMatchObject({
      url: expect.stringContaining('/dbazure/998969d5-f34g-4e03-ac9d-1f9786c66749/26100.1742.240906-0331'),
    });
  });

  it('Windows 10 Enterprise comes from the pinned evaluation ISO dockur uses (the Evaluation Center no longer serves it)', () => {
    const r = resolveInstallMedia(windows({ version: '10', edition: 'enterprise' }));
    expect(r.install.media).toEqual({
      source: {
        kind: 'url',
        url: expect.stringMatching(
          /19045\.2006\.220908-0225\.22h2_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us\.iso$/,
        ),
        sizeBytes: 5550497792,
      },
      cacheKey: 'windows-10-enterprise-eval-en-us-ef731273',
      sha256: 'ef7312733a9f5d7d51cfa04ac497671995674ca5e1058d5164d6028f0938d668',
    });
    expect(() =>
      resolveInstallMedia(windows({ version: '10', edition: 'enterprise', language: 'de-de' })),
    ).toThrow(
      /media.language: Windows 10 enterprise is only available in en-us .*use language "en-us", or media \{ kind: "url" \}/,
    );
    expect(() =>
      resolveInstallMedia(windows({ version: '10', edition: 'enterprise', source: 'evaluation' })),
    ).toThrow(/not on the Evaluation Center: use source "catalogue"/);
  });

  it('a mirror or replay of the session side answers the ov-df check too', () => {
    const r = resolveInstallMedia(
      windows({
        version: '11',
        endpoints: { microsoft: 'http://10.0.0.1:1', microsoftSession: 'http://10.0.0.1:2' },
      }),
    );
    expect(r.install.media.source).toMatchObject({
      sessionEndpoint: 'http://10.0.0.1:2',
      ovEndpoint: 'http://10.0.0.1:2',
    });
  });

  it('auto: a language the pin lacks goes to the Evaluation Center; endpoints are overridable', () => {
    const r = resolveInstallMedia(
      windows({
        version: 'server-2025',
        language: 'de-de',
        endpoints: { evaluation: 'http://172.17.0.1:9000' },
      }),
    );
    expect(r.install.media).toEqual({
      source: {
        kind: 'evaluation',
        product: 'windows-server-2025',
        language: 'de-de',
        linkIndex: 0,
        endpoint: 'http://172.17.0.1:9000',
      },
      cacheKey: 'windows-server-2025-eval-de-de',
    });
  });

  it('Windows 11 Enterprise is the evaluation (90 days)', () => {
    const r = resolveInstallMedia(windows({ version: '11', edition: 'enterprise' }));
    // Link 2 of the page is the arm64 ISO now (dockur: x64 is link 1).
    expect(r.install.media.source).toMatchObject({
      kind: 'evaluation',
      product: 'windows-11-enterprise',
      linkIndex: 0,
    });
    expect(r.install.windows.evaluationDays).toBe(90);
  });

  it('an ISO on the host is mounted read-only at one path; a URL is cached under a digest of it', () => {
    const iso = resolveInstallMedia(
      mediaInput.parse({ kind: 'iso', hostPath: '/srv/isos//win.iso', version: '10' }) as never,
    );
    expect(iso.hostFile).toBe('/srv/isos/win.iso');
    expect(iso.install.media.source).toEqual({ kind: 'host-file', path: '/media/host/install.iso' });
    const url = resolveInstallMedia(
      mediaInput.parse({
        kind: 'url',
        url: 'https://mirror.example/w.iso?sig=x',
        version: '10',
        sha256: 'A'.repeat(64),
      }) as never,
    );
    expect(url.install.media).toMatchObject({ sha256: 'a'.repeat(64), source: { kind: 'url' } });
    expect(url.install.media.cacheKey).toMatch(/^windows-10-url-[0-9a-f]{12}$/);
    expect(MEDIA_CACHE_VOLUME).toBe('windock-media-cache');
  });
});

describe('mediaRequirementIssues (preview)', () => {
  const vm = (media: unknown, memory = 4096, systemDiskSize = 65536) => ({
    media: mediaInput.parse(media),
    memory,
    systemDiskSize,
  });

  it('passes the defaults for every version', () => {
    for (const entry of CATALOGUE)
      expect(mediaRequirementIssues(vm({ kind: 'windows', version: entry.version }))).toEqual([]);
  });

  it('names memory and systemDiskSize below the version minimum, with the fix', () => {
    const issues = mediaRequirementIssues(vm({ kind: 'windows', version: '11' }, 2048, 32768));
    expect(issues).toEqual([
      {
        path: ['memory'],
        message: expect.stringMatching(/Windows 11 needs at least 4GiB of RAM, 2GiB asked: raise memory/),
      },
      {
        path: ['systemDiskSize'],
        message: expect.stringMatching(
          /at least 61036 MiB \(64 GB\), 32768 MiB asked: raise systemDiskSize to "60GiB"/,
        ),
      },
    ]);
  });

  it('refuses unknown editions, impossible sources and system host paths', () => {
    expect(mediaRequirementIssues(vm({ kind: 'windows', version: '11', edition: 'ultimate' }))[0]).toEqual({
      path: ['media', 'edition'],
      message: expect.stringMatching(/"ultimate" is not an edition of Windows 11: use one of pro, home/),
    });
    expect(
      mediaRequirementIssues(vm({ kind: 'windows', version: 'server-2019', source: 'microsoft' }))[0]
        ?.message,
    ).toMatch(/not on Microsoft's consumer download: use source "evaluation" or "catalogue"/);
    expect(
      mediaRequirementIssues(vm({ kind: 'windows', version: '11', source: 'catalogue' }))[0]?.message,
    ).toMatch(/pins no ISO for Windows 11 pro/);
    expect(
      mediaRequirementIssues(vm({ kind: 'iso', hostPath: '/etc/shadow', version: '10' }))[0],
    ).toMatchObject({
      path: ['media', 'hostPath'],
    });
  });
});
