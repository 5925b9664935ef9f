import { parseRecordArgs } from './record';

describe('parseRecordArgs', () => {
  it('start with a name, frame rate and format', () => {
    expect(
      parseRecordArgs(['start', 'dev-01', '--name', 'login-test', '--fps', '5', '--format', 'mp4']),
    ).toEqual({
      action: 'start',
      vm: 'dev-01',
      name: 'login-test',
      framesPerSecond: 5,
      format: 'mp4',
    });
  });

  it('stop, status and list on another host, or the host the stack knows', () => {
    expect(parseRecordArgs(['stop', '--host', 'lab-1', 'dev-01'])).toEqual({
      action: 'stop',
      host: 'lab-1',
      vm: 'dev-01',
    });
    expect(parseRecordArgs(['list', 'dev-01']).action).toBe('list');
    expect(parseRecordArgs(['status', '--stack', 'prod', 'dev-01'])).toEqual({
      action: 'status',
      stack: 'prod',
      vm: 'dev-01',
    });
  });

  it('refuses what it cannot do, saying what to write instead', () => {
    expect(() => parseRecordArgs(['pause', 'dev-01'])).toThrow(/start, stop, status or list \(not "pause"\)/);
    expect(() => parseRecordArgs(['start'])).toThrow(/name the VM/);
    expect(() => parseRecordArgs(['start', 'dev-01', '--fps', '60'])).toThrow(/1 to 30/);
    expect(() => parseRecordArgs(['start', 'dev-01', '--format', 'avi'])).toThrow(/webm or mp4/);
    expect(() => parseRecordArgs(['start', 'dev-01', '--name', '../x'])).toThrow(/--name: letters/);
    expect(() => parseRecordArgs(['stop', 'dev-01', '--name', 'x'])).toThrow(/goes with "record start"/);
  });
});
