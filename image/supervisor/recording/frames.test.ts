import { defaultRecordingName, framesDue, ppmSize, recordingOfFile, segmentFile } from './frames';

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

describe('segments of a recording (one file per screen size)', () => {
  it('names the first file after the recording and later ones .partN', () => {
    expect(segmentFile('/r', 'boot', 'webm', 1)).toBe('/r/boot.webm');
    expect(segmentFile('/r', 'boot', 'webm', 2)).toBe('/r/boot.part2.webm');
    expect(segmentFile('/r', 'a.b', 'mp4', 12)).toBe('/r/a.b.part12.mp4');
  });
  it('maps a file back to its recording and segment', () => {
    expect(recordingOfFile('boot.webm')).toEqual({ recording: 'boot', segment: 1 });
    expect(recordingOfFile('boot.part3.webm.partial')).toEqual({ recording: 'boot', segment: 3 });
    expect(recordingOfFile('a.b.part12.mp4')).toEqual({ recording: 'a.b', segment: 12 });
    expect(recordingOfFile('audio-2025-01-31T12-03-04Z.wav')).toEqual({
      recording: 'audio-2025-01-31T12-03-04Z',
      segment: 1,
    });
  });
});
