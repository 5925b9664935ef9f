import { sampleSpec } from '../../../contract/sample-spec';
import { sharesSpec, type NetworkSpec, type SharesSpec } from '../../../contract';
import { hasCapability, smbdCommand } from './smbd';
import { sambaPlan, smbInterfaces } from './smb-conf';

const userNetwork = sampleSpec().network;
const natNetwork: NetworkSpec = {
  hostName: 'host.lan',
  nics: [
    ...userNetwork.nics,
    {
      mode: 'nat',
      name: 'net1',
      model: 'virtio-net-pci',
      mac: '52:54:00:12:34:57',
      ports: [],
      egress: { policy: 'internet', allow: [] },
      subnetV4: '172.30.5.0/24',
    },
  ],
};

const shares: SharesSpec = sharesSpec.parse({
  shares: [
    { name: 'Data', path: '/shares/Data', readOnly: false, hostIdentity: { kind: 'unchecked' } },
    { name: 'Tools', path: '/shares/Tools', readOnly: true, hostIdentity: { kind: 'volume' } },
  ],
  auth: { kind: 'user', user: 'windock', secret: 'share-password' },
});

/** The value of `key` in the section `section` of a generated smb.conf. */
function setting(conf: string, section: string, key: string): string | undefined {
  let current = '';
  for (const line of conf.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header) current = header[1]!;
    const pair = /^\s*([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair && current === section && pair[1] === key) return pair[2];
  }
  return undefined;
}

describe('smb.conf generation', () => {
  const rootOwned = { owners: {}, canSetUid: true };

  it('serves only the declared shares, SMB2 and later, no printers, no guests', () => {
    const { conf, user } = sambaPlan(shares, userNetwork, rootOwned);
    expect(user).toBe('windock');
    expect(conf.match(/^\[.+\]$/gm)).toEqual(['[global]', '[Data]', '[Tools]']);
    expect(setting(conf, 'global', 'server min protocol')).toBe('SMB2_10');
    expect(setting(conf, 'global', 'load printers')).toBe('no');
    expect(setting(conf, 'global', 'disable spoolss')).toBe('yes');
    expect(setting(conf, 'global', 'map to guest')).toBe('never');
    expect(setting(conf, 'global', 'usershare max shares')).toBe('0');
    expect(setting(conf, 'global', 'wide links')).toBe('no');
    expect(setting(conf, 'Data', 'valid users')).toBe('windock');
    expect(setting(conf, 'Data', 'guest ok')).toBe('no');
    expect(setting(conf, 'Data', 'read only')).toBe('no');
    expect(setting(conf, 'Tools', 'read only')).toBe('yes');
    expect(setting(conf, 'Tools', 'path')).toBe('/shares/Tools');
  });

  it("keeps Samba's state in /run/windock, never in the image's /var/lib/samba", () => {
    const { conf } = sambaPlan(shares, userNetwork, rootOwned);
    for (const key of [
      'passdb backend',
      'private dir',
      'state directory',
      'cache directory',
      'lock directory',
    ])
      expect(setting(conf, 'global', key)).toMatch(/\/run\/windock\/samba/);
  });

  it('binds to loopback only with a user-mode NIC, and adds each NAT bridge', () => {
    expect(smbInterfaces(userNetwork)).toEqual(['127.0.0.1/8']);
    expect(smbInterfaces(natNetwork)).toEqual(['127.0.0.1/8', 'br-net1']);
    const { conf } = sambaPlan(shares, natNetwork, rootOwned);
    expect(setting(conf, 'global', 'interfaces')).toBe('127.0.0.1/8 br-net1');
    expect(setting(conf, 'global', 'bind interfaces only')).toBe('yes');
  });

  it('opens shares to guests only when the spec says so', () => {
    const open = sambaPlan({ ...shares, auth: { kind: 'guest' } }, userNetwork, rootOwned);
    expect(open.user).toBeUndefined();
    expect(setting(open.conf, 'global', 'map to guest')).toBe('bad user');
    expect(setting(open.conf, 'Data', 'guest ok')).toBe('yes');
    expect(setting(open.conf, 'Data', 'guest only')).toBe('yes');
    expect(setting(open.conf, 'Data', 'valid users')).toBeUndefined();
  });

  it('makes the share user a name of uid 0 and serves each folder as its owner', () => {
    const plan = sambaPlan(shares, userNetwork, {
      owners: { '/shares/Data': { uid: 1000, gid: 1001 }, '/shares/Tools': { uid: 0, gid: 0 } },
      canSetUid: true,
    });
    expect(plan.passwd).toEqual([
      'windock:x:0:0:windock share user:/nonexistent:/usr/sbin/nologin',
      'windock-u1000:x:1000:1001:windock share owner:/nonexistent:/usr/sbin/nologin',
    ]);
    expect(plan.group).toEqual(['windock-u1000:x:1001:']);
    expect(setting(plan.conf, 'Data', 'force user')).toBe('windock-u1000');
    expect(setting(plan.conf, 'Tools', 'force user')).toBeUndefined();
  });

  it('serves everything as root without CAP_SETUID', () => {
    const plan = sambaPlan(shares, userNetwork, {
      owners: { '/shares/Data': { uid: 1000, gid: 1000 } },
      canSetUid: false,
    });
    expect(plan.passwd).toHaveLength(1);
    expect(plan.conf).not.toMatch(/force user/);
  });
});

describe('the shares spec', () => {
  it('refuses duplicate share names, whatever their case', () => {
    const result = sharesSpec.safeParse({
      shares: [
        { name: 'Data', path: '/shares/Data', readOnly: false, hostIdentity: { kind: 'volume' } },
        { name: 'data', path: '/shares/data', readOnly: false, hostIdentity: { kind: 'volume' } },
      ],
      auth: { kind: 'guest' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(
      'duplicate share "data" (share names ignore case)',
    );
  });

  it("refuses Samba's own section names and system accounts as the user", () => {
    const base = {
      shares: [{ name: 'homes', path: '/shares/homes', readOnly: false }],
      auth: { kind: 'guest' },
    };
    expect(sharesSpec.safeParse(base).success).toBe(false);
    expect(
      sharesSpec.safeParse({
        shares: [{ name: 'Data', path: '/shares/Data', readOnly: false }],
        auth: { kind: 'user', user: 'root', secret: 'share-password' },
      }).success,
    ).toBe(false);
  });
});

describe('capability probe', () => {
  it('reads CapEff bits', () => {
    const status = 'Name:\tnode\nCapEff:\t00000000000000c0\n';
    expect(hasCapability(6, status)).toBe(true);
    expect(hasCapability(7, status)).toBe(true);
    expect(hasCapability(12, status)).toBe(false);
    expect(hasCapability(6, 'CapEff:\t0000000000000000\n')).toBe(false);
  });
});

describe('smbd command', () => {
  it('starts smbd through capsh with only SETGID (and SETUID when the container has it)', () => {
    expect(smbdCommand(true).args.slice(0, 3)).toEqual([
      '--caps=cap_setgid,cap_setuid+ep',
      '--shell=/usr/sbin/smbd',
      '--',
    ]);
    expect(smbdCommand(false).args[0]).toBe('--caps=cap_setgid+ep');
    expect(smbdCommand(true).args).toContain('/run/windock/samba/smb.conf');
  });
});
