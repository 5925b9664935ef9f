/**
 * The VM spec is the contract between the provider and the image. Bump the version on any
 * change an older image could misread; the image refuses a newer spec instead of guessing.
 */
export const VM_SPEC_VERSION = 4;

/**
 * The shape of each version since fingerprints were kept (contract/fingerprint.ts); a test fails
 * when the shape changes and VM_SPEC_VERSION does not.
 */
export const VM_SPEC_FINGERPRINTS: Record<number, string> = {
  4: 'e21c733df35859f5',
};

/** The oldest spec version this code still reads (an image may run an older provider's spec). */
export const VM_SPEC_MIN_VERSION = 1;

/**
 * History (an image reads every version from VM_SPEC_MIN_VERSION up, upgraded in parse.ts):
 * 1: one NIC as network {mode: user|none, mac, ports}.
 * 2: network {nics[], hostName} (user, nat, lan), shares, usb, audio, recording, install.
 *    Later, without a bump (a1383bc): LAN NICs with guestAddress 'own' (macvtap). A v2 image from
 *    before that refuses such a spec as invalid (exit 64). contract/fingerprint.test.ts now fails on
 *    a change like it (the v2 shape's fingerprint went 150a2cb4ae6aa5dd -> 05f16b2fc867a70c).
 * 3: security (issue 15): what a v2 document lacks is filled in by upgradeV2 in parse.ts.
 *    install.fetchedBy: "provider" (its fetch step filled the read-only cache; every cached
 *    medium carries its sha256) or "vm" (v2: the supervisor fetched into a writable cache).
 *    shares.shares[].hostIdentity: the host folder checked at create (resolved path, st_dev,
 *    st_ino; the image refuses a start when /shares/NAME differs), "volume", or "unchecked" (v2).
 *    console.tls (optional): HTTPS with a provided or VM-generated certificate; absent (v2): HTTP.
 * 4: Windows routes (issue 16): what a v3 document lacks is filled in by upgradeV3 in parse.ts.
 *    install.answerFile (optional): the user's own answer file as a secret; absent: generated (v3).
 *    install.windows.language (optional): the media's culture, Setup's UI language; absent: the locale.
 *    install.media: source microsoft.ovEndpoint and url.sha256, fallbacks[] (all optional; absent:
 *    ov-df.microsoft.com, no per-source digest, no fallback).
 *    status.panic (optional, issue 23): a guest panic (pvpanic); absent: no panic seen (v3 images).
 */
