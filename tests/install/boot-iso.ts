// A tiny ISO 9660 image (one root directory, a few small files) made in the test: enough for
// QEMU to attach as a CD-ROM and for `file`/blkid to call it ISO 9660. No Debian ISO tool is
// on the test machine, and the image does not need one (windock never modifies an ISO).
const SECTOR = 2048;

function both32(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(value, 0);
  b.writeUInt32BE(value, 4);
  return b;
}

function both16(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(value, 0);
  b.writeUInt16BE(value, 2);
  return b;
}

function dirRecord(name: Buffer, extent: number, size: number, directory: boolean): Buffer {
  const length = 33 + name.length + (name.length % 2 === 0 ? 1 : 0);
  const r = Buffer.alloc(length);
  r[0] = length;
  both32(extent).copy(r, 2);
  both32(size).copy(r, 10);
  Buffer.from([125, 1, 1, 0, 0, 0, 0]).copy(r, 18); // 2025-01-01 00:00:00 GMT
  r[25] = directory ? 2 : 0;
  both16(1).copy(r, 28);
  r[32] = name.length;
  name.copy(r, 33);
  return r;
}

function padded(text: string, length: number): string {
  return text.toUpperCase().padEnd(length, ' ').slice(0, length);
}

/** An ISO 9660 image with these files (names 8.3, upper case) in its root. */
export function makeIso(label: string, files: Record<string, Buffer | string>): Buffer {
  const entries = Object.entries(files).map(([name, content]) => ({
    name: `${name.toUpperCase()};1`,
    data: Buffer.isBuffer(content) ? content : Buffer.from(content),
  }));
  const rootSector = 20;
  let next = 21;
  const placed = entries.map((entry) => {
    const extent = next;
    next += Math.max(1, Math.ceil(entry.data.length / SECTOR));
    return { ...entry, extent };
  });
  const total = next;
  const image = Buffer.alloc(total * SECTOR);

  const root = Buffer.alloc(SECTOR);
  let offset = 0;
  for (const record of [
    dirRecord(Buffer.from([0]), rootSector, SECTOR, true),
    dirRecord(Buffer.from([1]), rootSector, SECTOR, true),
    ...placed.map((f) => dirRecord(Buffer.from(f.name), f.extent, f.data.length, false)),
  ]) {
    record.copy(root, offset);
    offset += record.length;
  }
  root.copy(image, rootSector * SECTOR);
  for (const f of placed) f.data.copy(image, f.extent * SECTOR);

  const pathTable = (bigEndian: boolean): Buffer => {
    const t = Buffer.alloc(10);
    t[0] = 1;
    if (bigEndian) t.writeUInt32BE(rootSector, 2);
    else t.writeUInt32LE(rootSector, 2);
    if (bigEndian) t.writeUInt16BE(1, 6);
    else t.writeUInt16LE(1, 6);
    return t;
  };
  pathTable(false).copy(image, 18 * SECTOR);
  pathTable(true).copy(image, 19 * SECTOR);

  const pvd = Buffer.alloc(SECTOR, 0);
  pvd[0] = 1;
  pvd.write('CD001', 1, 'ascii');
  pvd[6] = 1;
  pvd.write(padded('LINUX', 32), 8, 'ascii');
  pvd.write(padded(label, 32), 40, 'ascii');
  both32(total).copy(pvd, 80);
  both16(1).copy(pvd, 120);
  both16(1).copy(pvd, 124);
  both16(SECTOR).copy(pvd, 128);
  both32(10).copy(pvd, 132);
  pvd.writeUInt32LE(18, 140);
  pvd.writeUInt32BE(19, 148);
  dirRecord(Buffer.from([0]), rootSector, SECTOR, true).copy(pvd, 156);
  pvd.write(' '.repeat(623), 190, 'ascii');
  for (const at of [813, 830, 847, 864]) pvd.write('0000000000000000', at, 'ascii');
  pvd[881] = 1;
  pvd.copy(image, 16 * SECTOR);

  const end = Buffer.alloc(SECTOR);
  end[0] = 255;
  end.write('CD001', 1, 'ascii');
  end[6] = 1;
  end.copy(image, 17 * SECTOR);
  return image;
}
