// The User-Agent of Microsoft's pages' requests: a current Firefox, computed from the date as
// dockur's src/mido.sh (getAgent) does, so it never freezes at one release. Anchor: Firefox 152
// on 2026-06-16 (dockur's); then one release every four weeks, Mozilla's release cadence
// (dockur's own link check sends Firefox 154 in August 2026, which this gives too).
const ANCHOR_VERSION = 152;
const ANCHOR_MS = Date.UTC(2026, 5, 16);
const RELEASE_MS = 28 * 24 * 3600 * 1000;

export function firefoxVersion(now: Date = new Date()): number {
  return ANCHOR_VERSION + Math.max(0, Math.floor((now.getTime() - ANCHOR_MS) / RELEASE_MS));
}

export function userAgent(now: Date = new Date()): string {
  const v = firefoxVersion(now);
  return `Mozilla/5.0 (X11; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
}
