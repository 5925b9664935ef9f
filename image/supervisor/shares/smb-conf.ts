import { natGateway, routedNics, type NetworkSpec, type SharesSpec } from '../../../contract';

/** Samba's own files, all on the container's /run tmpfs: nothing of it outlives the container. */
export const SAMBA_DIR = '/run/windock/samba';
export const SMB_CONF = `${SAMBA_DIR}/smb.conf`;

/** The owner of a share's folder: the guest acts as this account in that share. */
export interface FolderOwner {
  uid: number;
  gid: number;
}

export interface SambaAccounts {
  /** Lines for /etc/passwd and /etc/group that the configuration relies on. */
  passwd: string[];
  group: string[];
}

export interface SambaPlan extends SambaAccounts {
  conf: string;
  /** The SMB user whose password goes into Samba's passdb (none for guest access). */
  user?: string;
}

export interface SambaContext {
  /** The owner of each share's folder, by share path. */
  owners: Record<string, FolderOwner>;
  /**
   * Whether the supervisor may change its uid (CAP_SETUID). Without it, every share is served
   * as root (files the guest makes belong to root), which is all a root-owned volume needs.
   */
  canSetUid: boolean;
}

/**
 * The interfaces smbd listens on: loopback (a user-mode NIC's 10.0.2.2 is the container's
 * loopback) and the bridge of each NAT/LAN NIC (the guest's gateway, host.lan). Never the
 * container's own outward interface.
 */
export function smbInterfaces(network: NetworkSpec): string[] {
  return ['127.0.0.1/8', ...routedNics(network).map((nic) => natGateway(nic).bridge)];
}

/** The account name of a folder owner (root stays root; others get a windock-u<uid> alias). */
function ownerAccount(owner: FolderOwner, canSetUid: boolean): string | undefined {
  if (!canSetUid || owner.uid === 0) return undefined;
  return `windock-u${owner.uid}`;
}

/**
 * The Samba configuration and the accounts it needs, for these shares. Pure.
 *
 * The SMB user is a second name of uid 0 in the container: smbd then never changes its uid
 * to authenticate it, which keeps the capabilities at CAP_SETGID (setgroups). In each share
 * the guest acts as the owner of the share's folder (`force user`), which needs CAP_SETUID,
 * so files the guest writes into a user's folder on the host belong to that user.
 */
export function sambaPlan(shares: SharesSpec, network: NetworkSpec, context: SambaContext): SambaPlan {
  const guest = shares.auth.kind === 'guest';
  const user = shares.auth.kind === 'user' ? shares.auth.user : 'windock-guest';
  const passwd = [`${user}:x:0:0:windock share user:/nonexistent:/usr/sbin/nologin`];
  const group: string[] = [];
  const seen = new Set<number>();
  for (const share of shares.shares) {
    const owner = context.owners[share.path] ?? { uid: 0, gid: 0 };
    const account = ownerAccount(owner, context.canSetUid);
    if (!account || seen.has(owner.uid)) continue;
    seen.add(owner.uid);
    passwd.push(`${account}:x:${owner.uid}:${owner.gid}:windock share owner:/nonexistent:/usr/sbin/nologin`);
    group.push(`${account}:x:${owner.gid}:`);
  }

  const global = [
    'server role = standalone server',
    'server string = windock',
    'workgroup = WORKGROUP',
    // SMB1 is off; Windows 8 and later speak SMB3.
    'server min protocol = SMB2_10',
    `interfaces = ${smbInterfaces(network).join(' ')}`,
    'bind interfaces only = yes',
    'smb ports = 445',
    'disable netbios = yes',
    'load printers = no',
    'printing = bsd',
    'printcap name = /dev/null',
    'disable spoolss = yes',
    'usershare max shares = 0',
    'security = user',
    `passdb backend = tdbsam:${SAMBA_DIR}/passdb.tdb`,
    `private dir = ${SAMBA_DIR}/private`,
    `state directory = ${SAMBA_DIR}/state`,
    `cache directory = ${SAMBA_DIR}/cache`,
    `lock directory = ${SAMBA_DIR}/lock`,
    `pid directory = ${SAMBA_DIR}`,
    `ncalrpc dir = ${SAMBA_DIR}/ncalrpc`,
    `binddns dir = ${SAMBA_DIR}/bind-dns`,
    'logging = file',
    `log file = ${SAMBA_DIR}/smbd.log`,
    'log level = 1',
    'max log size = 1000',
    'restrict anonymous = 2',
    'unix extensions = no',
    // Links in a share never lead out of it.
    'follow symlinks = yes',
    'wide links = no',
    ...(guest
      ? ['map to guest = bad user', `guest account = ${user}`]
      : ['map to guest = never', 'server signing = mandatory']),
  ];
  const sections = shares.shares.map((share) => {
    const owner = context.owners[share.path] ?? { uid: 0, gid: 0 };
    const account = ownerAccount(owner, context.canSetUid);
    return [
      `[${share.name}]`,
      `path = ${share.path}`,
      `read only = ${share.readOnly ? 'yes' : 'no'}`,
      'browseable = yes',
      ...(guest ? ['guest ok = yes', 'guest only = yes'] : [`valid users = ${user}`, 'guest ok = no']),
      ...(account ? [`force user = ${account}`, `force group = ${account}`] : []),
    ];
  });
  const conf =
    ['# Written by the windock supervisor from the VM spec; regenerated at each start.', '[global]']
      .concat(global.map((line) => `  ${line}`))
      .concat(...sections.map((section) => ['', section[0]!, ...section.slice(1).map((line) => `  ${line}`)]))
      .join('\n') + '\n';
  return { conf, passwd, group, ...(guest ? {} : { user }) };
}
