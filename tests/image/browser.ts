// Headless Chromium driven over the DevTools protocol (with the `ws` client): open a page,
// evaluate expressions in it, take a screenshot. Real time, not virtual time: the console's
// websocket must actually move bytes before the screen shows anything.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export const CHROMIUM = process.env.WINDOCK_CHROMIUM ?? '/usr/bin/chromium';

export class HeadlessPage {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  private constructor(
    private readonly browser: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(`DevTools: ${message.error.message}`));
      else waiter.resolve(message.result);
    });
  }

  static async launch(width = 1024, height = 768): Promise<HeadlessPage> {
    const profile = mkdtempSync(join(tmpdir(), 'windock-chromium-'));
    const browser = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        '--remote-debugging-port=0',
        'about:blank',
      ],
      // Its own process group, so that close() ends the browser with all its helper processes.
      { stdio: 'ignore', detached: true },
    );
    try {
      let port: string | undefined;
      for (let i = 0; i < 200 && !port; i++) {
        try {
          port = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
        } catch {
          await sleep(100);
        }
      }
      if (!port) throw new Error('Chromium did not open its DevTools port within 20 s');
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
        type: string;
        webSocketDebuggerUrl: string;
      }>;
      const target = targets.find((t) => t.type === 'page');
      if (!target) throw new Error('Chromium has no page target');
      const socket = new WebSocket(target.webSocketDebuggerUrl);
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const page = new HeadlessPage(browser, socket, profile);
      await page.send('Page.enable');
      await page.send('Runtime.enable');
      return page;
    } catch (error) {
      browser.kill('SIGKILL');
      rmSync(profile, { recursive: true, force: true });
      throw error;
    }
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
      'Runtime.evaluate',
      {
        expression,
        returnByValue: true,
      },
    );
    if (reply.exceptionDetails) throw new Error(`page threw: ${reply.exceptionDetails.text}`);
    return reply.result.value;
  }

  /** Polls an expression until it returns a truthy value. */
  async waitFor<T>(expression: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
      last = await this.evaluate<T>(expression).catch(() => last);
      if (last) return last;
      if (Date.now() > deadline) {
        const state = await this.evaluate<string>(
          "`${location.href} status=${document.getElementById('status')?.textContent} state=${window.windockRfb?._rfbConnectionState}`",
        ).catch((error: Error) => error.message);
        throw new Error(`page never satisfied ${expression} in ${timeoutMs} ms (${state})`);
      }
      await sleep(250);
    }
  }

  async screenshot(): Promise<Buffer> {
    const { data } = await this.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(data, 'base64');
  }

  async close(): Promise<void> {
    this.socket.terminate(); // no closing handshake to wait for: the browser goes next
    const exited = new Promise((resolve) => this.browser.once('exit', resolve));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-this.browser.pid!, signal); // the group this launch started
      } catch {
        // already gone
      }
    };
    signalGroup('SIGTERM');
    await Promise.race([exited, sleep(5000, undefined, { ref: false })]);
    signalGroup('SIGKILL'); // helpers that outlive the browser would keep writing the profile
    await sleep(200);
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
