// Hostile inputs for the console fuzz test (console-fuzz.test.ts): raw HTTP requests (bad
// request lines, paths, cookies, Authorization, huge headers, random bytes), mutated copies of
// valid ones, websocket upgrades and RFB streams. Deterministic per seed, so a failure repeats.

export class Random {
  constructor(private state: number) {}

  next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  below(n: number): number {
    return this.next() % n;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.below(256)));
  }
}

const TARGETS = [
  '//',
  '/',
  '///',
  '//evil.example/',
  '/..',
  '/../../etc/passwd',
  '/novnc/../../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/novnc/core/rfb.js',
  '/novnc/%',
  '/%',
  '/%zz',
  '/?token=%',
  '/?token=%E0%A4%A',
  '/?token=',
  '/?token=a&token=b',
  '/websockify',
  '/websockify?token=%',
  '*',
  'http://127.0.0.1/',
  'http://[::1',
  '',
  '/\u0000',
  '/\u00ff\u00fe',
  `/${'a'.repeat(9000)}`,
  `/?${'x='.repeat(5000)}`,
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'CONNECT', 'BREW', 'G\u0000T', ''];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/', ''];
const COOKIES = [
  'windock_console=%',
  'windock_console=%E0%A4%A',
  'windock_console=%%%%',
  'windock_console',
  '=',
  ';;;=;=',
  'windock_console=a; windock_console=%zz',
  `windock_console=${'%'.repeat(4000)}`,
  'windock_console=\u00ff\u00fe',
];
const AUTHORIZATIONS = [
  'Bearer',
  'Bearer ',
  'Bearer %',
  'Basic Og==',
  'Bearer \u00ff',
  `Bearer ${'x'.repeat(8000)}`,
];

function header(random: Random): string {
  switch (random.below(7)) {
    case 0:
      return `Cookie: ${random.pick(COOKIES)}`;
    case 1:
      return `Authorization: ${random.pick(AUTHORIZATIONS)}`;
    case 2:
      return `X-Huge: ${'h'.repeat(random.pick([100, 16_000, 70_000]))}`;
    case 3:
      return `Host: ${random.pick(['', '[', '127.0.0.1:99999', 'a'.repeat(300)])}`;
    case 4:
      return `Content-Length: ${random.pick(['-1', '99999999999', 'x', '5'])}`;
    case 5:
      return `Transfer-Encoding: ${random.pick(['chunked', 'gzip, chunked', 'x'])}`;
    default:
      return `${random.bytes(8).toString('latin1')}: ${random.bytes(16).toString('latin1')}`;
  }
}

/** One hostile HTTP request: a bad request line, odd headers, or bytes of a mutated valid one. */
export function hostileRequest(random: Random, folder: string, token: string): Buffer {
  const kind = random.below(10);
  if (kind === 0) return random.bytes(1 + random.below(512));
  const target = random.below(4) === 0 ? `${folder}${random.pick(TARGETS).slice(1)}` : random.pick(TARGETS);
  const line = `${random.pick(METHODS)} ${target} ${random.pick(VERSIONS)}`;
  const headers = Array.from({ length: random.below(6) }, () => header(random));
  if (random.below(3) === 0) headers.push(`Cookie: windock_console=${token}`);
  const request = Buffer.from(`${[line, ...headers].join('\r\n')}\r\n\r\n`, 'latin1');
  return kind < 4 ? mutate(random, request) : request;
}

/** Flips, inserts, deletes or truncates a few bytes. */
export function mutate(random: Random, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  for (let i = 0, n = 1 + random.below(6); i < n && bytes.length > 0; i++) {
    const at = random.below(bytes.length);
    switch (random.below(4)) {
      case 0:
        bytes[at] = random.below(256);
        break;
      case 1:
        bytes = Buffer.concat([bytes.subarray(0, at), random.bytes(1 + random.below(8)), bytes.subarray(at)]);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + random.below(8))]);
        break;
      default:
        bytes = bytes.subarray(0, at);
    }
  }
  return bytes;
}

/** A websocket upgrade request, valid or not, followed by frame bytes (random or hostile). */
export function hostileUpgrade(random: Random, folder: string, token: string, host: string): Buffer {
  const lines = [
    `GET ${random.pick([`${folder}websockify`, '/websockify', '//', `${folder}websockify?token=%`])} HTTP/1.1`,
    `Host: ${host}`,
    `Upgrade: ${random.pick(['websocket', 'WebSocket', 'h2c', ''])}`,
    'Connection: Upgrade',
    `Sec-WebSocket-Version: ${random.pick(['13', '8', 'x', ''])}`,
    `Sec-WebSocket-Key: ${random.pick(['dGhlIHNhbXBsZSBub25jZQ==', '', '%', random.bytes(16).toString('base64')])}`,
    ...(random.below(4) ? [`Cookie: ${random.pick([`windock_console=${token}`, ...COOKIES])}`] : []),
    ...(random.below(3) === 0
      ? [`Origin: ${random.pick([`http://${host}`, 'http://127.0.0.1:1', 'null', '%'])}`]
      : []),
  ];
  const request = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return Buffer.concat([random.below(5) === 0 ? mutate(random, request) : request, hostileFrames(random)]);
}

/** Websocket frames with odd opcodes, unmasked payloads and huge declared lengths. */
function hostileFrames(random: Random): Buffer {
  const frames: Buffer[] = [];
  for (let i = 0, n = random.below(4); i < n; i++) {
    const kind = random.below(4);
    if (kind === 0) frames.push(random.bytes(1 + random.below(64)));
    else if (kind === 1)
      frames.push(Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    else if (kind === 2)
      frames.push(Buffer.from([0x80 | random.below(16), 0x80 | 4, 1, 2, 3, 4, 5, 6, 7, 8]));
    else frames.push(Buffer.concat([Buffer.from([0x82, 0x85, 0, 0, 0, 0]), random.bytes(5)]));
  }
  return Buffer.concat(frames);
}

const VERSION_LINES = [
  'RFB 003.003\n',
  'RFB 003.007\n',
  'RFB 003.008\n',
  'RFB 003.889\n',
  'RFB 003.00',
  'RFB',
];

/** An RFB client stream for a websocket session: handshakes of every version, truncated or not, then junk. */
export function hostileRfb(random: Random): Buffer[] {
  const version = random.pick(VERSION_LINES);
  const parts: Buffer[] = [Buffer.from(version, 'latin1')];
  if (version !== 'RFB 003.003\n' && random.below(2))
    parts.push(Buffer.from([random.pick([1, 1, 2, 0, 255])]));
  if (random.below(3)) parts.push(Buffer.from([1])); // ClientInit
  switch (random.below(5)) {
    case 0: {
      // ClientCutText declaring a huge paste, then only a little of it.
      const cut = Buffer.alloc(8);
      cut[0] = 6;
      cut.writeUInt32BE(random.pick([0x7fffffff, 0xffffffff, 0x80000000, 1 << 24]), 4);
      parts.push(cut, random.bytes(random.below(256)));
      break;
    }
    case 1:
      parts.push(random.bytes(1 + random.below(1024)));
      break;
    case 2:
      // SetEncodings declaring 65535 encodings
      parts.push(Buffer.from([2, 0, 0xff, 0xff]), random.bytes(random.below(64)));
      break;
    case 3:
      parts.push(Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]), Buffer.from([255, 0, 0, 1]));
      break;
    default:
      break; // truncated handshake
  }
  const stream = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let i = 0; i < stream.length;) {
    const size = 1 + random.below(32);
    chunks.push(stream.subarray(i, i + size));
    i += size;
  }
  return chunks;
}
