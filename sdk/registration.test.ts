import * as pulumi from '@pulumi/pulumi';
import * as registration from '@pulumi/pulumi/runtime/resource';
import { gpuAssignmentComputed } from '../provider/resources/gpu-assignment/outputs';
import { windowsSnapshotComputed } from '../provider/resources/windows-snapshot/inputs';
import {
  SECRET_INPUT_FIELDS,
  SECRET_OUTPUTS,
  windowsVmComputed,
} from '../provider/resources/windows-vm/outputs';
import { GpuAssignment } from './gpu-assignment';
import { gpuAssignmentOutputNames } from './generated/gpu-assignment';
import { windowsSnapshotOutputNames } from './generated/windows-snapshot';
import {
  windowsVmOutputNames,
  windowsVmSecretInputFields,
  windowsVmSecretOutputs,
} from './generated/windows-vm';
import { WindowsSnapshot } from './windows-snapshot';
import { WindowsVm } from './windows-vm';

// The dynamic provider's closure cannot be serialized under jest; its text does not matter here.
jest.mock('@pulumi/pulumi/runtime/closure/serializeClosure', () => ({
  serializeFunction: async () => ({ text: 'exports.handler = {}', containsSecrets: false }),
}));

/** The properties and options each resource was registered with, by its name. */
const props = new Map<string, Record<string, unknown>>();
const options = new Map<string, pulumi.CustomResourceOptions>();

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: () => ({}),
    },
    'project',
    'stack',
    true,
  );
  const register = registration.registerResource;
  jest.spyOn(registration, 'registerResource').mockImplementation((...args) => {
    const [, , , name, , , , inputs, opts] = args;
    props.set(name, inputs as Record<string, unknown>);
    options.set(name, opts as pulumi.CustomResourceOptions);
    return register(...args);
  });
});

/** The Output properties a resource object carries (its inputs' too). */
function outputKeys(resource: object): string[] {
  return Object.entries(resource)
    .filter(([, value]) => pulumi.Output.isInstance(value))
    .map(([key]) => key);
}

const keys = (zodObject: { shape: object }) => Object.keys(zodObject.shape);
const media = { kind: 'disk-image' as const, file: 'x.qcow2', format: 'qcow2' as const };

describe('the SDK registers every output the resources compute', () => {
  it('WindowsVm: its computed outputs, name and host', () => {
    const vm = new WindowsVm('vm', { media });
    expect(outputKeys(vm)).toEqual(expect.arrayContaining([...keys(windowsVmComputed), 'name', 'host']));
  });

  it('WindowsSnapshot: its computed outputs and name', () => {
    const snapshot = new WindowsSnapshot('snap', { vm: 'uuid', containerName: 'windock-vm' });
    expect(outputKeys(snapshot)).toEqual(expect.arrayContaining([...keys(windowsSnapshotComputed), 'name']));
  });

  it('GpuAssignment: its computed outputs', () => {
    const gpu = new GpuAssignment('gpu', { vm: 'vm', select: { index: 0 } });
    expect(outputKeys(gpu)).toEqual(expect.arrayContaining(keys(gpuAssignmentComputed)));
  });
});

describe('the generated output lists', () => {
  it.each([
    ['WindowsVm', windowsVmOutputNames, windowsVmComputed],
    ['WindowsSnapshot', windowsSnapshotOutputNames, windowsSnapshotComputed],
    ['GpuAssignment', gpuAssignmentOutputNames, gpuAssignmentComputed],
  ] as const)('%s: exactly the computed outputs', (_name, generated, computed) => {
    expect([...generated].sort()).toEqual(keys(computed).sort());
  });

  it('WindowsVm: the secret outputs and secret input fields of the resource', () => {
    expect(windowsVmSecretOutputs).toEqual(SECRET_OUTPUTS);
    expect(windowsVmSecretInputFields).toEqual(SECRET_INPUT_FIELDS);
  });
});

describe("WindowsVm's secrets are the resource's", () => {
  it('marks the secret outputs and unattend; console only when it may carry a key', () => {
    new WindowsVm('plain', { media, console: { tls: 'generated' } });
    expect([...(options.get('plain')?.additionalSecretOutputs ?? [])].sort()).toEqual(
      [...SECRET_OUTPUTS, 'unattend'].sort(),
    );
    new WindowsVm('keyed', { media, console: { tls: { certificate: 'c', privateKey: 'k' } } });
    expect([...(options.get('keyed')?.additionalSecretOutputs ?? [])].sort()).toEqual(
      [...SECRET_OUTPUTS, ...Object.keys(SECRET_INPUT_FIELDS)].sort(),
    );
  });

  it('keeps the secret outputs a program adds', () => {
    new WindowsVm('more', { media }, { additionalSecretOutputs: ['labels'] });
    expect(options.get('more')?.additionalSecretOutputs).toContain('labels');
  });

  it('marks the password-like input fields secret however they were passed', async () => {
    new WindowsVm('install', {
      media,
      unattend: { adminPassword: 'plain', productKey: 'key', adminUser: 'admin' },
      console: { tls: { certificate: 'c', privateKey: 'k' } },
    });
    const given = props.get('install') as {
      unattend: Record<string, unknown>;
      console: Record<string, unknown>;
    };
    const isSecret = (value: unknown) =>
      pulumi.Output.isInstance(value) ? pulumi.isSecret(value) : Promise.resolve(false);
    for (const field of SECRET_INPUT_FIELDS.unattend)
      if (field in given.unattend) expect(await isSecret(given.unattend[field])).toBe(true);
    expect(await isSecret(given.unattend.adminUser)).toBe(false);
    expect(await isSecret(given.console.tls)).toBe(true);
  });
});
