import { recordingName } from './recording';

describe('recordingName', () => {
  it('takes file-safe names', () => {
    expect(recordingName.safeParse('evidence-1').success).toBe(true);
    expect(recordingName.safeParse('run.2025').success).toBe(true);
  });

  it('keeps the suffixes of unfinished files and later segments for itself', () => {
    expect(recordingName.safeParse('x.partial').error?.issues[0]?.message).toBe(
      'names ending in ".partial" are reserved',
    );
    expect(recordingName.safeParse('boot.part2').error?.issues[0]?.message).toBe(
      'names ending in ".part<N>" are reserved for the later files of a recording',
    );
    expect(recordingName.safeParse('../etc').success).toBe(false);
  });
});
