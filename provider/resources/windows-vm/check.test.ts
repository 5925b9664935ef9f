import { checkWindowsVm, CREATE_IMPACT, UNKNOWN } from './check';

const media = { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' };

describe('checkWindowsVm', () => {
  it('normalizes units, fills defaults and sorts keyed lists', () => {
    const outcome = checkWindowsVm(
      {},
      {
        name: 'build-01',
        media,
        memory: '8GiB',
        ports: [
          { name: 'web', guest: 80 },
          { name: 'ssh', guest: 22 },
        ],
      },
    );
    if (!outcome.ok || 'unknown' in outcome) throw new Error('expected a checked VM');
    expect(outcome.inputs).toMatchObject({
      memory: 8192,
      systemDiskSize: 65536,
      cpu: 2,
      host: 'local',
      accelerator: 'auto',
      console: { enabled: true, bind: '127.0.0.1', auth: 'token', viewOnly: false },
      rdp: { enabled: true, bind: '127.0.0.1' },
      changeImpact: CREATE_IMPACT,
    });
    expect(outcome.inputs.ports.map((p) => p.name)).toEqual(['ssh', 'web']);
    expect(outcome.inputs.ports[0]).toMatchObject({ protocol: 'tcp', bind: '127.0.0.1' });
  });

  it('fails with the field and the fix for bad input', () => {
    const outcome = checkWindowsVm(
      {},
      { name: 'Build 01!', media, memory: 'lots', tpm: true, firmware: 'bios' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const reasons = outcome.failures.map((f) => `${f.property} | ${f.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name \| name: use lowercase letters/),
        expect.stringMatching(
          /^memory \| memory: "lots" is not a size: write a number with a unit, like "8GiB"/,
        ),
      ]),
    );
  });

  it('refuses combinations that cannot work', () => {
    const outcome = checkWindowsVm({}, { name: 'a', media, tpm: true, firmware: 'bios' });
    expect(outcome).toEqual({
      ok: false,
      failures: [{ property: 'tpm', reason: expect.stringMatching(/a TPM needs UEFI/) }],
    });
  });

  it('puts the planned impact into the inputs so the preview shows it', () => {
    const old = checkWindowsVm({}, { name: 'a', media, cpu: 2 });
    if (!old.ok) throw new Error('unreachable');
    const next = checkWindowsVm(old.inputs, { name: 'a', media, cpu: 4 });
    expect(next.ok && next.inputs.changeImpact).toMatch(/^restart: cpu 2 → 4/);
    // An unchanged VM says so, rather than repeating the change that made it.
    const same = checkWindowsVm(next.ok ? next.inputs : {}, { name: 'a', media, cpu: 4 });
    expect(same.ok && same.inputs.changeImpact).toBe('none: no change');
  });

  it('carries the VM identity in its inputs, so that a preview knows what its dependents see', () => {
    const created = checkWindowsVm({}, { name: 'a', media, cpu: 2 });
    if (!created.ok) throw new Error('unreachable');
    expect(created.inputs).toMatchObject({
      vmUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      macAddress: expect.stringMatching(/^52:54:00:/),
      containerName: 'windock-a',
      volumeName: expect.stringMatching(/^windock-a-[0-9a-f]{8}$/),
    });
    const uuid = (created.inputs as { vmUuid: string }).vmUuid;
    // The same VM (live, restart): its identity, not a new one.
    const restarted = checkWindowsVm(created.inputs, { name: 'a', media, cpu: 4 });
    expect(restarted.ok && restarted.inputs).toMatchObject({ vmUuid: uuid, containerName: 'windock-a' });
    // A replaced VM is another VM.
    const replaced = checkWindowsVm(created.inputs, {
      name: 'a',
      media: { ...media, file: '/images/other.qcow2' },
      cpu: 4,
    });
    expect(replaced.ok && replaced.inputs).toMatchObject({ containerName: 'windock-a' });
    expect(replaced.ok && (replaced.inputs as { vmUuid: string }).vmUuid).not.toBe(uuid);
    // Old inputs an older provider stored, which no longer parse, are still the same VM.
    const legacy = checkWindowsVm({ ...(created.inputs as object), cpu: 'two' }, { name: 'a', media });
    expect(legacy.ok && (legacy.inputs as { vmUuid: string }).vmUuid).toBe(uuid);
    // An adopted VM's identity is found on the host at create: unknown until then.
    const adopting = checkWindowsVm({}, { name: 'a', media, adopt: { container: 'x' } });
    expect(adopting.ok && (adopting.inputs as { vmUuid?: string }).vmUuid).toBeUndefined();
  });

  it('refuses a restart-tier change at preview when the restart policy says so', () => {
    const old = checkWindowsVm({}, { name: 'a', media, cpu: 2, restartPolicy: 'refuse' });
    if (!old.ok) throw new Error('unreachable');
    const next = checkWindowsVm(old.inputs, { name: 'a', media, cpu: 4, restartPolicy: 'refuse' });
    expect(next).toEqual({
      ok: false,
      failures: [
        {
          property: 'cpu',
          reason: expect.stringMatching(/needs a restart of VM "a", and its restartPolicy is "refuse"/),
        },
      ],
    });
  });

  it('refuses a disk shrink at preview', () => {
    const old = checkWindowsVm({}, { name: 'a', media, systemDiskSize: '64GiB' });
    if (!old.ok) throw new Error('unreachable');
    expect(checkWindowsVm(old.inputs, { name: 'a', media, systemDiskSize: '32GiB' })).toMatchObject({
      ok: false,
      failures: [{ property: 'systemDiskSize' }],
    });
  });

  it('waits for unknown values instead of failing the preview', () => {
    expect(checkWindowsVm({}, { name: 'a', media: { ...media, file: UNKNOWN } })).toMatchObject({
      ok: true,
      unknown: true,
    });
  });
});
