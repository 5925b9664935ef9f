import fc from 'fast-check';
import { FramingError, LineFramer } from './line-framer';

function feed(framer: LineFramer, bytes: Buffer, cuts: number[]) {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const frames = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    frames.push(...framer.push(bytes.subarray(start, p)));
    start = p;
  }
  return frames;
}

describe('LineFramer', () => {
  test('splits on \\n, strips \\r, skips blank lines', () => {
    const frames = new LineFramer().push('{"a":1}\r\n\r\n{"b":2}\n{"c"');
    expect(frames).toEqual([
      { text: '{"a":1}', delimited: false },
      { text: '{"b":2}', delimited: false },
    ]);
  });

  test('any chunking yields the same lines, multi-byte UTF-8 included', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '').trim());
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (lines, cuts, crlf) => {
          const bytes = Buffer.from(lines.map((l) => l + (crlf ? '\r\n' : '\n')).join(''), 'utf8');
          const texts = feed(new LineFramer(), bytes, cuts).map((f) => f.text);
          expect(texts).toEqual(lines.filter((l) => l.length > 0));
        },
      ),
    );
  });

  test('0xFF drops what precedes it on the line and flags the rest as delimited', () => {
    const framer = new LineFramer();
    const bytes = Buffer.concat([
      Buffer.from('{"stale":1}\ngarbage'),
      Buffer.from([0xff]),
      Buffer.from('{"return": 42}\r\n{"next":1}\n'),
    ]);
    for (const cuts of [[], [3], [19, 20], [20, 21]]) {
      expect(feed(framer, bytes, cuts)).toEqual([
        { text: '{"stale":1}', delimited: false },
        { text: '{"return": 42}', delimited: true },
        { text: '{"next":1}', delimited: false },
      ]);
    }
  });

  test('a line over the limit throws FramingError', () => {
    const framer = new LineFramer(10);
    expect(() => framer.push('0123456789abc')).toThrow(FramingError);
    expect(framer.push('ok\n')).toEqual([{ text: 'ok', delimited: false }]);
  });
});
