export { connectUnix, type ConnectUnixOptions } from '../../lib/qmp/connect-unix';
export { GuestAgentError, type GuestAgentErrorDetails, type GuestAgentErrorKind } from './errors';
export {
  GuestAgentClient,
  type CallOptions,
  type GuestAgentOptions,
  type GuestInfo,
  type ShutdownMode,
  type ShutdownOptions,
} from './guest-agent-client';
export { guestExec, type ExecOptions, type ExecResult } from './guest-exec';
export { fileRead, fileWrite, type FileOptions } from './guest-file';
export { fromGuestTimeNs, getTime, setTime, toGuestTimeNs } from './guest-time';
