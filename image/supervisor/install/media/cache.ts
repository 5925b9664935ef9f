// The host's media cache: one volume shared by every VM container on a host, mounted at /cache.
// <key>.iso is only ever a complete, verified file: a download goes to <key>.partial and gets its
// real name after its SHA-256 is checked and <key>.json (what it is, its digest) is written.
// <key>.lock (created with O_EXCL) says one VM is downloading it; others wait, reading
// <key>.progress.json, which the owner rewrites every second and so doubles as its heartbeat.
// A lock whose heartbeat stopped (its container was killed) is broken and the download redone.
// Only the provider's fetch step writes here (VM containers mount the cache read-only), and it
// trusts no entry unhashed: a hit whose bytes do not hash to its digest (and to the one asked
// for) is discarded and fetched again.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MediaError } from './errors';
import { hashFile } from './hash-file';

export interface CacheEntry {
  sha256: string;
  sizeBytes: number;
  /** Where it came from, without query strings. */
  source: string;
  fetchedAt: string;
  /** The VM whose container downloaded it. */
  fetchedBy: string;
}

export interface CacheProgress {
  bytes: number;
  totalBytes?: number;
  source: string;
  /** Set while this VM waits for another VM's download of the same media. */
  waitingFor?: string;
}

/** What fills a partial file: returns its digest and size (computed while writing). */
export type Fetcher = (
  partialPath: string,
  onProgress: (progress: CacheProgress) => void,
) => Promise<{ sha256: string; sizeBytes: number; source: string }>;

interface LockOwner {
  owner: string;
  container: string;
  pid: number;
  startedAt: string;
}

export interface MediaCacheOptions {
  /** A lock whose heartbeat is older than this is broken (ms). */
  staleMs?: number;
  pollMs?: number;
}

export class MediaCache {
  private readonly staleMs: number;
  private readonly pollMs: number;

  constructor(
    readonly dir: string,
    /** This VM's name, recorded in locks and entries. */
    private readonly owner: string,
    options: MediaCacheOptions = {},
  ) {
    this.staleMs = options.staleMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
  }

  path(key: string, kind: 'iso' | 'json' | 'partial' | 'lock' | 'progress.json'): string {
    return join(this.dir, `${key}.${kind}`);
  }

  /** A complete entry, or undefined. */
  lookup(key: string): CacheEntry | undefined {
    if (!existsSync(this.path(key, 'iso')) || !existsSync(this.path(key, 'json'))) return undefined;
    try {
      return JSON.parse(readFileSync(this.path(key, 'json'), 'utf8')) as CacheEntry;
    } catch {
      return undefined;
    }
  }

  /**
   * The entry for `key`: a cache hit, another VM's download waited for, or this VM's own
   * download through `fetch`. A digest other than `sha256` (when given) fails, and leaves no entry.
   */
  async ensure(
    key: string,
    fetch: Fetcher,
    options: { sha256?: string; onProgress: (progress: CacheProgress) => void; log?: (line: string) => void },
  ): Promise<{ entry: CacheEntry; hit: boolean }> {
    let waitedFor: string | undefined;
    for (;;) {
      const found = this.lookup(key);
      if (found && (await this.intact(key, found, options.sha256)))
        return { entry: found, hit: waitedFor === undefined };
      if (await this.tryLock(key)) {
        try {
          const raced = this.lookup(key);
          if (raced && (await this.intact(key, raced, options.sha256)))
            return { entry: raced, hit: waitedFor === undefined };
          if (raced) this.discard(key, raced, options.log);
          return { entry: await this.download(key, fetch, options), hit: false };
        } finally {
          rmSync(this.path(key, 'progress.json'), { force: true });
          rmSync(this.path(key, 'lock'), { force: true });
        }
      }
      const holder = this.lockHolder(key);
      if (holder && waitedFor !== holder.owner) {
        waitedFor = holder.owner;
        options.log?.(`VM "${holder.owner}" is downloading ${key} already: waiting for it`);
      }
      const progress = this.readProgress(key);
      options.onProgress({
        bytes: progress?.bytes ?? 0,
        totalBytes: progress?.totalBytes,
        source: progress?.source ?? 'the host media cache',
        waitingFor: holder?.owner ?? 'another VM',
      });
      this.breakIfStale(key, options.log);
      await sleep(this.pollMs);
    }
  }

  /** A complete entry whose file really hashes to its digest (and to `sha256`, when given). */
  async verified(key: string, sha256?: string): Promise<CacheEntry | undefined> {
    const entry = this.lookup(key);
    return entry && (await this.intact(key, entry, sha256)) ? entry : undefined;
  }

  private async intact(key: string, entry: CacheEntry, sha256: string | undefined): Promise<boolean> {
    if (sha256 && entry.sha256 !== sha256) return false;
    return (await hashFile(this.path(key, 'iso'))) === entry.sha256;
  }

  /** Removes an entry that failed its check (called under the lock). */
  private discard(key: string, entry: CacheEntry, log?: (line: string) => void): void {
    log?.(
      `the cached ${key}.iso does not hash to its recorded ${entry.sha256.slice(0, 12)}… (or is not the media asked for): removed, fetching it again`,
    );
    rmSync(this.path(key, 'json'), { force: true });
    rmSync(this.path(key, 'iso'), { force: true });
  }

  private async download(
    key: string,
    fetch: Fetcher,
    options: { sha256?: string; onProgress: (progress: CacheProgress) => void },
  ): Promise<CacheEntry> {
    const partial = this.path(key, 'partial');
    rmSync(partial, { force: true });
    let lastBeat = 0;
    const onProgress = (progress: CacheProgress) => {
      const now = Date.now();
      if (
        now - lastBeat >= 1000 ||
        (progress.totalBytes !== undefined && progress.bytes >= progress.totalBytes)
      ) {
        lastBeat = now;
        this.writeAtomic(this.path(key, 'progress.json'), JSON.stringify(progress));
      }
      options.onProgress(progress);
    };
    try {
      const got = await fetch(partial, onProgress);
      if (options.sha256 && got.sha256 !== options.sha256)
        throw new MediaError(
          `the download of ${key} from ${got.source} has SHA-256 ${got.sha256}, not the expected ${options.sha256}: the file was removed, nothing was cached`,
          'media: verify',
        );
      const entry: CacheEntry = {
        sha256: got.sha256,
        sizeBytes: got.sizeBytes,
        source: got.source,
        fetchedAt: new Date().toISOString(),
        fetchedBy: this.owner,
      };
      this.writeAtomic(this.path(key, 'json'), JSON.stringify(entry, null, 2) + '\n');
      renameSync(partial, this.path(key, 'iso'));
      return entry;
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
  }

  private writeAtomic(path: string, content: string): void {
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  }

  private async tryLock(key: string): Promise<boolean> {
    try {
      const handle = await open(this.path(key, 'lock'), 'wx', 0o644);
      const owner: LockOwner = {
        owner: this.owner,
        container: hostname(),
        pid: process.pid,
        startedAt: new Date().toISOString(),
      };
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new MediaError(
        `cannot write to the media cache ${this.dir}: ${(error as Error).message}`,
        'media: cache',
      );
    }
  }

  private lockHolder(key: string): LockOwner | undefined {
    try {
      return JSON.parse(readFileSync(this.path(key, 'lock'), 'utf8')) as LockOwner;
    } catch {
      return undefined;
    }
  }

  private readProgress(key: string): CacheProgress | undefined {
    try {
      return JSON.parse(readFileSync(this.path(key, 'progress.json'), 'utf8')) as CacheProgress;
    } catch {
      return undefined;
    }
  }

  /** The newest sign of life of the lock's owner (ms since the epoch), or undefined without a lock. */
  private heartbeat(key: string): number | undefined {
    const times: number[] = [];
    for (const kind of ['lock', 'progress.json'] as const) {
      try {
        times.push(statSync(this.path(key, kind)).mtimeMs);
      } catch {
        // not there
      }
    }
    return times.length > 0 ? Math.max(...times) : undefined;
  }

  private breakIfStale(key: string, log?: (line: string) => void): void {
    const beat = this.heartbeat(key);
    if (beat === undefined || Date.now() - beat < this.staleMs) return;
    const holder = this.lockHolder(key);
    // Renamed first, so two waiters never both remove a lock one of them just took.
    const aside = `${this.path(key, 'lock')}.stale-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(this.path(key, 'lock'), aside);
      rmSync(aside, { force: true });
      log?.(
        `the download of ${key} by VM "${holder?.owner ?? 'unknown'}" stopped (no progress for ${Math.round(this.staleMs / 1000)} s): taking it over`,
      );
    } catch {
      // Someone else broke or released it meanwhile.
    }
  }
}
