import type { WindowsVmInputs } from './inputs';

/** Bumped when the shape of the state changes; delete and refresh read older states too. */
export const STATE_VERSION = 1;

/** Outputs echo every input (the engine diffs old outputs against new inputs) plus these. */
export interface WindowsVmComputed {
  stateVersion: number;
  /** What the last change did, and why (the preview shows the planned one as changeImpact). */
  changeImpact: string;
  vmUuid: string;
  macAddress: string;
  serial: string;
  containerName: string;
  containerId: string;
  volumeName: string;
  specHash: string;
  phase: string;
  /** The accelerator QEMU really runs with (kvm, or tcg where KVM is not usable). */
  activeAccelerator: string;
  /** Host ports Docker bound, by "containerPort/protocol". */
  publishedPorts: Record<string, number>;
  consoleUrl: string;
  consoleToken: string;
  rdpEndpoint: string;
  /** A restart-tier change recorded under restartPolicy "pending", not applied yet. */
  restartPending: boolean;
  /** The guest's IP addresses, from the guest agent (empty until it answers). */
  guestAddresses: string[];
  warnings: string[];
}

export type WindowsVmOutputs = WindowsVmInputs & WindowsVmComputed;

/** Outputs that carry secrets derived from nothing secret in the inputs. */
export const SECRET_OUTPUTS = ['consoleToken', 'consoleUrl'] as const;

const COMPUTED_KEYS: Array<keyof WindowsVmComputed> = [
  'stateVersion',
  'changeImpact',
  'vmUuid',
  'macAddress',
  'serial',
  'containerName',
  'containerId',
  'volumeName',
  'specHash',
  'phase',
  'activeAccelerator',
  'publishedPorts',
  'consoleUrl',
  'consoleToken',
  'rdpEndpoint',
  'restartPending',
  'guestAddresses',
  'warnings',
];

/** The input part of old outputs (or of old check results, which carry changeImpact). */
export function inputsOf(values: Record<string, unknown>): Record<string, unknown> {
  const inputs = { ...values };
  for (const key of COMPUTED_KEYS) delete inputs[key];
  // The dynamic provider host's own key (the serialized provider); it adds it back itself.
  delete inputs.__provider;
  return inputs;
}
