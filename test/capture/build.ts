/**
 * Test helper: writes capture files in the variants real tools do not all write (big-endian pcap
 * and pcapng, nanosecond pcap, pcapng with simple or obsolete packet blocks, several sections and
 * interfaces with different link types), so the reader can be checked on each and tshark can
 * confirm that each file is what it claims to be.
 */

export interface Pkt {
  time: number;
  data: Uint8Array;
  iface?: number;
  origLen?: number;
}

class W {
  private parts: number[] = [];
  constructor(readonly le: boolean) {}
  u8(v: number) {
    this.parts.push(v & 255);
    return this;
  }
  u16(v: number) {
    const b = [v & 255, (v >> 8) & 255];
    this.parts.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u32(v: number) {
    const b = [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
    this.parts.push(...(this.le ? b : b.reverse()));
    return this;
  }
  bytes(b: Uint8Array) {
    this.parts.push(...b);
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  raw(b: number[]) {
    this.parts.push(...b);
    return this;
  }
  get length() {
    return this.parts.length;
  }
  out() {
    return Uint8Array.from(this.parts);
  }
}

/** Classic pcap, either byte order, microsecond or nanosecond timestamps. */
export function pcap(
  pkts: Pkt[],
  o: { bigEndian?: boolean; nano?: boolean; linktype?: number; snaplen?: number } = {},
): Uint8Array {
  const w = new W(!o.bigEndian);
  w.u32(o.nano ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(o.snaplen ?? 262144)
    .u32(o.linktype ?? 1);
  for (const p of pkts) {
    const sec = Math.floor(p.time);
    const frac = Math.round((p.time - sec) * (o.nano ? 1e9 : 1e6));
    w.u32(sec)
      .u32(frac)
      .u32(p.data.length)
      .u32(p.origLen ?? p.data.length);
    w.raw([...p.data]);
  }
  return w.out();
}

export interface NgSection {
  interfaces: Array<{ linktype: number; snaplen?: number; tsresol?: number }>;
  packets: Pkt[];
  block?: "epb" | "spb" | "pb";
  extra?: "isb";
}

function block(le: boolean, type: number, body: (w: W) => void): number[] {
  const w = new W(le);
  body(w);
  const len = 12 + w.length;
  const b = new W(le).u32(type).u32(len);
  return [...b.out(), ...w.out(), ...new W(le).u32(len).out()];
}

/** pcapng: one or more sections, each with its interfaces and packets; either byte order. */
export function pcapng(sections: NgSection[], o: { bigEndian?: boolean } = {}): Uint8Array {
  const le = !o.bigEndian;
  const out: number[] = [];
  for (const s of sections) {
    out.push(
      ...block(le, 0x0a0d0d0a, (w) => {
        w.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
      }),
    );
    for (const i of s.interfaces) {
      out.push(
        ...block(le, 1, (w) => {
          w.u16(i.linktype)
            .u16(0)
            .u32(i.snaplen ?? 0);
          if (i.tsresol !== undefined) {
            w.u16(9).u16(1).u8(i.tsresol).u8(0).u8(0).u8(0);
          }
          w.u16(0).u16(0);
        }),
      );
    }
    for (const p of s.packets) {
      const iface = s.interfaces[p.iface ?? 0]!;
      const r = iface.tsresol ?? 6;
      const units = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      const ts = BigInt(Math.floor(p.time)) * BigInt(units) + BigInt(Math.round((p.time - Math.floor(p.time)) * units));
      const hi = Number(ts >> 32n),
        lo = Number(ts & 0xffffffffn);
      // A simple packet block holds min(original length, snaplen) bytes.
      if (s.block === "spb")
        out.push(
          ...block(le, 3, (w) => {
            w.u32(p.origLen ?? p.data.length).bytes(iface.snaplen ? p.data.subarray(0, iface.snaplen) : p.data);
          }),
        );
      else if (s.block === "pb")
        out.push(
          ...block(le, 2, (w) => {
            w.u16(p.iface ?? 0)
              .u16(0)
              .u32(hi)
              .u32(lo)
              .u32(p.data.length)
              .u32(p.origLen ?? p.data.length)
              .bytes(p.data);
          }),
        );
      else
        out.push(
          ...block(le, 6, (w) => {
            w.u32(p.iface ?? 0)
              .u32(hi)
              .u32(lo)
              .u32(p.data.length)
              .u32(p.origLen ?? p.data.length)
              .bytes(p.data);
          }),
        );
    }
    if (s.extra === "isb")
      out.push(
        ...block(le, 5, (w) => {
          w.u32(0).u32(0).u32(0).u16(0).u16(0);
        }),
      );
  }
  return Uint8Array.from(out);
}
