import { connectVmAgent } from '../../vm/agent-exec';
import type { HostContext } from './launch';

interface GuestInterface {
  name: string;
  'ip-addresses'?: Array<{ 'ip-address': string; 'ip-address-type': 'ipv4' | 'ipv6' }>;
}

/** The guest's addresses (not loopback) from its agent; empty when the agent does not answer. */
export async function guestAddresses(context: HostContext, containerId: string): Promise<string[]> {
  try {
    const agent = await connectVmAgent(context.docker, containerId, 5000);
    try {
      const interfaces = await agent.execute<GuestInterface[]>('guest-network-get-interfaces', undefined, {
        timeoutMs: 5000,
      });
      return interfaces
        .filter((i) => i.name !== 'lo')
        .flatMap((i) => (i['ip-addresses'] ?? []).map((a) => a['ip-address']))
        .filter((address) => !address.startsWith('fe80'));
    } finally {
      agent.close();
    }
  } catch {
    return [];
  }
}
