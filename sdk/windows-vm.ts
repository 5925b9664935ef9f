import * as pulumi from '@pulumi/pulumi';
import { defaultVmName } from './default-vm-name';
import {
  WindowsVmOutputs,
  windowsVmOutputNames,
  windowsVmSecretInputFields,
  windowsVmSecretOutputs,
  type WindowsVmArgs,
  type WindowsVmUnattendSettings,
} from './generated/windows-vm';
import { secretFields } from './secret-inputs';
import { windowsVmThinProvider } from './thin-provider';

// The inputs' and outputs' types are generated from the provider's zod schemas (`npm run schema`).
export type {
  WindowsVersion,
  WindowsVmArgs,
  WindowsVmDrivers,
  WindowsVmMedia,
  WindowsVmNic,
  WindowsVmOwnAnswerFile,
  WindowsVmPort,
  WindowsVmUnattend,
  WindowsVmUnattendSettings,
} from './generated/windows-vm';

type In<T> = pulumi.Input<T>;

const SECRET_FIELDS = windowsVmSecretInputFields;

/**
 * Password-like inputs, secret whatever the user passed: a plain string would otherwise land in
 * the state's inputs in plain text (additionalSecretOutputs covers outputs only).
 */
function secretInputs(args: WindowsVmArgs): Partial<WindowsVmArgs> {
  const unattend = secretFields(args.unattend as In<WindowsVmUnattendSettings> | undefined, [
    ...SECRET_FIELDS.unattend,
  ]);
  if (consoleMayCarryKey(args.console))
    return {
      ...(unattend === undefined ? {} : { unattend }),
      console: secretFields(args.console, [...SECRET_FIELDS.console]),
    };
  return unattend === undefined ? {} : { unattend };
}

/** Whether the console inputs may carry a TLS private key (unknown until resolved: yes). */
function consoleMayCarryKey(console: WindowsVmArgs['console']): boolean {
  if (console === undefined) return false;
  if (pulumi.Output.isInstance(console) || console instanceof Promise) return true;
  const tls = (console as { tls?: unknown }).tls;
  return tls !== undefined && tls !== 'generated';
}

/**
 * Inputs that stay secret in state as outputs: unattend (its admin password, product key and
 * domain-join password), and console when it may carry a TLS private key.
 */
function secretInputNames(args: WindowsVmArgs): string[] {
  return Object.keys(SECRET_FIELDS).filter(
    (input) => input !== 'console' || consoleMayCarryKey(args.console),
  );
}

/** Every computed output, registered (undefined) so that each is an output of the resource. */
function outputSlots(): Record<string, undefined> {
  return Object.fromEntries(windowsVmOutputNames.map((key) => [key, undefined]));
}

/** A Windows VM under QEMU in a Docker container on one of the stack's hosts. */
export class WindowsVm extends WindowsVmOutputs {
  /** The VM's name on its host (its container is `windock-<name>`). */
  declare readonly name: pulumi.Output<string>;
  /** The host the VM runs on (from the windock:hosts stack config; "local" by default). */
  declare readonly host: pulumi.Output<string>;

  constructor(name: string, args: WindowsVmArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      windowsVmThinProvider,
      name,
      {
        ...args,
        ...secretInputs(args),
        name: args.name ?? defaultVmName(name, pulumi.getStack()),
        // Present even when left out, so that `vm.host` is an output (the checked default: "local").
        host: args.host,
        ...outputSlots(),
      },
      {
        ...opts,
        additionalSecretOutputs: [
          ...windowsVmSecretOutputs,
          ...secretInputNames(args),
          ...(opts?.additionalSecretOutputs ?? []),
        ],
      },
      'windock',
      'WindowsVm',
    );
  }
}
