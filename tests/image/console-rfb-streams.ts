// Hostile RFB client streams for the view-only console: each tries to get key events past a
// filter that reads the client's handshake differently from the VNC server. Used by the
// filter's unit tests (image/supervisor/console) and against real QEMU (console-view-only).

const XK = { c: 0x63, a: 0x61, l: 0x6c, Return: 0xff0d };

function keyEvent(keysym: number, down: boolean): Buffer {
  const message = Buffer.alloc(8);
  message[0] = 4;
  message[1] = down ? 1 : 0;
  message.writeUInt32BE(keysym, 4);
  return message;
}

/** Key presses and releases typing "calc" + Enter. */
export function typeCalc(): Buffer {
  return Buffer.concat(
    [XK.c, XK.a, XK.l, XK.c, XK.Return].flatMap((k) => [keyEvent(k, true), keyEvent(k, false)]),
  );
}

/**
 * The finding-2 attack: an RFB 3.3 client (12-byte version + 1-byte ClientInit, no security
 * byte) followed by a gadget. A filter that assumes a 14-byte handshake takes the first byte
 * of the FramebufferUpdateRequest below as handshake and reads the rest as a SetEncodings
 * whose encodings cover the key events; the server reads a FramebufferUpdateRequest, the key
 * events and a ClientCutText whose length puts both back in step.
 */
export function v33Desync(keys = typeCalc()): Buffer {
  // Filter's SetEncodings (4 + 4n bytes from offset 1) = 9 + keys + 8 + cut text.
  const n = Math.ceil((9 + keys.length + 8 - 4) / 4) + 1;
  const cutLength = 4 + 4 * n - (9 + keys.length + 8);
  const update = Buffer.from([3, 2, 0, 0, n, 0, 0, 0, 0, 0]);
  const cut = Buffer.alloc(8 + cutLength, 0x61);
  cut.fill(0, 0, 8);
  cut[0] = 6;
  cut.writeUInt32BE(cutLength, 4);
  return Buffer.concat([Buffer.from('RFB 003.003\n'), Buffer.from([1]), update, keys, cut]);
}

/** A 3.8 client that sends its version, security type, ClientInit and keys before reading anything. */
export function v38Pipelined(): Buffer {
  return Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 1]), typeCalc()]);
}

/** A 3.7 client: a security type, no security result, ClientInit, then keys. */
export function v37Keys(): Buffer {
  return Buffer.concat([Buffer.from('RFB 003.007\n'), Buffer.from([1, 1]), typeCalc()]);
}

/** A 3.8 client whose handshake is 13 bytes (no ClientInit): keys start one byte early. */
export function v38Short(): Buffer {
  return Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1]), typeCalc()]);
}

/** Versions the guard does not know (Apple's 3.889, 3.5 that QEMU reads as 3.3, junk). */
export const UNKNOWN_VERSIONS = ['RFB 003.889\n', 'RFB 003.005\n', 'RFB 004.000\n', 'GET / HTTP/1.1\n'];

/** Splits a stream into chunks of 1..max bytes (deterministic per seed). */
export function splitStream(stream: Buffer, max: number, seed = 1): Buffer[] {
  const chunks: Buffer[] = [];
  let state = seed;
  for (let i = 0; i < stream.length;) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const size = 1 + (state % max);
    chunks.push(stream.subarray(i, i + size));
    i += size;
  }
  return chunks;
}
