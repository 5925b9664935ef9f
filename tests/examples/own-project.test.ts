import { rmSync } from 'node:fs';
import { standinGuestDir } from '../rig/standin-guest';
import {
  consumersParent,
  makeConsumer,
  npmInstall,
  previewOneVm,
  pulumiCopies,
} from './own-project/consumer';

/**
 * The README's first screen: windock added to a user's own Pulumi project from a checkout.
 * Real npm (from the cache the set-up filled), the real Pulumi engine, the local Docker engine.
 */
describe("windock in a user's own project (README: from a checkout)", () => {
  const parent = consumersParent();
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('a plain file: dependency brings a second @pulumi/pulumi and every resource fails to register', () => {
    const dir = makeConsumer(parent, false);
    npmInstall(dir);
    expect(pulumiCopies(dir)).toHaveLength(2);
    const preview = previewOneVm(dir, standinGuestDir());
    expect(preview.status).not.toBe(0);
    expect(preview.output).toMatch(/Request message serialization failure/);
  });

  it('with install-links=true in .npmrc: one @pulumi/pulumi, and `import { WindowsVm }` previews a VM', () => {
    const dir = makeConsumer(parent, true);
    npmInstall(dir);
    expect(pulumiCopies(dir)).toHaveLength(1);
    const preview = previewOneVm(dir, standinGuestDir());
    expect(preview.output).not.toMatch(/serialization failure/);
    expect(preview.status).toBe(0);
    expect(preview.output).toMatch(/CHANGE-SUMMARY \{"create":2\}/);
  });
});
