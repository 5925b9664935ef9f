import { installSpec } from '../spec';
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
        },
        cacheKey: 'windows-11-en-gb',
      },
      // The provider's fetch step fills the cache; the VM's container only reads it.
      fetchedBy: 'provider',
    });
    expect(r.warnings).toEqual([]);
  });

  it('auto: Server 2022 en-us is the pinned ISO with its checksum; an evaluation warns with its expiry', () => {
    const r = resolveInstallMedia(windows({ version: 'server-2022', edition: 'datacenter' }));
    expect(r.install.windows).toEqual({ version: 'server-2022', edition: 'datacenter', evaluationDays: 180 });
    expect(r.install.media).toMatchObject({
      source: { kind: 'url', sizeBytes: 5044094976 },
      sha256: '3e4fa6d8507b554856fc9ca6079cc402df11a8b79344871669f0251535255325',
      cacheKey: 'windows-server-2022-eval-en-us-3e4fa6d8',
    });
    expect(r.warnings[0]).toMatch(/evaluation edition: it expires 180 days after/);
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
    expect(r.install.media.source).toMatchObject({
      kind: 'evaluation',
      product: 'windows-11-enterprise',
      linkIndex: 1,
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
