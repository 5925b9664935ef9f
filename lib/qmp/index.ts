export { connectUnix, type ConnectUnixOptions } from './connect-unix';
export {
  QmpConnectionError,
  QmpError,
  QmpJobError,
  QmpProtocolError,
  QmpTimeoutError,
  SnapshotLoadError,
} from './errors';
export { QmpEventHub, type QmpEventListener, type WaitForEventOptions } from './event-hub';
export { hmpErrorText } from './hmp';
export { FramingError, LineFramer, type Frame } from './line-framer';
export { listSnapshots, type NodeSnapshots, type SnapshotInfo } from './list-snapshots';
export {
  QmpClient,
  type ExecuteAndWaitOptions,
  type ExecuteOptions,
  type QmpConnectOptions,
} from './qmp-client';
export { runJob, type RunJobOptions } from './run-job';
export {
  recoverAfterFailedLoad,
  snapshotDelete,
  snapshotLoad,
  snapshotSave,
  type RecoverOptions,
  type SnapshotTarget,
} from './snapshots';
export type { QmpEvent, QmpGreeting, QmpStatus, QmpVersion } from './types';
export { powerdown, queryStatus, quit } from './vm-control';
