/**
 * Oracle for the RD/RT codec: tshark (Wireshark's BGP dissector) decodes BGP UPDATEs whose RDs
 * and route targets are our encodings, for random values of every type; its text must equal ours.
 */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { oracle } from "../helpers/oracle";
import { formatRd, formatRt, type AdminValue } from "../../src/vpn/rd";
import { Rng } from "../../src/util/rng";
import { bgpVpnUpdate, pcapOf } from "./wire";

const why = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");

function randomValue(rng: Rng, type: 0 | 1 | 2): AdminValue {
  if (type === 0) return { type, admin: rng.int(0, 0xffff), assigned: rng.int(0, 0xffffffff) };
  if (type === 1)
    return {
      type,
      admin: [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)].join("."),
      assigned: rng.int(0, 0xffff),
    };
  return { type, admin: rng.int(0x10000, 0xffffffff), assigned: rng.int(0, 0xffff) };
}

it(
  "tshark decodes our RD and RT bytes to the same values (every type, 90 random values)",
  { timeout: 60000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(4364);
    const cases: Array<{ rd: AdminValue; rt: AdminValue; label: number }> = [];
    for (let i = 0; i < 90; i++)
      cases.push({
        rd: randomValue(rng, (i % 3) as 0 | 1 | 2),
        rt: randomValue(rng, ((i + 1) % 3) as 0 | 1 | 2),
        label: rng.int(16, 0xfffff),
      });
    // Edge values too: type-2 RD/RT with a 2-byte-sized ASN, zero and maximal fields.
    cases.push({ rd: { type: 2, admin: 65001, assigned: 7 }, rt: { type: 2, admin: 1, assigned: 0xffff }, label: 16 });
    cases.push({
      rd: { type: 0, admin: 0, assigned: 0 },
      rt: { type: 0, admin: 0xffff, assigned: 0xffffffff },
      label: 0xfffff,
    });
    const dir = mkdtempSync(join(tmpdir(), "wlvpn-tshark-"));
    try {
      const file = join(dir, "vpn.pcap");
      writeFileSync(
        file,
        pcapOf(cases.map((c) => bgpVpnUpdate(formatRd(c.rd), "198.51.100.0/24", c.label, [formatRt(c.rt)]))),
      );
      const fields = [
        "bgp.rd",
        "bgp.ext_com.type",
        "bgp.ext_com.value_as2",
        "bgp.ext_com.value_as4",
        "bgp.ext_com.value_IP4",
        "bgp.ext_com.value_an2",
        "bgp.ext_com.value_an4",
        "bgp.label_stack",
      ];
      const r = spawnSync(
        "tshark",
        ["-r", file, "-T", "fields", "-E", "separator=|", ...fields.flatMap((f) => ["-e", f])],
        { encoding: "utf8", timeout: 30000 },
      );
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines.length).toBe(cases.length);
      lines.forEach((line, i) => {
        const [rd, type, as2, as4, ip4, an2, an4, label] = line.split("|");
        const c = cases[i]!;
        const noL = (s: string) => s.replace(/L:/, ":");
        // tshark's RD text: "ASN:NN" or "IP:NN"; the RD's own layout field must match the type we encoded.
        expect(rd, `frame ${i + 1}: RD`).toBe(noL(formatRd(c.rd)));
        const t = Number(type);
        const rt = t === 0 ? `target:${as2}:${an4}` : t === 1 ? `target:${ip4}:${an2}` : `target:${as4}:${an2}`;
        expect(t, `frame ${i + 1}: RT type byte`).toBe(c.rt.type);
        expect(rt, `frame ${i + 1}: RT`).toBe(noL(formatRt(c.rt)));
        expect(label, `frame ${i + 1}: label`).toBe(`${c.label} (bottom)`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
