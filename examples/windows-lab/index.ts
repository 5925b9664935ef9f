import * as pulumi from '@pulumi/pulumi';
import { WindowsSnapshot, WindowsVm, type WindowsVmMedia } from 'windock';

const config = new pulumi.Config();

// One password for both administrators, kept encrypted in the stack config:
//   pulumi config set --secret adminPassword '...'
const adminPassword = config.requireSecret('adminPassword');
// Windows under software emulation (TCG) takes hours to install: refuse to run without KVM.
const accelerator = (config.get('accelerator') as 'auto' | 'kvm' | 'tcg' | undefined) ?? 'kvm';
const samplesDir = config.get('samplesDir') ?? '/srv/windows-lab/samples';
const resultsDir = config.get('resultsDir') ?? '/srv/windows-lab/results';

// Install media: Microsoft's own download by default, or an ISO already on the Docker host
// (`pulumi config set desktopIso /srv/iso/Win11_24H2_English_x64.iso`) where it cannot be reached.
function installMedia(isoConfigKey: string, windows: WindowsVmMedia & { kind: 'windows' }): WindowsVmMedia {
  const iso = config.get(isoConfigKey);
  if (!iso) return windows;
  return { kind: 'iso', hostPath: iso, version: windows.version, edition: windows.edition };
}

// The analysis desktop: Windows 11 Pro, installed unattended, on a private NAT network that
// reaches the internet but not the LAN, the host or the other VM.
const desktop = new WindowsVm('desktop', {
  media: installMedia('desktopIso', { kind: 'windows', version: '11', edition: 'pro', language: 'en-us' }),
  unattend: {
    adminUser: 'labadmin',
    adminPassword,
    computerName: 'LAB-DESKTOP',
    timeZone: config.get('timeZone') ?? 'UTC',
    firstLogonCommands: [
      // Never send samples to Microsoft, and never sleep in the middle of a run.
      'powershell -NoProfile -Command "Set-MpPreference -SubmitSamplesConsent 2"',
      'powercfg /change standby-timeout-ac 0',
    ],
  },
  cpu: config.getNumber('cpu') ?? 4,
  memory: config.get('memory') ?? '8GiB',
  systemDiskSize: '80GiB',
  firmware: 'uefi-secure',
  tpm: true,
  accelerator,
  nics: [{ mode: 'nat', egress: { policy: 'internet' } }],
  rdp: { enabled: true, bind: '127.0.0.1' },
  shares: [
    // \\host.lan\Samples: the guest reads the samples and cannot change them.
    { name: 'Samples', hostPath: samplesDir, readOnly: true },
    // \\host.lan\Results: what the run writes back (reports, dumps, pcaps).
    { name: 'Results', hostPath: resultsDir },
  ],
  // The guest signs in as "lab" with a generated password: the sharePassword output.
  shareAuth: { user: 'lab' },
  audio: { capture: 'wav' },
  recording: { onStart: true, framesPerSecond: 2, format: 'webm' },
  // Wait for the first logon of the installed desktop, so the snapshot below is of a clean,
  // logged-on Windows. Download plus install: allow three hours.
  readiness: 'beacon',
  timeouts: { createSeconds: 3 * 3600 },
});

// Back to this state before each experiment: restoreFrom: { snapshot: 'clean', generation: N }.
const clean = new WindowsSnapshot('clean', {
  vm: desktop.vmUuid,
  containerName: desktop.containerName,
  name: 'clean',
  memory: true,
  description: 'Windows 11 Pro installed, first logon done, before any sample ran',
});

// A Windows Server 2022 evaluation (180 days) on the LAN itself: its container joins a macvlan
// Docker network with a fixed address, and the guest answers there on every port (RDP included).
const serverAddress = config.require('serverAddress');
const server = new WindowsVm('server', {
  media: installMedia('serverIso', { kind: 'windows', version: 'server-2022', edition: 'standard' }),
  unattend: { adminUser: 'labadmin', adminPassword, computerName: 'LAB-SERVER' },
  cpu: 2,
  memory: '4GiB',
  firmware: 'uefi',
  accelerator,
  nics: [{ mode: 'lan', dockerNetwork: config.require('lanNetwork'), ipv4Address: serverAddress }],
  // RDP is reached at the LAN address, not forwarded to the Docker host.
  rdp: { enabled: false },
  readiness: 'beacon',
  timeouts: { createSeconds: 3 * 3600 },
});

export const desktopConsole = desktop.consoleUrl;
export const serverConsole = server.consoleUrl;
export const desktopRdp = desktop.rdpEndpoint;
export const serverRdp = `${serverAddress}:3389`;
export const sharePassword = desktop.sharePassword;
export const cleanSnapshotTakenAt = clean.createdAt;
export const desktopChangeImpact = desktop.changeImpact;
