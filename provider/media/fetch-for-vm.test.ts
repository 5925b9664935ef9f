import { sampleSpec } from '../../contract/sample-spec';
import type { InstallSpec } from '../../contract';
import { mediaDigests, withMediaDigests } from './fetch-for-vm';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const install: InstallSpec = {
  windows: { version: '11', edition: 'pro' },
  media: { source: { kind: 'url', url: 'https://example.test/w.iso' }, cacheKey: 'w' },
  drivers: { source: { kind: 'host-file', path: '/media/host/drivers.iso' }, cacheKey: 'd' },
  fetchedBy: 'provider',
};

describe('recorded media digests', () => {
  it('fill the cached media that have none; a host file and a pin stay as they are', () => {
    const spec = withMediaDigests(sampleSpec({ install }), { w: A, d: B });
    expect(spec.install?.media.sha256).toBe(A);
    expect(spec.install?.drivers?.sha256).toBeUndefined();
    const pinned = sampleSpec({ install: { ...install, media: { ...install.media, sha256: B } } });
    expect(withMediaDigests(pinned, { w: A }).install?.media.sha256).toBe(B);
  });

  it('are what the state keeps: cached media only', () => {
    expect(mediaDigests(withMediaDigests(sampleSpec({ install }), { w: A }))).toEqual({ w: A });
    expect(mediaDigests(sampleSpec())).toEqual({});
  });
});
