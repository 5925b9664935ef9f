import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { CONTAINER_PATHS, parseVmSpec, RUNTIME_PATHS, type VmSpec } from '../../../contract';
import { readSecret } from '../secrets/store';
import { consoleListenAddresses, guestSourceCheck } from './listen-addresses';
import { startConsoleServer } from './server';
import { consoleTls } from './tls';

/** Restarts of a console that keeps failing slow down to this. */
const MAX_BACKOFF_MS = 30_000;
/** A console that ran this long counts as healthy again (its backoff starts over). */
const HEALTHY_MS = 60_000;

export interface ConsoleProcess {
  close(): void;
}

/**
 * Runs the console in its own process (`windock-supervisor console`), restarted when it ends:
 * whatever a client makes it do, an uncaught exception ends that process, never the
 * supervisor (PID 1) or QEMU. It starts without capabilities when the supervisor holds any
 * (capsh, as QEMU): it needs none, and the guest's network can reach it.
 */
export function superviseConsole(heldCapabilities: bigint, log: (line: string) => void): ConsoleProcess {
  const script = process.argv[1]!;
  const command =
    heldCapabilities === 0n
      ? { file: process.execPath, args: [script, 'console'] }
      : { file: 'capsh', args: ['--caps=', `--shell=${process.execPath}`, '--', script, 'console'] };
  let child: ChildProcess | undefined;
  let closed = false;
  let failures = 0;
  const start = () => {
    if (closed) return;
    const startedAt = Date.now();
    child = spawn(command.file, command.args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => log(`console: could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (closed) return;
      failures = Date.now() - startedAt > HEALTHY_MS ? 1 : failures + 1;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (failures - 1));
      log(`console: ended (${code ?? signal}); restarting in ${delay} ms`);
      setTimeout(start, delay).unref();
    });
  };
  start();
  return {
    close() {
      closed = true;
      child?.kill('SIGTERM');
    },
  };
}

function readSpec(): VmSpec {
  return parseVmSpec(JSON.parse(readFileSync(CONTAINER_PATHS.spec, 'utf8')));
}

/** `windock-supervisor console`: the console server, in the process superviseConsole starts. */
export function consoleCommand(assetsDir: string): void {
  const log = (line: string) => process.stdout.write(`[windock] ${line}\n`);
  // Its own name in ps and /proc/PID/comm, apart from the supervisor's "node".
  process.title = 'windock-console';
  // Anything that escapes a handler ends this process; the supervisor starts a new one.
  process.on('uncaughtException', (error) => {
    log(`console: uncaught ${error.name}: ${error.message}; restarting`);
    process.exit(70);
  });
  process.on('SIGTERM', () => process.exit(0));
  const spec = readSpec();
  const interfaces = networkInterfaces();
  const listen = consoleListenAddresses(spec, interfaces);
  if (listen.length === 0) {
    log('console: the container has no address on its primary network; the console listens nowhere');
    setInterval(() => undefined, 1 << 30);
    return;
  }
  const auth = spec.console.auth;
  const tls = consoleTls(spec);
  startConsoleServer({
    port: spec.console.port,
    listen,
    refuse: guestSourceCheck(spec, interfaces),
    vncSocket: RUNTIME_PATHS.vnc,
    token: auth.kind === 'token' ? readSecret(auth.secret).trim() : undefined,
    viewOnly: spec.console.viewOnly,
    ...(tls ? { tls } : {}),
    assetsDir,
    log,
  });
  const where = listen.map((address) => `${address}:${spec.console.port}`).join(', ');
  log(`console: listening on ${where} (${tls ? 'HTTPS' : 'HTTP'})`);
}
