import { parseReachArgs } from './target-args';

describe('windock console / rdp arguments', () => {
  it('reads the VM, its stack or host, and a local port', () => {
    expect(parseReachArgs(['web-1'])).toEqual({ vm: 'web-1', port: 0 });
    expect(parseReachArgs(['--stack', 'prod', '--port', '8443', 'web-1'])).toEqual({
      vm: 'web-1',
      stack: 'prod',
      port: 8443,
    });
    expect(parseReachArgs(['web-1', '--host', 'lab-2'])).toEqual({ vm: 'web-1', host: 'lab-2', port: 0 });
  });

  it('refuses ports that are not port numbers, and what it does not know', () => {
    for (const bad of ['0', '65536', '-1', '80.5', '0x50', '1e3', ' 80']) {
      expect(() => parseReachArgs(['--port', bad, 'vm'])).toThrow(/--port takes a port number/);
    }
    expect(() => parseReachArgs(['--port'])).toThrow('--port needs a value');
    expect(() => parseReachArgs(['--bind', '0.0.0.0', 'vm'])).toThrow('unknown option --bind');
    expect(() => parseReachArgs([])).toThrow('name the VM');
    expect(() => parseReachArgs(['a', 'b'])).toThrow('unexpected argument "b"');
  });
});
