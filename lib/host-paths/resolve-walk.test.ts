import { resolveBelowRoot, type WalkFs } from './resolve-walk';

/** A host tree in memory: folders, files and symbolic links (the real one is tested in tests/security). */
function tree(entries: Record<string, 'dir' | 'file' | { link: string }>): WalkFs {
  return {
    lstat(path) {
      const key = path.replace(/^\/host/, '') || '/';
      const entry = key === '/' ? 'dir' : entries[key];
      if (!entry) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return { isSymbolicLink: () => typeof entry === 'object', isDirectory: () => entry === 'dir' };
    },
    readlink(path) {
      return (entries[path.replace(/^\/host/, '')] as { link: string }).link;
    },
  };
}

const host = tree({
  '/srv': 'dir',
  '/srv/data': 'dir',
  '/srv/data/file': 'file',
  '/srv/etc-link': { link: '/etc' },
  '/srv/rel': { link: '../etc' },
  '/srv/chain': { link: 'etc-link' },
  '/srv/loop': { link: 'loop' },
  '/srv/deep': { link: 'data/../../etc' },
  '/etc': 'dir',
  '/etc/ssh': 'dir',
});

describe('resolveBelowRoot', () => {
  it.each([
    ['/srv/data', '/srv/data'],
    ['/srv//data/', '/srv/data'],
    ['/srv/etc-link', '/etc'],
    ['/srv/etc-link/ssh', '/etc/ssh'],
    ['/srv/rel', '/etc'],
    ['/srv/chain/ssh', '/etc/ssh'],
    ['/srv/deep', '/etc'],
    ['/srv/data/../etc-link', '/etc'],
    ['/srv/etc-link/..', '/'], // ".." of a link is the parent of its target, as the kernel does
    ['/../../srv/data', '/srv/data'], // never above the host's root
  ])('resolves %s to %s on the host', (path, resolved) => {
    expect(resolveBelowRoot('/host', path, host)).toEqual({ ok: true, path: resolved });
  });

  it('says what is missing, what is a file, and a loop', () => {
    expect(resolveBelowRoot('/host', '/srv/nope/x', host)).toEqual({
      ok: false,
      error: 'missing',
      path: '/srv/nope/x',
    });
    expect(resolveBelowRoot('/host', '/srv/data/file/x', host)).toMatchObject({
      ok: false,
      error: 'not-a-directory',
    });
    expect(resolveBelowRoot('/host', '/srv/loop', host)).toMatchObject({ ok: false, error: 'loop' });
  });
});
