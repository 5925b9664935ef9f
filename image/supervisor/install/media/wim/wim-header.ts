// The fixed 208-byte WIM header: where the XML image list lies in the file. `wimlib-imagex info`
// lists images from the header and the XML alone once the header records no blob table, so a
// sparse copy holding just those two is enough to list a multi-GiB install.wim/esd (the blob
// table is left out: in a solid install.esd it points into LZMS resources the copy lacks).
// Layout: wimlib's include/wimlib/header.h; dockur's src/image.sh (readIsoImageInfo) reads the
// same header fields.
const MAGIC = Buffer.from('MSWIM\0\0\0', 'latin1');
export const WIM_HEADER_BYTES = 208;
const BLOB_TABLE_RESHDR = 0x30;
const XML_RESHDR = 0x48;
const RESHDR_BYTES = 24;

export interface ByteRange {
  offset: number;
  length: number;
}

/** A resource header: 7 bytes stored size, 1 byte flags, 8 bytes offset, 8 bytes original size. */
function resource(header: Buffer, at: number): ByteRange {
  const length = header.readUIntLE(at, 6) + header[at + 6]! * 2 ** 48;
  return { offset: Number(header.readBigUInt64LE(at + 8)), length };
}

/** The header to write into the copy (no blob table) and the XML's range, or an error saying what is wrong. */
export function wimListing(header: Buffer): { header: Buffer; xml: ByteRange } {
  if (header.length < WIM_HEADER_BYTES || !header.subarray(0, 8).equals(MAGIC))
    throw new Error('it does not start with a WIM header (MSWIM)');
  const xml = resource(header, XML_RESHDR);
  if (xml.length === 0) throw new Error('its WIM header records no XML image list');
  const copy = Buffer.from(header.subarray(0, WIM_HEADER_BYTES));
  copy.fill(0, BLOB_TABLE_RESHDR, BLOB_TABLE_RESHDR + RESHDR_BYTES);
  return { header: copy, xml };
}
