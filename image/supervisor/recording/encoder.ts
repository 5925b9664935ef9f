import type { RecordingFormat } from '../../../contract/recording';

export interface EncoderOptions {
  format: RecordingFormat;
  framesPerSecond: number;
  /** The video's size: the screen's when the recording started. */
  width: number;
  height: number;
  output: string;
}

const even = (n: number) => n + (n % 2);

/**
 * ffmpeg reading PPM screenshots from stdin at a constant frame rate and writing VP8 in WebM or
 * H.264 in MP4. Frames of another size (the guest changed its resolution) are scaled to fit and
 * padded, so one recording keeps one size. The file is complete once stdin ends and ffmpeg
 * exits 0. Pure.
 */
export function encoderArgv(options: EncoderOptions): string[] {
  const w = even(options.width);
  const h = even(options.height);
  const fps = String(options.framesPerSecond);
  const keyframeEvery = String(options.framesPerSecond * 10);
  const codec =
    options.format === 'webm'
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '2M', '-auto-alt-ref', '0']
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-movflags', '+faststart'];
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'image2pipe',
    '-c:v',
    'ppm',
    '-framerate',
    fps,
    '-i',
    'pipe:0',
    '-vf',
    `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,format=yuv420p`,
    '-r',
    fps,
    '-g',
    keyframeEvery,
    '-threads',
    '2',
    ...codec,
    '-f',
    options.format,
    '-y',
    options.output,
  ];
}
