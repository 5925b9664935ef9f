import { defaultRecordingName, framesDue, ppmSize } from './frames';

describe('framesDue', () => {
  it('writes one frame per tick while captures keep up', () => {
    expect(framesDue(0, 2, 0)).toBe(1);
    expect(framesDue(500, 2, 1)).toBe(1);
    expect(framesDue(1000, 2, 2)).toBe(1);
  });

  it('repeats a frame for the ticks a slow capture missed, so the video keeps real time', () => {
    // 2 fps, 3 frames written, the next capture lands at 2.6 s: ticks 3, 4 and 5 are due.
    expect(framesDue(2600, 2, 3)).toBe(3);
  });

  it('never writes fewer than one frame per capture', () => {
    expect(framesDue(100, 1, 5)).toBe(1);
  });
});

describe('ppmSize', () => {
  it('reads the size from a P6 header, comments included', () => {
    expect(ppmSize(Buffer.from('P6\n720 400\n255\n\0\0\0'))).toEqual({ width: 720, height: 400 });
    expect(ppmSize(Buffer.from('P6\n# qemu\n1024 768\n255\n'))).toEqual({ width: 1024, height: 768 });
  });

  it('refuses anything else', () => {
    expect(() => ppmSize(Buffer.from('\x89PNG\r\n'))).toThrow(/not a binary PPM/);
  });
});

describe('defaultRecordingName', () => {
  it('is the UTC start time without colons', () => {
    expect(defaultRecordingName(new Date('2025-01-31T12:03:04.567Z'))).toBe('2025-01-31T12-03-04Z');
  });
});
