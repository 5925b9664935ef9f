import type { HostConfig } from '../../hosts';
import { remoteAccessText } from './remote-access';

const vm = { name: 'web-1', console: { enabled: true }, rdp: { enabled: true } };
const ssh = { name: 'lab-1', kind: 'ssh', host: '10.0.0.5' } as HostConfig;

describe('remoteAccess output', () => {
  it('gives the tunnel commands for a VM on another host, with the stack', () => {
    expect(remoteAccessText(vm, ssh, 'prod')).toBe(
      'console: windock console web-1 --stack prod; rdp: windock rdp web-1 --stack prod',
    );
    expect(remoteAccessText({ ...vm, rdp: { enabled: false } }, ssh, '')).toBe(
      'console: windock console web-1 --host lab-1',
    );
  });
  it('is empty on the local host, where consoleUrl and rdpEndpoint open as they are', () => {
    expect(remoteAccessText(vm, { name: 'local', kind: 'local' } as HostConfig, 'prod')).toBe('');
  });
});
