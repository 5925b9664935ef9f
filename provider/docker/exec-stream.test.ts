// Pure tests of the frame demultiplexer behind openExecStream (the Docker round trips are in
// tests/hosts/exec-stream.test.ts).
import fc from 'fast-check';
import { DockerFrameDemuxer, DockerFrameError, encodeDockerFrame } from './exec-stream';

function cut(buf: Buffer, points: number[]): Buffer[] {
  const sorted = [...new Set(points.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...sorted, buf.length]) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe('DockerFrameDemuxer', () => {
  it('reassembles stdout and stderr whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            stream: fc.constantFrom(1 as const, 2 as const),
            data: fc.uint8Array({ maxLength: 300 }),
          }),
          {
            maxLength: 20,
          },
        ),
        fc.array(fc.nat(), { maxLength: 30 }),
        (frames, points) => {
          const wire = Buffer.concat(frames.map((f) => encodeDockerFrame(f.stream, Buffer.from(f.data))));
          const d = new DockerFrameDemuxer();
          const got = { 1: [] as Buffer[], 2: [] as Buffer[] };
          for (const piece of cut(wire, points)) {
            for (const f of d.push(piece)) got[f.stream as 1 | 2].push(Buffer.from(f.data));
          }
          const want = (s: 1 | 2) =>
            Buffer.concat(frames.filter((f) => f.stream === s).map((f) => Buffer.from(f.data)));
          expect(Buffer.concat(got[1]).equals(want(1))).toBe(true);
          expect(Buffer.concat(got[2]).equals(want(2))).toBe(true);
          expect(d.idle).toBe(true);
        },
      ),
    );
  });

  it('handles a frame header split byte by byte and an empty frame', () => {
    const wire = Buffer.concat([
      encodeDockerFrame(1, Buffer.alloc(0)),
      encodeDockerFrame(1, Buffer.from('hi')),
    ]);
    const d = new DockerFrameDemuxer();
    const out: string[] = [];
    for (const b of wire) for (const f of d.push(Buffer.from([b]))) out.push(f.data.toString());
    expect(out.join('')).toBe('hi');
  });

  it('refuses a stream that is not multiplexed (TTY output)', () => {
    const d = new DockerFrameDemuxer();
    expect(() => d.push(Buffer.from('hello world, raw tty text'))).toThrow(DockerFrameError);
  });
});
