// One pooled Docker client per host per process. The same host name with the same configuration always
// gets the same client (and so, over SSH, the same single SSH connection).
import type Dockerode from 'dockerode';
import { createHostStrategy } from './create-strategy';
import type { StrategyOptions } from './create-strategy';
import { HostConfigError } from './errors';
import { hostConfigIdentity, parseHostConfig } from './host-config';
import type { HostConfig, HostConfigInput } from './host-config';
import type { HostStrategy, HostStrategyStats } from './strategy';

export interface HostPingResult {
  name: string;
  /** Round trip of one `GET /_ping`, in milliseconds. */
  ms: number;
}

interface Entry {
  identity: string;
  strategy: HostStrategy;
}

export class HostPool {
  private readonly entries = new Map<string, Entry>();
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly options: StrategyOptions = {}) {}

  /**
   * The pooled Docker client for a host. Accepts raw configuration (validated here) or a parsed one.
   * A different configuration under a known name replaces (and closes) the old client.
   */
  get(config: HostConfigInput | HostConfig): Dockerode {
    return this.strategyFor(config).docker;
  }

  /** Like get(), returning the strategy (stats, config). */
  strategyFor(config: HostConfigInput | HostConfig): HostStrategy {
    const parsed = parseHostConfig(config);
    const identity = hostConfigIdentity(parsed);
    const existing = this.entries.get(parsed.name);
    if (existing && existing.identity === identity) return existing.strategy;
    const strategy = createHostStrategy(parsed, this.options);
    this.entries.set(parsed.name, { identity, strategy });
    if (existing) this.retire(existing.strategy);
    return strategy;
  }

  /** The strategy of a host already in the pool. */
  strategy(name: string): HostStrategy {
    const e = this.entries.get(name);
    if (!e) {
      throw new HostConfigError(
        name,
        `host "${name}" is not in the pool; call get(config) with its configuration first`,
      );
    }
    return e.strategy;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  stats(name: string): HostStrategyStats {
    return this.strategy(name).stats();
  }

  async ping(name: string): Promise<HostPingResult> {
    const docker = this.strategy(name).docker;
    const t0 = process.hrtime.bigint();
    await docker.ping();
    return { name, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  }

  /** Closes one host's client, or every client when no name is given. */
  async close(name?: string): Promise<void> {
    if (name === undefined) return this.closeAll();
    const e = this.entries.get(name);
    if (!e) return;
    this.entries.delete(name);
    await e.strategy.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled([...all.map((e) => e.strategy.close()), ...this.retiring]);
  }

  private retire(strategy: HostStrategy): void {
    const p = strategy
      .close()
      .catch(() => undefined)
      .finally(() => this.retiring.delete(p));
    this.retiring.add(p);
  }
}

let shared: HostPool | undefined;

/** The process-wide pool the provider uses: one SSH connection per host per process. */
export function sharedHostPool(): HostPool {
  shared ??= new HostPool();
  return shared;
}
