// ONE ssh2 Client per host: connected lazily on first use, re-connected on the next use after it drops.
// Every client and channel has an 'error' listener, so a broken host cannot crash the process.
import { existsSync } from 'node:fs';
import { Client, utils as sshUtils } from 'ssh2';
import type { AnyAuthMethod, ClientChannel, ConnectConfig, NextAuthHandler } from 'ssh2';
import { HostAuthError, HostConfigError, HostError, HostUnreachableError, errorMessage } from './errors';
import { sha256Fingerprint } from './fingerprint';
import type { SshHostConfig } from './host-config';
import { algorithmsFor, createHostKeyPolicy, familyOfKeyType } from './host-key-policy';
import type { HostKeyPolicy, HostKeyVerdict, PresentedKey } from './host-key-policy';
import { expandHome, readConfigFile } from './read-material';
import { emptyStats } from './strategy';
import type { HostStrategyStats } from './strategy';

export interface SshConnectionOptions {
  /** TCP connect + SSH handshake + authentication limit (ms). Default 15000. */
  connectTimeoutMs?: number;
  /** SSH keepalive interval (ms); a dead peer is noticed after interval * countMax. Default 10000. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Diagnostics sink (connects, drops); default: none. */
  log?: (message: string) => void;
}

type SshError = Error & { level?: string; code?: string };

/** Tracks one open channel so a dropped connection can fail it with a typed error. */
export interface TrackedChannel {
  connectionLost(err: HostError): void;
}

export class SshConnection {
  readonly counters: HostStrategyStats = emptyStats();
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private closed = false;
  private readonly policy: HostKeyPolicy;
  private readonly tracked = new Set<TrackedChannel>();
  /** Host key families that worked last time: reconnects ask for those first. */
  private preferredFamilies: string[] | undefined;

  constructor(
    readonly config: SshHostConfig,
    private readonly options: SshConnectionOptions = {},
  ) {
    this.policy = createHostKeyPolicy(config);
  }

  get label(): string {
    const c = this.config;
    return `host "${c.name}" (ssh ${c.user}@${c.host}:${c.port})`;
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Opens an exec channel running `command`, connecting first if needed. */
  async exec(command: string, track?: TrackedChannel): Promise<ClientChannel> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.ready();
      try {
        const channel = await this.openExec(client, command);
        this.counters.channelsOpened++;
        this.counters.channelsOpen++;
        channel.on('error', () => undefined); // surfaced by the socket wrapping it
        channel.stderr.on('error', () => undefined);
        if (track) this.tracked.add(track);
        channel.once('close', () => {
          this.counters.channelsOpen--;
          if (track) this.tracked.delete(track);
        });
        return channel;
      } catch (err) {
        // The connection died between our last use and this channel request: nothing was sent on it
        // yet, so one retry on a fresh connection is safe.
        if (attempt === 0 && this.client !== client && !this.closed) continue;
        throw err;
      }
    }
  }

  /**
   * Opens a direct-tcpip channel to `host:port` as the SSH server sees them (its loopback included),
   * on this same connection. sshd refuses it under `AllowTcpForwarding no`.
   */
  async forward(host: string, port: number): Promise<ClientChannel> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.ready();
      try {
        const channel = await new Promise<ClientChannel>((resolve, reject) => {
          try {
            client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => (err ? reject(err) : resolve(ch)));
          } catch (err) {
            reject(err as Error);
          }
        });
        this.counters.channelsOpened++;
        this.counters.channelsOpen++;
        channel.on('error', () => undefined); // surfaced by the socket it is piped to
        channel.once('close', () => this.counters.channelsOpen--);
        return channel;
      } catch (err) {
        if (attempt === 0 && this.client !== client && !this.closed) continue; // as in exec()
        throw new HostUnreachableError(
          this.config.name,
          // RFC 4254 5.1: reason 1 is SSH_OPEN_ADMINISTRATIVELY_PROHIBITED (forwarding not allowed).
          (err as { reason?: number }).reason === 1
            ? `${this.label} refused to forward a port to ${host}:${port} (${errorMessage(err)}); ` +
                "allow it for this user in the host's sshd_config: AllowTcpForwarding local (or yes)"
            : `${this.label}: cannot forward to ${host}:${port}: ${errorMessage(err)}`,
          { cause: err },
        );
      }
    }
  }

  private openExec(client: Client, command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      const fail = (err: unknown) => {
        const msg = errorMessage(err);
        reject(
          new HostUnreachableError(
            this.config.name,
            /open failed|administratively prohibited/i.test(msg)
              ? `${this.label} refused a new SSH channel (${msg}); sshd allows MaxSessions (default 10) ` +
                  'channels per connection: raise MaxSessions in sshd_config or keep fewer exec streams open'
              : `${this.label}: cannot open an SSH channel: ${msg}`,
            { cause: err },
          ),
        );
      };
      try {
        client.exec(command, (err, channel) => (err ? fail(err) : resolve(channel)));
      } catch (err) {
        fail(err);
      }
    });
  }

  /** The ready client, connecting if there is none. Concurrent callers share one attempt. */
  ready(): Promise<Client> {
    if (this.closed) {
      return Promise.reject(
        new HostUnreachableError(this.config.name, `${this.label}: connection pool closed`),
      );
    }
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    const auth = this.authMethod(); // config problems surface before any network traffic
    const { families: allowed } = this.policy.prepare();
    let families = this.preferredFamilies?.filter((f) => allowed.includes(f)) ?? [];
    families = [...families, ...allowed.filter((f) => !families.includes(f))];
    const presented: PresentedKey[] = [];
    let last: HostKeyVerdict | undefined;
    while (families.length > 0) {
      const r = await this.attempt(families, auth);
      if (r.kind === 'ready') {
        const fam = familyOfKeyType(r.presented.keyType);
        if (fam) this.preferredFamilies = [fam];
        this.adopt(r.client);
        return r.client;
      }
      if (r.kind === 'no-common-algorithm') break;
      presented.push(r.verdict.presented);
      last = r.verdict;
      if (!r.verdict.tryOtherTypes) break;
      const fam = familyOfKeyType(r.verdict.presented.keyType);
      families = families.filter((f) => f !== fam);
      if (!fam) break;
    }
    if (!last) {
      throw new HostUnreachableError(
        this.config.name,
        `${this.label}: the SSH server offers no host key type this policy can check`,
      );
    }
    throw this.policy.refusal(presented, last);
  }

  private adopt(client: Client): void {
    // Small request/response packets: without TCP_NODELAY, Nagle + delayed ACKs add ~40 ms per call.
    client.setNoDelay(true);
    this.client = client;
    this.counters.ready++;
    this.options.log?.(`${this.label}: connected`);
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.counters.drops++;
      this.options.log?.(`${this.label}: connection closed`);
      const err = new HostUnreachableError(
        this.config.name,
        `${this.label}: the SSH connection dropped; the next call reconnects`,
      );
      for (const t of [...this.tracked]) t.connectionLost(err);
      this.tracked.clear();
    });
  }

  private attempt(
    families: string[],
    auth: AnyAuthMethod,
  ): Promise<
    | { kind: 'ready'; client: Client; presented: PresentedKey }
    | { kind: 'refused'; verdict: HostKeyVerdict }
    | { kind: 'no-common-algorithm' }
  > {
    const c = this.config;
    return new Promise((resolve, reject) => {
      const client = new Client();
      let verdict: HostKeyVerdict | undefined;
      let settled = false;
      let authTried = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
      };
      // Permanent listener: ssh2 may emit more errors after we have settled; they must never throw.
      client.on('error', (err: SshError) => {
        if (settled) {
          this.options.log?.(`${this.label}: ${err.message}`);
          return;
        }
        settle(() => {
          client.end();
          if (verdict && !verdict.ok) {
            this.counters.hostKeyRejections++;
            resolve({ kind: 'refused', verdict });
          } else if (/no matching host key/i.test(err.message)) {
            resolve({ kind: 'no-common-algorithm' });
          } else {
            reject(this.classify(err));
          }
        });
      });
      client.on('ready', () =>
        settle(() => resolve({ kind: 'ready', client, presented: verdict!.presented })),
      );
      client.on('close', () =>
        settle(() =>
          reject(
            new HostUnreachableError(c.name, `${this.label}: the connection closed during the SSH handshake`),
          ),
        ),
      );
      const cfg: ConnectConfig = {
        host: c.host,
        port: c.port,
        username: c.user,
        readyTimeout: this.options.connectTimeoutMs ?? 15000,
        keepaliveInterval: this.options.keepaliveIntervalMs ?? 10000,
        keepaliveCountMax: this.options.keepaliveCountMax ?? 3,
        algorithms: { serverHostKey: algorithmsFor(families) as never },
        hostVerifier: (key: Buffer) => {
          verdict = this.policy.verify(key);
          return verdict.ok;
        },
        // Exactly one method, counted: a refused host key means this is never called.
        authHandler: (_methodsLeft: unknown, _partial: unknown, next: NextAuthHandler) => {
          if (authTried) return (next as unknown as (a: false) => void)(false);
          authTried = true;
          this.counters.authAttempts++;
          next(auth);
        },
      };
      this.counters.connects++;
      try {
        client.connect(cfg);
      } catch (err) {
        settle(() => reject(this.classify(err as SshError)));
      }
    });
  }

  private classify(err: SshError): HostError {
    const c = this.config;
    if (err instanceof HostError) return err;
    if (err.level === 'client-authentication') {
      const how =
        'agent' in c.auth && c.auth.agent
          ? 'no key in the SSH agent was accepted'
          : `the key ${'privateKeyFile' in c.auth && c.auth.privateKeyFile ? `from ${c.auth.privateKeyFile} ` : ''}was not accepted`;
      return new HostAuthError(
        c.name,
        `${this.label} refused authentication: ${how}. Add the matching public key to ~${c.user}/.ssh/authorized_keys ` +
          'on the host, or fix auth in the stack configuration.',
        { cause: err },
      );
    }
    if (err.level === 'agent') {
      return new HostAuthError(c.name, `${this.label}: SSH agent failed: ${err.message}`, { cause: err });
    }
    const code = err.code ? ` (${err.code})` : '';
    const why =
      err.level === 'client-timeout'
        ? `no SSH handshake within ${this.options.connectTimeoutMs ?? 15000} ms`
        : err.level === 'client-dns'
          ? `cannot resolve ${c.host}`
          : err.message;
    return new HostUnreachableError(c.name, `${this.label} is unreachable: ${why}${code}`, { cause: err });
  }

  private authMethod(): AnyAuthMethod {
    const c = this.config;
    const a = c.auth;
    if ('agent' in a && a.agent) {
      const sock = a.agentSocket ? expandHome(a.agentSocket) : process.env.SSH_AUTH_SOCK;
      if (!sock) {
        throw new HostConfigError(
          c.name,
          `${this.label}: auth.agent is set but SSH_AUTH_SOCK is empty; start ssh-agent or set auth.agentSocket`,
        );
      }
      if (!existsSync(sock)) {
        throw new HostConfigError(c.name, `${this.label}: SSH agent socket ${sock} does not exist`);
      }
      return { type: 'agent', username: c.user, agent: sock };
    }
    const key = a.privateKey ?? readConfigFile(c.name, 'auth.privateKeyFile', a.privateKeyFile as string);
    const parsed = sshUtils.parseKey(key, a.passphrase);
    const field = a.privateKey ? 'auth.privateKey' : `auth.privateKeyFile (${a.privateKeyFile})`;
    if (parsed instanceof Error) {
      throw new HostConfigError(
        c.name,
        `${this.label}: ${field}: cannot read the private key: ${parsed.message}` +
          (/encrypted|passphrase|decrypt/i.test(parsed.message) ? ' (set or fix auth.passphrase)' : ''),
      );
    }
    const k = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!k || !k.isPrivateKey()) {
      throw new HostConfigError(c.name, `${this.label}: ${field} is not a private key`);
    }
    return { type: 'publickey', username: c.user, key: k };
  }

  /** The fingerprint of our own client key, for messages and tests. */
  clientKeyFingerprint(): string | undefined {
    const m = this.authMethod();
    if (m.type !== 'publickey' || typeof m.key === 'string' || Buffer.isBuffer(m.key)) return undefined;
    return sha256Fingerprint(m.key.getPublicSSH());
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.connecting;
    if (pending) await pending.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    for (const t of [...this.tracked]) {
      t.connectionLost(new HostUnreachableError(this.config.name, `${this.label}: connection pool closed`));
    }
    this.tracked.clear();
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 2000);
      timer.unref();
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }
}
