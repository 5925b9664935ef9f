import {
  splitStream,
  typeCalc,
  UNKNOWN_VERSIONS,
  v33Desync,
  v37Keys,
  v38Pipelined,
  v38Short,
} from '../../../tests/image/console-rfb-streams';
import { RfbViolation } from './rfb-handshake';
import { ViewOnlyFilter } from './view-only-filter';

const SERVER_VERSION = Buffer.from('RFB 003.008\n');
/** What QEMU (3.8, security None) sends after a client's version line, per negotiated version. */
const SERVER_SECURITY = {
  3: Buffer.from([0, 0, 0, 1]),
  7: Buffer.from([1, 1]),
  8: Buffer.from([1, 1, 0, 0, 0, 0]),
};
const handshake38 = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1]), Buffer.from([1])]);
const setEncodings = Buffer.from([2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7]);
const updateRequest = Buffer.from([3, 1, 0, 0, 0, 0, 4, 0, 3, 0]);
const keyEvent = Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]);
const pointerEvent = Buffer.from([5, 1, 0, 10, 0, 20]);
const cutText = Buffer.concat([Buffer.from([6, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('abc')]);
const qemuKey = Buffer.from([255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0x1e]);

/** A filter past QEMU's side of a handshake of `version`, fed the client's bytes in `chunks`. */
function run(chunks: Buffer[], version: 3 | 7 | 8 = 8): Buffer {
  const filter = new ViewOnlyFilter();
  const out = [filter.fromServer(SERVER_VERSION)];
  chunks.forEach((chunk) => out.push(filter.fromClient(chunk)));
  out.push(filter.fromServer(SERVER_SECURITY[version]));
  return Buffer.concat(out);
}

/** A filter that has completed a 3.8 handshake. */
function opened(): ViewOnlyFilter {
  const filter = new ViewOnlyFilter();
  filter.fromServer(SERVER_VERSION);
  filter.fromClient(Buffer.from('RFB 003.008\n'));
  filter.fromServer(SERVER_SECURITY[8]);
  filter.fromClient(Buffer.from([1, 1]));
  return filter;
}

describe('ViewOnlyFilter', () => {
  it('passes the handshake and display messages, drops every input message', () => {
    const out = run([
      Buffer.concat([handshake38, setEncodings, keyEvent, pointerEvent, cutText, qemuKey, updateRequest]),
    ]);
    expect(out).toEqual(Buffer.concat([handshake38, setEncodings, updateRequest]));
  });

  it('reassembles messages split across chunks', () => {
    const stream = Buffer.concat([handshake38, keyEvent, updateRequest, cutText, setEncodings]);
    const out = run(splitStream(stream, 3));
    expect(out).toEqual(Buffer.concat([handshake38, updateRequest, setEncodings]));
  });

  it('follows an RFB 3.3 handshake (13 bytes, no security byte): the desync gadget types nothing', () => {
    const attack = v33Desync();
    const head = Buffer.concat([Buffer.from('RFB 003.003\n'), Buffer.from([1])]);
    const update = attack.subarray(13, 23);
    for (const chunks of [[attack], splitStream(attack, 1), splitStream(attack, 7, 3)])
      expect(run(chunks, 3)).toEqual(Buffer.concat([head, update]));
  });

  it('drops keys after 3.7 and pipelined 3.8 handshakes, holding them until the server has spoken', () => {
    expect(run([v37Keys()], 7)).toEqual(Buffer.concat([Buffer.from('RFB 003.007\n'), Buffer.from([1, 1])]));
    expect(run(splitStream(v38Pipelined(), 5), 8)).toEqual(handshake38);
    // Everything arrives before the server's version: nothing passes until it has.
    const filter = new ViewOnlyFilter();
    expect(filter.fromClient(v38Pipelined())).toEqual(Buffer.alloc(0));
    expect(filter.fromServer(SERVER_VERSION)).toEqual(Buffer.from('RFB 003.008\n'));
    expect(filter.fromServer(SERVER_SECURITY[8])).toEqual(Buffer.from([1, 1]));
  });

  it('reads a 3.8 handshake without ClientInit as the server does (the first key byte is ClientInit)', () => {
    // The server takes key[0] (4) as ClientInit, then reads key[1..] as messages: type 1 is
    // unknown to both, so the connection closes before any key gets through.
    expect(() => run([v38Short()], 8)).toThrow(RfbViolation);
  });

  it('refuses client versions it does not know, and security other than None', () => {
    for (const version of UNKNOWN_VERSIONS)
      expect(() => run([Buffer.concat([Buffer.from(version), Buffer.from([1, 1]), typeCalc()])])).toThrow(
        RfbViolation,
      );
    expect(() => run([Buffer.from('RFB 003.008\n\x02\x01')], 8)).toThrow(/client security type 2/);
    const filter = new ViewOnlyFilter();
    filter.fromServer(SERVER_VERSION);
    filter.fromClient(Buffer.from('RFB 003.003\n'));
    expect(() => filter.fromServer(Buffer.from([0, 0, 0, 2]))).toThrow(/server security type 2/);
  });

  it('refuses a client that floods the handshake before the server speaks', () => {
    const filter = new ViewOnlyFilter();
    expect(() => filter.fromClient(Buffer.alloc(8192, 0x41))).toThrow(/too many client bytes/);
  });
});

describe('ViewOnlyFilter: client messages once the handshake is done', () => {
  it('drops the extended clipboard message noVNC sends on connect (negative length) and stays in step', () => {
    // ClientCutText with length -8: 8 bytes of capability flags follow (not 4 GiB).
    const extendedCaps = Buffer.from([6, 0, 0, 0, 0xff, 0xff, 0xff, 0xf8, 0x1f, 0, 0, 1, 0, 0x10, 0, 0]);
    const filter = opened();
    const out = filter.fromClient(
      Buffer.concat([setEncodings, extendedCaps, updateRequest, keyEvent, updateRequest]),
    );
    expect(out).toEqual(Buffer.concat([setEncodings, updateRequest, updateRequest]));
  });

  it('skips a large paste as it streams in, without holding it', () => {
    const filter = opened();
    const text = Buffer.alloc(4 * 1024 * 1024, 0x41);
    const header = Buffer.from([6, 0, 0, 0, 0, 0, 0, 0]);
    header.writeUInt32BE(text.length, 4);
    const stream = Buffer.concat([header, text, updateRequest]);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 65536) {
      out.push(filter.fromClient(stream.subarray(i, i + 65536)));
      expect((filter as unknown as { buffer: Buffer }).buffer.length).toBeLessThan(16);
    }
    expect(Buffer.concat(out)).toEqual(updateRequest);
  });

  it('refuses a message it cannot parse rather than letting it through', () => {
    expect(() => opened().fromClient(Buffer.from([99, 0, 0, 0]))).toThrow(
      /unknown RFB client message type 99/,
    );
  });

  it('never throws anything but RfbViolation on random streams', () => {
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      const filter = new ViewOnlyFilter();
      try {
        filter.fromServer(SERVER_VERSION);
        const junk = Buffer.from(Array.from({ length: random() % 64 }, () => random() & 0xff));
        const prefix = [Buffer.alloc(0), Buffer.from('RFB 003.003\n'), handshake38][random() % 3]!;
        filter.fromClient(Buffer.concat([prefix, junk]));
        filter.fromServer(SERVER_SECURITY[([3, 7, 8] as const)[random() % 3]!]);
      } catch (error) {
        expect(error).toBeInstanceOf(RfbViolation);
      }
    }
  });
});
