import { encoderArgv } from './encoder';

const after = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe('encoderArgv', () => {
  it('webm: PPM frames from stdin at the frame rate, VP8 in WebM, real-time speed', () => {
    const argv = encoderArgv({
      format: 'webm',
      framesPerSecond: 4,
      width: 720,
      height: 400,
      output: '/x.webm.partial',
    });
    expect(after(argv, '-f')).toBe('image2pipe');
    expect(after(argv, '-i')).toBe('pipe:0');
    expect(after(argv, '-framerate')).toBe('4');
    expect(after(argv, '-r')).toBe('4');
    expect(argv.slice(argv.indexOf('libvpx') - 1, argv.indexOf('libvpx') + 3)).toEqual([
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
    ]);
    // The muxer is named: the ".partial" name says nothing about the format.
    expect(argv.slice(-4)).toEqual(['-f', 'webm', '-y', '/x.webm.partial']);
  });

  it('mp4: H.264 with the index at the front', () => {
    const argv = encoderArgv({
      format: 'mp4',
      framesPerSecond: 1,
      width: 1024,
      height: 768,
      output: '/x.mp4',
    });
    expect(after(argv, '-c:v')).toBe('ppm');
    expect(argv).toContain('libx264');
    expect(after(argv, '-movflags')).toBe('+faststart');
    expect(argv.slice(-4)).toEqual(['-f', 'mp4', '-y', '/x.mp4']);
  });

  it('keeps one size: odd sizes rounded up to even (yuv420p), other frame sizes scaled and padded', () => {
    const argv = encoderArgv({
      format: 'mp4',
      framesPerSecond: 2,
      width: 801,
      height: 601,
      output: '/x.mp4',
    });
    expect(after(argv, '-vf')).toBe(
      'scale=802:602:force_original_aspect_ratio=decrease,pad=802:602:(ow-iw)/2:(oh-ih)/2,format=yuv420p',
    );
  });
});
