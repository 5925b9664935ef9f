/** Why a media fetch failed, with the step that failed: the supervisor reports it in the status. */
export class MediaError extends Error {
  constructor(
    message: string,
    readonly step: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

/** What a user can do when Microsoft will not hand out a download link. */
export const REFUSAL_WORKAROUNDS =
  "Workarounds: media already in this host's cache (volume windock-media-cache) is used without asking Microsoft; " +
  'or give media { kind: "url", url } (a mirror you trust, with sha256), ' +
  'or download the ISO yourself and give media { kind: "iso", hostPath } on the Docker host';

export const BLOCK_WORKAROUNDS = `${REFUSAL_WORKAROUNDS}; blocks usually lift after about 24 hours.`;

/**
 * Microsoft blocked this address or rate-limited it: its anti-abuse check (Sentinel) rejected
 * the request, its "715-123130" location ban, or HTTP 429. dockur's src/mido.sh reads Sentinel's
 * answer the same way ("blocked ... based on your IP address").
 */
export class MediaBlockedError extends MediaError {
  constructor(what: string, detail: string) {
    super(
      `${what}: Microsoft blocked this address or rate-limited it (${detail}). ${BLOCK_WORKAROUNDS}`,
      'media: microsoft link',
    );
    this.name = 'MediaBlockedError';
  }
}

/** Microsoft refused the request for another reason than this address: said as it was said. */
export class MediaRefusedError extends MediaError {
  constructor(what: string, detail: string, step = 'media: microsoft link') {
    super(
      `${what}: Microsoft refused the automated download (${detail}); not an address block. ${REFUSAL_WORKAROUNDS}.`,
      step,
    );
    this.name = 'MediaRefusedError';
  }
}

/** The server has no such file (HTTP 404 or 410): a stale pin or link; `source: "auto"` tries the next source. */
export class MediaGoneError extends MediaError {
  constructor(
    message: string,
    step: string,
    readonly status: number,
  ) {
    super(message, step);
    this.name = 'MediaGoneError';
  }
}
