// The spec contract at the image's door: a spec of another version is refused with exit 65
// and a message naming both versions; a malformed or missing spec exits 64. Nothing starts.
import { VM_SPEC_VERSION } from '../../contract';
import { containerLogs } from '../rig/docker';
import { ImageRig } from './harness';

const rig = new ImageRig('spec');
afterAll(() => rig.dispose());

async function runWith(
  files: Array<{ path: string; content: string }>,
): Promise<{ exitCode: number; log: string }> {
  const container = await rig.createRawContainer(files);
  await container.start();
  const { StatusCode } = (await container.wait()) as { StatusCode: number };
  return { exitCode: StatusCode, log: await containerLogs(container) };
}

function specJson(changes: Record<string, unknown>): string {
  return JSON.stringify({ ...rig.specFor('spec-contract', {}), ...changes });
}

describe('spec contract', () => {
  it(`a spec of version ${VM_SPEC_VERSION + 1} exits 65, naming both versions`, async () => {
    const { exitCode, log } = await runWith([
      { path: 'spec.json', content: specJson({ specVersion: VM_SPEC_VERSION + 1 }) },
    ]);
    expect(exitCode).toBe(65);
    expect(log).toContain(
      `FAILED at spec: the VM spec is version ${VM_SPEC_VERSION + 1}, but this image reads up to version ${VM_SPEC_VERSION}`,
    );
    expect(log).toContain('update the windock image');
    expect(log).not.toMatch(/starting qemu/);
  });

  it('a spec older than the image reads exits 65', async () => {
    const { exitCode, log } = await runWith([{ path: 'spec.json', content: specJson({ specVersion: 0 }) }]);
    expect(exitCode).toBe(65);
    expect(log).toMatch(/the VM spec is version 0, older than this image supports \(1\)/);
  });

  it('a spec that is not JSON exits 64', async () => {
    const { exitCode, log } = await runWith([{ path: 'spec.json', content: '{"specVersion": 1, "name": ' }]);
    expect(exitCode).toBe(64);
    expect(log).toMatch(/FAILED at spec: .*JSON/);
  });

  it('a spec that breaks the schema exits 64, naming the field', async () => {
    const { exitCode, log } = await runWith([
      { path: 'spec.json', content: specJson({ cpu: { cores: 0 }, surprise: true }) },
    ]);
    expect(exitCode).toBe(64);
    expect(log).toMatch(/FAILED at spec: invalid VM spec: .*cpu\.cores/);
    expect(log).toMatch(/surprise/);
  });

  it('no spec at all exits 64', async () => {
    const { exitCode, log } = await runWith([]);
    expect(exitCode).toBe(64);
    expect(log).toContain('no VM spec at /etc/windock/spec.json');
  });
});
