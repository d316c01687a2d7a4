/**
 * A small, strict ZIP reader and writer on node:zlib, for student submissions.
 *
 * Follows the PKWARE APPNOTE (6.3.x): the End Of Central Directory record locates the central
 * directory; each central entry points at a local header; data is stored (method 0) or raw
 * DEFLATE (method 8, RFC 1951). The reader is defensive because submissions are untrusted:
 * names with `..` segments, absolute paths, drive letters or NUL bytes are rejected (path
 * traversal, "zip slip"), as are symbolic links, encryption, ZIP64, other compression methods,
 * CRC mismatches, and archives that inflate to more than a size limit (zip bombs). The writer
 * makes plain archives (used by tests and the collection benchmark).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { ParseError, UnsupportedError } from "../util/errors";

export interface ZipEntry {
  /** Forward-slash relative path; directories end with "/". */
  name: string;
  data: Buffer;
  isDirectory: boolean;
}

export interface ZipLimits {
  /** Total inflated bytes allowed (default 200 MB). */
  maxTotalBytes?: number;
  /** Entries allowed (default 20000). */
  maxEntries?: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, the ZIP checksum). */
export function crc32(buf: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Checks an entry name; returns the reason it is unsafe, or null. */
export function unsafeName(name: string): string | null {
  if (name.length === 0) return "an empty name";
  if (name.includes("\0")) return "a NUL byte in the name";
  if (name.includes("\\")) return "a backslash in the name (Windows path separators are not allowed)";
  if (name.startsWith("/")) return "an absolute path";
  if (/^[A-Za-z]:/.test(name)) return "a drive letter";
  if (name.split("/").some((s) => s === "..")) return "a `..` segment (path traversal)";
  return null;
}

/** Reads every entry of a ZIP archive held in memory. Throws ParseError/UnsupportedError naming the file and offset. */
export function readZip(buf: Buffer, file = "<zip>", limits: ZipLimits = {}): ZipEntry[] {
  const maxTotal = limits.maxTotalBytes ?? 200 * 1024 * 1024;
  const maxEntries = limits.maxEntries ?? 20000;
  const bad = (msg: string, offset: number) => new ParseError(msg, { location: { file, offset } });
  // The EOCD is the last 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad("not a ZIP archive (no end-of-central-directory record)", Math.max(0, buf.length - 22));
  const disk = buf.readUInt16LE(eocd + 4);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0)
    throw new UnsupportedError("multi-disk ZIP archives are unsupported", { location: { file, offset: eocd } });
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    throw new UnsupportedError("ZIP64 archives are unsupported", { location: { file, offset: eocd } });
  if (count > maxEntries) throw bad(`too many entries (${count}, limit ${maxEntries})`, eocd);
  if (cdOffset + cdSize > eocd) throw bad("central directory lies outside the archive", eocd);
  const out: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN_SIG)
      throw bad(`central directory entry ${n + 1} is damaged`, p);
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const ext = buf.readUInt32LE(p + 38);
    const loc = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString("utf8");
    const where = p;
    p += 46 + nlen + xlen + clen;
    const why = unsafeName(name);
    if (why) throw bad(`entry ${JSON.stringify(name)} is rejected: ${why}`, where);
    if (madeBy === 3 && ((ext >>> 16) & 0o170000) === 0o120000)
      throw bad(`entry ${JSON.stringify(name)} is a symbolic link; links are not accepted in submissions`, where);
    if (flags & 1)
      throw new UnsupportedError(`entry ${JSON.stringify(name)} is encrypted; encrypted archives are unsupported`, {
        location: { file, offset: where },
      });
    if (csize === 0xffffffff || usize === 0xffffffff || loc === 0xffffffff)
      throw new UnsupportedError("ZIP64 entries are unsupported", { location: { file, offset: where } });
    if (seen.has(name)) throw bad(`entry ${JSON.stringify(name)} appears twice`, where);
    seen.add(name);
    if (loc + 30 > buf.length || buf.readUInt32LE(loc) !== LOC_SIG)
      throw bad(`local header of ${JSON.stringify(name)} is damaged`, loc);
    const start = loc + 30 + buf.readUInt16LE(loc + 26) + buf.readUInt16LE(loc + 28);
    if (start + csize > buf.length)
      throw bad(`data of ${JSON.stringify(name)} runs past the end of the archive`, start);
    total += usize;
    if (total > maxTotal) throw bad(`the archive inflates to more than ${maxTotal} bytes (a zip bomb?)`, where);
    const raw = buf.subarray(start, start + csize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) });
      } catch (e) {
        throw bad(`entry ${JSON.stringify(name)} does not inflate: ${(e as Error).message}`, start);
      }
    } else
      throw new UnsupportedError(
        `entry ${JSON.stringify(name)} uses compression method ${method}; only stored (0) and deflate (8) ` +
          `are supported`,
        { location: { file, offset: where } },
      );
    if (data.length !== usize)
      throw bad(`entry ${JSON.stringify(name)} inflates to ${data.length} bytes, the directory says ${usize}`, start);
    if (crc32(data) !== crc) throw bad(`entry ${JSON.stringify(name)} fails its CRC-32 check`, start);
    out.push({ name, data, isDirectory: name.endsWith("/") });
  }
  return out;
}

/** Extracts a ZIP file into `dest` (which must exist). Every entry is checked before anything is written. */
export function extractZip(zipFile: string, dest: string, limits: ZipLimits = {}): string[] {
  const entries = readZip(fs.readFileSync(zipFile), zipFile, limits);
  const root = path.resolve(dest);
  const written: string[] = [];
  for (const e of entries) {
    const target = path.resolve(root, e.name);
    if (target !== root && !target.startsWith(root + path.sep))
      throw new ParseError(`entry ${JSON.stringify(e.name)} would be written outside the folder`, {
        location: { file: zipFile },
      });
  }
  for (const e of entries) {
    const target = path.resolve(root, e.name);
    if (e.isDirectory) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, e.data);
      written.push(e.name);
    }
  }
  return written;
}

/** Builds a ZIP archive (deflate) from entries; names are used as given (tests use this to build hostile archives). */
export function writeZip(entries: Array<{ name: string; data: Buffer | string }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const comp = deflateRawSync(data);
    const name = Buffer.from(e.name, "utf8");
    const crc = crc32(data);
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(LOC_SIG, 0);
    loc.writeUInt16LE(20, 4);
    loc.writeUInt16LE(0x800, 6);
    loc.writeUInt16LE(8, 8);
    loc.writeUInt32LE(crc, 14);
    loc.writeUInt32LE(comp.length, 18);
    loc.writeUInt32LE(data.length, 22);
    loc.writeUInt16LE(name.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(CEN_SIG, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x800, 8);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(comp.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    locals.push(loc, name, comp);
    centrals.push(cen, name);
    offset += loc.length + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(EOCD_SIG, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** Zips a folder (files only, sorted, relative names under an optional prefix). */
export function zipFolder(dir: string, prefix = ""): Buffer {
  const entries: Array<{ name: string; data: Buffer }> = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p, r);
      else if (e.isFile()) entries.push({ name: prefix + r, data: fs.readFileSync(p) });
    }
  };
  walk(dir, "");
  return writeZip(entries);
}
