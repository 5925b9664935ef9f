import { bindMountSource, parseMountinfo } from './mountinfo';

// The helper's mount table: the host's "/" at /host, /srv/x a bind mount of the host's /etc,
// /srv/disk a second disk, /srv/sub a bind mount of a folder of that disk.
const MOUNTINFO = [
  '100 90 254:0 / / ro,relatime - overlay overlay rw',
  '101 100 254:0 / /host ro,relatime - ext4 /dev/vda rw',
  '102 101 254:0 /etc /host/srv/x rw,relatime - ext4 /dev/vda rw',
  '103 101 8:16 / /host/srv/disk rw,relatime - ext4 /dev/sdb rw',
  '104 101 8:16 /vms/a\\040b /host/srv/sub rw,relatime - ext4 /dev/sdb rw',
  '105 101 8:32 /etc /host/srv/lonely rw,relatime - ext4 /dev/sdc rw',
].join('\n');

describe('bindMountSource', () => {
  const mounts = parseMountinfo(MOUNTINFO);

  it('reveals a bind mount of a system folder, which no link shows', () => {
    expect(bindMountSource(mounts, '/host', '/srv/x')).toBe('/etc');
    expect(bindMountSource(mounts, '/host', '/srv/x/ssh')).toBe('/etc/ssh');
  });

  it('maps a bind mount of another disk to where that disk is mounted whole', () => {
    expect(bindMountSource(mounts, '/host', '/srv/sub/c')).toBe('/srv/disk/vms/a b/c');
  });

  it('is undefined for plain folders and whole mounts', () => {
    expect(bindMountSource(mounts, '/host', '/srv/data')).toBeUndefined();
    expect(bindMountSource(mounts, '/host', '/srv/disk/vms')).toBeUndefined();
  });

  it('falls back to the path inside a file system mounted nowhere whole', () => {
    expect(bindMountSource(mounts, '/host', '/srv/lonely')).toBe('/etc');
  });
});
