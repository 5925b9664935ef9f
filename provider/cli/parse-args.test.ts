import { parseExecArgs } from './main';

describe('windock exec arguments', () => {
  it('parses host, VM and the command after --', () => {
    expect(parseExecArgs(['--host', 'lab-1', 'build-01', '--', 'cmd.exe', '/c', 'echo', '--host'])).toEqual({
      host: 'lab-1',
      vm: 'build-01',
      command: ['cmd.exe', '/c', 'echo', '--host'],
      timeoutSeconds: 600,
      stdin: false,
      discard: false,
    });
  });
  it('leaves the host to the stack unless --host says it', () => {
    const args = parseExecArgs(['--stack', 'prod', 'build-01', '--', 'true']);
    expect(args).toMatchObject({ stack: 'prod', vm: 'build-01' });
    expect(args.host).toBeUndefined();
  });
  it('takes the throwaway mode only with --discard', () => {
    expect(parseExecArgs(['--from-snapshot', 'golden', '--discard', 'vm', '--', 'true'])).toMatchObject({
      fromSnapshot: 'golden',
      discard: true,
    });
    expect(() => parseExecArgs(['--from-snapshot', 'golden', 'vm', '--', 'true'])).toThrow(/add --discard/);
    expect(() => parseExecArgs(['--discard', 'vm', '--', 'true'])).toThrow(/goes with --from-snapshot/);
  });
  it('refuses a missing VM or command and unknown options', () => {
    expect(() => parseExecArgs(['--', 'true'])).toThrow(/name the VM/);
    expect(() => parseExecArgs(['vm'])).toThrow(/after --/);
    expect(() => parseExecArgs(['--bogus', 'vm', '--', 'x'])).toThrow(/unknown option/);
    expect(() => parseExecArgs(['--timeout', '0', 'vm', '--', 'x'])).toThrow(/whole number/);
  });
});
