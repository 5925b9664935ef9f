// Compile-time proof that the SDK's generated types are the provider's zod types: a stale
// sdk/generated/ (an input added, renamed, retyped or made required) fails `tsc` here.
import type * as pulumi from '@pulumi/pulumi';
import type { z } from 'zod';
import type { gpuAssignmentInputs } from '../provider/resources/gpu-assignment/inputs';
import type { gpuAssignmentComputed } from '../provider/resources/gpu-assignment/outputs';
import type {
  windowsSnapshotComputed,
  windowsSnapshotInputs,
} from '../provider/resources/windows-snapshot/inputs';
import type { windowsVmInputs } from '../provider/resources/windows-vm/inputs';
import type { windowsVmComputed } from '../provider/resources/windows-vm/outputs';
import type { GpuAssignmentArgs, GpuAssignmentOutputs } from './generated/gpu-assignment';
import type { WindowsSnapshotArgs, WindowsSnapshotOutputs } from './generated/windows-snapshot';
import type { WindowsVmArgs, WindowsVmOutputs } from './generated/windows-vm';

/** A value as the provider receives it: every pulumi.Input resolved, objects flattened. */
type Plain<T> =
  T extends pulumi.OutputInstance<infer U>
    ? Plain<U>
    : T extends Promise<infer U>
      ? Plain<U>
      : T extends readonly (infer E)[]
        ? Plain<E>[]
        : T extends object
          ? { [K in keyof T]: Plain<T[K]> }
          : T;

/** True only when A and B are the same type (not merely assignable either way). */
type Equals<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

type Assert<T extends true> = T;

/** The zod input as the SDK takes it: the inputs it fills optional, those it sets itself gone. */
type SdkView<T, Filled extends keyof T, Hidden extends keyof T> = Omit<T, Filled | Hidden> &
  Partial<Pick<T, Filled>>;

/** The computed outputs a generated outputs class declares, as plain values. */
type Declared<C> = {
  -readonly [
    K in keyof C as K extends keyof pulumi.CustomResource
      ? never
      : C[K] extends pulumi.Output<unknown>
        ? K
        : never
  ]: Plain<C[K]>;
};

export type SdkTypesAgree = [
  Assert<Equals<Plain<WindowsVmArgs>, Plain<SdkView<z.input<typeof windowsVmInputs>, 'name', never>>>>,
  Assert<
    Equals<Plain<WindowsSnapshotArgs>, Plain<SdkView<z.input<typeof windowsSnapshotInputs>, 'name', never>>>
  >,
  Assert<
    Equals<
      Plain<GpuAssignmentArgs>,
      Plain<SdkView<z.input<typeof gpuAssignmentInputs>, never, 'name' | 'owner'>>
    >
  >,
  Assert<Equals<Declared<WindowsVmOutputs>, Plain<z.output<typeof windowsVmComputed>>>>,
  Assert<Equals<Declared<WindowsSnapshotOutputs>, Plain<z.output<typeof windowsSnapshotComputed>>>>,
  Assert<Equals<Declared<GpuAssignmentOutputs>, Plain<z.output<typeof gpuAssignmentComputed>>>>,
];
