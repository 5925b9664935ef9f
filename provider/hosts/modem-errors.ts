// Every Docker API call of dockerode goes through `modem.dial`: one place to turn transport errors
// (ECONNREFUSED, TLS alerts, dropped SSH links) into typed HostErrors, whatever API is called.
import type Dockerode from 'dockerode';
import { types } from 'node:util';

type DialCallback = (err: unknown, data?: unknown) => void;
interface DialingModem {
  dial(options: unknown, callback: DialCallback): void;
}

/** `mapError` returns the error to report (possibly the same one). API errors (HTTP status) pass through. */
export function mapModemErrors(docker: Dockerode, mapError: (err: Error) => Error): Dockerode {
  const modem = docker.modem as unknown as DialingModem;
  const dial = modem.dial.bind(modem);
  modem.dial = (options: unknown, callback: DialCallback) =>
    dial(options, (err: unknown, data?: unknown) => {
      // isNativeError: errors made by Node core are not `instanceof Error` inside a vm context (jest).
      if (isError(err) && (err as { statusCode?: unknown }).statusCode === undefined) {
        callback(mapError(err), data);
      } else {
        callback(err, data);
      }
    });
  return docker;
}

export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

export function isError(err: unknown): err is Error {
  return err instanceof Error || types.isNativeError(err);
}
