/**
 * What an ISO's URL says about its architecture: "arm64"/"a64" or "x64"/"amd64" as a word of the
 * path or file name (dockur's src/mido.sh guards every Evaluation Center link the same way).
 */
export function architectureOf(url: string): 'arm64' | 'x64' | undefined {
  const path = url.replace(/[?#].*$/, '').toLowerCase();
  if (/(^|[\s_./-])(arm64|a64)/.test(path)) return 'arm64';
  if (/(^|[\s_./-])(x64|amd64)/.test(path)) return 'x64';
  return undefined;
}
