import { DEFAULT_ALLOWED_HOST_PATHS } from './allowed-host-paths';
import { judgeHostPath } from './host-path-policy';
import type { ResolvedHostPath } from '../../lib/host-paths/resolved-host-path';

const host = { name: 'gpu-1', allow: DEFAULT_ALLOWED_HOST_PATHS };
const share = {
  field: 'shares.0.hostPath',
  what: 'share "Data": ',
  path: '/srv/x',
  want: 'directory' as const,
};
type Found = Extract<ResolvedHostPath, { ok: true }>;
const dir = (path: string, extra: Partial<Found> = {}): Found => ({
  requested: '/srv/x',
  ok: true,
  path,
  type: 'directory',
  dev: '1',
  ino: '2',
  ...extra,
});

describe('judgeHostPath', () => {
  it('allows an allowed folder', () => {
    expect(judgeHostPath(share, dir('/srv/x'), host)).toBeUndefined();
  });

  it('refuses a link to /etc by its resolved path, naming field, host and where it led', () => {
    expect(judgeHostPath(share, dir('/etc'), host)).toBe(
      'shares.0.hostPath: share "Data": /srv/x (on host "gpu-1" it resolves to /etc): "/etc" is the host\'s system location /etc: share a folder of your own (for example under /srv or /var/lib/windock)',
    );
  });

  it('refuses a bind mount of a system folder', () => {
    expect(judgeHostPath(share, dir('/srv/x', { mountSource: '/var/lib/docker/volumes' }), host)).toMatch(
      /^shares\.0\.hostPath: share "Data": \/srv\/x \(a bind mount of \/var\/lib\/docker\/volumes on host "gpu-1"\): .*system location \/var\/lib\/docker/,
    );
  });

  it('refuses a folder outside the allow list with the fix: allowedHostPaths in windock:hosts', () => {
    expect(judgeHostPath({ ...share, path: '/opt/x' }, dir('/opt/x'), host)).toMatch(
      /^shares\.0\.hostPath: share "Data": \/opt\/x is outside the folders host "gpu-1" lets VMs use \(\/srv, .*\): add it or a parent to allowedHostPaths of host "gpu-1" in windock:hosts, or move it under one of them$/,
    );
  });

  it('refuses a missing path and the wrong type', () => {
    expect(
      judgeHostPath(share, { requested: '/srv/x', ok: false, error: 'missing', path: '/srv/x' }, host),
    ).toMatch(/does not exist on host "gpu-1".*create the folder/);
    expect(judgeHostPath(share, dir('/srv/x', { type: 'file' }), host)).toMatch(/is not a folder/);
  });
});
