import { ViewOnlyFilter } from './view-only-filter';

const handshake = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1]), Buffer.from([1])]);
const setEncodings = Buffer.from([2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7]);
const updateRequest = Buffer.from([3, 1, 0, 0, 0, 0, 4, 0, 3, 0]);
const keyEvent = Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]);
const pointerEvent = Buffer.from([5, 1, 0, 10, 0, 20]);
const cutText = Buffer.concat([Buffer.from([6, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('abc')]);
const qemuKey = Buffer.from([255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0x1e]);

describe('ViewOnlyFilter', () => {
  it('passes the handshake and display messages, drops every input message', () => {
    const filter = new ViewOnlyFilter();
    const out = filter.push(
      Buffer.concat([handshake, setEncodings, keyEvent, pointerEvent, cutText, qemuKey, updateRequest]),
    );
    expect(out).toEqual(Buffer.concat([handshake, setEncodings, updateRequest]));
  });

  it('reassembles messages split across chunks', () => {
    const filter = new ViewOnlyFilter();
    const stream = Buffer.concat([handshake, keyEvent, updateRequest, cutText, setEncodings]);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 3) out.push(filter.push(stream.subarray(i, i + 3)));
    expect(Buffer.concat(out)).toEqual(Buffer.concat([handshake, updateRequest, setEncodings]));
  });

  it('drops the extended clipboard message noVNC sends on connect (negative length) and stays in step', () => {
    // ClientCutText with length -8: 8 bytes of capability flags follow (not 4 GiB).
    const extendedCaps = Buffer.from([6, 0, 0, 0, 0xff, 0xff, 0xff, 0xf8, 0x1f, 0, 0, 1, 0, 0x10, 0, 0]);
    const filter = new ViewOnlyFilter();
    const out = filter.push(
      Buffer.concat([handshake, setEncodings, extendedCaps, updateRequest, keyEvent, updateRequest]),
    );
    expect(out).toEqual(Buffer.concat([handshake, setEncodings, updateRequest, updateRequest]));
  });

  it('skips a large paste as it streams in, without holding it', () => {
    const filter = new ViewOnlyFilter();
    expect(filter.push(handshake)).toEqual(handshake);
    const text = Buffer.alloc(4 * 1024 * 1024, 0x41);
    const header = Buffer.from([6, 0, 0, 0, 0, 0, 0, 0]);
    header.writeUInt32BE(text.length, 4);
    const stream = Buffer.concat([header, text, updateRequest]);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 65536) {
      out.push(filter.push(stream.subarray(i, i + 65536)));
      expect((filter as unknown as { buffer: Buffer }).buffer.length).toBeLessThan(16);
    }
    expect(Buffer.concat(out)).toEqual(updateRequest);
  });

  it('refuses a message it cannot parse rather than letting it through', () => {
    const filter = new ViewOnlyFilter();
    filter.push(handshake);
    expect(() => filter.push(Buffer.from([99, 0, 0, 0]))).toThrow(/unknown RFB client message type 99/);
  });
});
