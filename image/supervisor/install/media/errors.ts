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

/** What a user can do when Microsoft refuses to hand out a download link. */
export const BLOCK_WORKAROUNDS =
  "Workarounds: media already in this host's cache (volume windock-media-cache) is used without asking Microsoft; " +
  'or give media { kind: "url", url } (a mirror you trust, with sha256), ' +
  'or download the ISO yourself and give media { kind: "iso", hostPath } on the Docker host; ' +
  'blocks usually lift after about 24 hours.';

/** Microsoft blocked this address or rate-limited it (the link request's answer says so). */
export class MediaBlockedError extends MediaError {
  constructor(what: string, detail: string) {
    super(
      `${what}: Microsoft refused the download (${detail}). ${BLOCK_WORKAROUNDS}`,
      'media: microsoft link',
    );
    this.name = 'MediaBlockedError';
  }
}
