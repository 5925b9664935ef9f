// Docker over TCP with mutual TLS (dockerd --tlsverify): the server certificate must chain to `ca`,
// our client certificate (`cert`/`key`) must be signed by the CA the daemon trusts.
import * as https from 'node:https';
import { inspect } from 'node:util';
import Dockerode from 'dockerode';
import { HostAuthError, HostError, HostKeyMismatchError, HostUnreachableError } from './errors';
import type { TlsHostConfig } from './host-config';
import { errorCode, mapModemErrors } from './modem-errors';
import { loadPem } from './read-material';
import { emptyStats } from './strategy';
import type { HostStrategy, HostStrategyStats } from './strategy';

export interface TlsStrategyOptions {
  /** Concurrent keep-alive connections. Default 8. */
  maxSockets?: number;
}

const SERVER_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export class TlsStrategy implements HostStrategy {
  readonly kind = 'tcp-tls' as const;
  readonly docker: Dockerode;
  private readonly agent: https.Agent;

  constructor(
    readonly config: TlsHostConfig,
    options: TlsStrategyOptions = {},
  ) {
    const ca = loadPem(config.name, 'ca', config.ca);
    const cert = loadPem(config.name, 'cert', config.cert);
    const key = loadPem(config.name, 'key', config.key);
    this.agent = new https.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8, ca, cert, key });
    // docker-modem util.inspect()s request options (agent included) on every request: keep that cheap,
    // and keep key material out of any debug output.
    Object.defineProperty(this.agent, inspect.custom, { value: () => `https.Agent(${config.name})` });
    const dockerOptions = {
      protocol: 'https',
      host: config.host,
      port: config.port,
      socketPath: undefined,
      ca,
      cert,
      key,
      agent: this.agent,
    };
    this.docker = mapModemErrors(new Dockerode(dockerOptions as Dockerode.DockerOptions), (err) =>
      this.mapError(err),
    );
  }

  get name(): string {
    return this.config.name;
  }

  private get label(): string {
    return `host "${this.config.name}" (tcp-tls ${this.config.host}:${this.config.port})`;
  }

  private mapError(err: Error): Error {
    if (err instanceof HostError) return err;
    const code = errorCode(err);
    const name = this.config.name;
    if (SERVER_CERT_CODES.has(code)) {
      return new HostKeyMismatchError(
        name,
        'untrusted-certificate',
        [code],
        ['a server certificate signed by the configured ca, for ' + this.config.host],
        `${this.label}: the server's TLS certificate is not trusted (${code}: ${err.message}). ` +
          "Check that `ca` is the CA that signed the daemon's --tlscert and that the certificate names " +
          `${this.config.host}; nothing was sent.`,
        { cause: err },
      );
    }
    if (
      /^ERR_SSL_.*ALERT/.test(code) ||
      /alert (bad certificate|unknown ca|certificate required)/i.test(err.message)
    ) {
      return new HostAuthError(
        name,
        `${this.label} refused our client certificate (${code || err.message}): \`cert\` must be signed by the CA ` +
          'the daemon trusts (its --tlscacert)',
        { cause: err },
      );
    }
    if (
      ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)
    ) {
      return new HostUnreachableError(
        name,
        `${this.label} is unreachable (${code}); is dockerd listening there?`,
        {
          cause: err,
        },
      );
    }
    if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(err.message)) {
      return new HostUnreachableError(
        name,
        `${this.label} dropped the connection (${code || err.message}); if this happens on every call the daemon ` +
          'may be refusing our client certificate',
        { cause: err },
      );
    }
    return err;
  }

  stats(): HostStrategyStats {
    return emptyStats();
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
