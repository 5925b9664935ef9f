import type { NodePath } from './typescript-types';

/** What the SDK's generated types of one resource need beyond its schema source. */
export interface SdkTypesSource {
  /** The resource, as in RESOURCES. */
  resource: string;
  /** Written to sdk/generated/<file>.ts. */
  file: string;
  /** Inputs the SDK fills when the program leaves them out: optional in the Args. */
  filled: readonly string[];
  /** Inputs only the SDK sets: not in the Args. */
  hidden: readonly string[];
  /** Exported names of nested types (the SDK's public names), by where they sit in the inputs. */
  names: Record<NodePath, string>;
  /**
   * Types given as they are, where zod's type is wider than the JSON Schema (an enum built from
   * data at run time): sdk/types-agree.ts holds them to zod's.
   */
  overrides?: Record<NodePath, string>;
}

export const SDK_TYPES: SdkTypesSource[] = [
  {
    resource: 'WindowsVm',
    file: 'windows-vm',
    filled: ['name'],
    hidden: [],
    names: {
      media: 'WindowsVmMedia',
      'media|2.version': 'WindowsVersion',
      drivers: 'WindowsVmDrivers',
      'unattend|0': 'WindowsVmOwnAnswerFile',
      'unattend|1': 'WindowsVmUnattendSettings',
      unattend: 'WindowsVmUnattend',
      'ports[]': 'WindowsVmPort',
      'nics[]': 'WindowsVmNic',
    },
    // The catalogue's language codes are data (provider/media/languages.ts): zod types them string.
    overrides: { 'media|2.language': 'string' },
  },
  { resource: 'WindowsSnapshot', file: 'windows-snapshot', filled: ['name'], hidden: [], names: {} },
  {
    resource: 'GpuAssignment',
    file: 'gpu-assignment',
    filled: [],
    hidden: ['name', 'owner'],
    names: { select: 'GpuSelector' },
  },
];
