import { connect } from 'node:net';
import { RUNTIME_PATHS } from '../../../contract';
import type { QmpClient } from '../../../lib/qmp/qmp-client';
import type { StatusFile } from '../status';
import type { Log } from './log';

/** Reads the readiness beacon: the guest writes WINDOCK-READY when its desktop is up. */
export function watchBeacon(status: StatusFile, log: Log, onReady: () => void = () => undefined): void {
  const socket = connect(RUNTIME_PATHS.beacon);
  let buffered = '';
  socket.on('data', (data) => {
    buffered += data.toString('utf8');
    if (buffered.includes('WINDOCK-READY') && !status.current.guest.beacon) {
      status.update({ guest: { ...status.current.guest, beacon: true } });
      log('guest beacon: desktop ready');
      onReady();
    }
    buffered = buffered.slice(-64);
  });
  socket.on('error', () => undefined);
}

/** The guest agent's port: open while the agent runs in the guest. */
export function watchGuestPorts(monitor: QmpClient, status: StatusFile): void {
  monitor.events.on('VSERPORT_CHANGE', (event) => {
    if (event.data.id === 'qga')
      status.update({ guest: { ...status.current.guest, agent: event.data.open === true } });
  });
}
