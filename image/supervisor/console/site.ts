import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleBasePath } from './auth';
import { errorLogger, type FailureLogger } from './error-logger';
import type { ConsoleServerOptions } from './server';

/** What every handler of one console server shares: its page, folder and error log. */
export interface ConsoleSite {
  options: ConsoleServerOptions;
  /** console.html with the view-only flag filled in. */
  page: string;
  /** The folder derived from the token (consoleBasePath). */
  base: string;
  scheme: 'http' | 'https';
  novncRoot: string;
  failed: FailureLogger;
}

export function consoleSite(options: ConsoleServerOptions): ConsoleSite {
  const page = readFileSync(join(options.assetsDir, 'console.html'), 'utf8').replace(
    '__VIEW_ONLY__',
    options.viewOnly ? 'true' : 'false',
  );
  return {
    options,
    page,
    base: consoleBasePath(options.token),
    scheme: options.tls ? 'https' : 'http',
    novncRoot: join(options.assetsDir, 'novnc'),
    failed: errorLogger(options.log),
  };
}
