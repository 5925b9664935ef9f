/** What the walk needs of a file system: lstat and readlink of paths below the host's root. */
export interface WalkFs {
  lstat(path: string): { isSymbolicLink(): boolean; isDirectory(): boolean };
  readlink(path: string): string;
}

export type WalkResult =
  { ok: true; path: string } | { ok: false; error: 'missing' | 'not-a-directory' | 'loop'; path: string };

/** Linux gives up after 40 links in one lookup (ELOOP); so does the walk. */
const MAX_LINKS = 40;

const components = (path: string) => path.split('/').filter((part) => part !== '' && part !== '.');

/**
 * Resolves `path` as the host's kernel would, one component at a time, on a tree mounted at
 * `root` (the host's "/" bound into a helper container): a symbolic link's target replaces it
 * (an absolute target starts again from the host's root, never from the helper's), ".." is
 * the parent of what was resolved so far. Never follows a link out of `root`. Pure given `fs`.
 */
export function resolveBelowRoot(root: string, path: string, fs: WalkFs): WalkResult {
  let done: string[] = [];
  let todo = components(path);
  let links = 0;
  const onHost = (parts: string[]) => '/' + parts.join('/');
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = [...done, part];
    let stat: ReturnType<WalkFs['lstat']>;
    try {
      stat = fs.lstat(root + onHost(candidate));
    } catch {
      return { ok: false, error: 'missing', path: onHost([...candidate, ...todo]) };
    }
    if (stat.isSymbolicLink()) {
      if (++links > MAX_LINKS) return { ok: false, error: 'loop', path: onHost(candidate) };
      const target = fs.readlink(root + onHost(candidate));
      if (target.startsWith('/')) done = [];
      todo = [...components(target), ...todo];
      continue;
    }
    if (todo.length > 0 && !stat.isDirectory())
      return { ok: false, error: 'not-a-directory', path: onHost(candidate) };
    done = candidate;
  }
  return { ok: true, path: onHost(done) };
}
