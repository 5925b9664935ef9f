/**
 * The VM spec is the contract between the provider and the image. Bump the version on any
 * change an older image could misread; the image refuses a newer spec instead of guessing.
 */
export const VM_SPEC_VERSION = 2;

/** The oldest spec version this code still reads (an image may run an older provider's spec). */
export const VM_SPEC_MIN_VERSION = 1;

/**
 * History (an image reads every version from VM_SPEC_MIN_VERSION up, upgraded in parse.ts):
 * 1: one NIC as network {mode: user|none, mac, ports}.
 * 2: network {nics[], hostName} (user, nat, lan), shares, usb, audio, recording, install.
 */
