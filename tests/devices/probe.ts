// ffprobe (in the windock image) decodes every frame of a recording and reports its codec,
// size and frame count: shared by the container-level and the engine-level device tests.

export interface Probe {
  codec: string;
  width: number;
  height: number;
  frames: number;
}

/** The command, with the video's path appended. */
export const FFPROBE = [
  'ffprobe',
  '-v',
  'error',
  '-count_frames',
  '-select_streams',
  'v:0',
  '-show_entries',
  'stream=codec_name,width,height,nb_read_frames',
  '-of',
  'json',
];

export function parseProbe(stdout: string): Probe {
  const stream = (
    JSON.parse(stdout) as {
      streams: Array<{ codec_name: string; width: number; height: number; nb_read_frames: string }>;
    }
  ).streams[0]!;
  return {
    codec: stream.codec_name,
    width: stream.width,
    height: stream.height,
    frames: Number(stream.nb_read_frames),
  };
}
