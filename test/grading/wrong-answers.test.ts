// Plausible wrong answers, tried as a learner would: each one must lose points on the PUBLIC tests
// (so hidden tests never take back marks for the lesson itself), and the failing public test's
// message must name the misconception (matched by a regex on the teaching text), never just "wrong".
// Specs run in-process here (the isolation of learner code is tested in isolation.test.ts).
import * as path from "node:path";
import { readFileSync } from "node:fs";
import type { Exercise, TestContext } from "../../src/grading/spec";
import { evaluateInteger } from "../../src/grading/expr";
import { exercises as dh } from "../../src/dh/exercises";
import { exercises as dlog } from "../../src/dlog/exercises";
import { exercises as dhcp } from "../../src/dhcp/exercises";
import { exercises as shell } from "../../src/shell/exercises";
import { exercises as start } from "../../src/start/exercises";
import { exercises as vpn } from "../../src/vpn/exercises";
import { byHandDatabase } from "../../src/dlog/exdata";
import { it, expect } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const all: Exercise[] = [...dh, ...dlog, ...dhcp, ...shell, ...start, ...vpn];
const byId = (id: string) => {
  const e = all.find((x) => x.id === id);
  if (!e) throw new Error(`no exercise ${id}`);
  return e;
};

export interface WrongCase {
  id: string;
  /** What the learner wrote (a value, a module-like object, or a file's text). */
  answer: unknown;
  /** The misconception, as the failing public message must name it. */
  teaches: RegExp;
  why: string;
}

async function runPublic(ex: Exercise, answer: unknown) {
  const ctx: TestContext = { root: ROOT, evaluate: evaluateInteger };
  const out: Array<{ name: string; points: number; pass: boolean; message: string }> = [];
  for (const t of ex.public) {
    let r: { pass: boolean; message: string };
    try {
      const v = await t.run(answer, ctx);
      r = typeof v === "boolean" ? { pass: v, message: "" } : v;
    } catch (e) {
      r = { pass: false, message: `threw ${(e as Error).message}` };
    }
    out.push({ name: t.name, points: t.points, ...r });
  }
  return out;
}

export function checkWrong(cases: WrongCase[]): void {
  for (const c of cases) {
    it(`${c.id}: ${c.why}`, { timeout: 60_000 }, async () => {
      const ex = byId(c.id);
      const r = await runPublic(ex, c.answer);
      const earned = r.filter((x) => x.pass).reduce((s, x) => s + x.points, 0);
      const full = r.reduce((s, x) => s + x.points, 0);
      expect(
        earned < full,
        `public tests give full marks (${earned}/${full}) to a wrong answer: ${c.why}`,
      ).toBeTruthy();
      const msgs = r.filter((x) => !x.pass).map((x) => x.message);
      expect(
        msgs.some((m) => c.teaches.test(m)),
        `no failing message teaches ${c.teaches}:\n${msgs.join("\n")}`,
      ).toBeTruthy();
    });
  }
}

const fixture = (rel: string) => readFileSync(path.join(ROOT, rel), "utf8");
export { fixture, byId };

const L = (q: bigint) => String(byHandDatabase().find((r) => r.prime === q)!.log);

it("dh.modpow: the 2048-bit public test explains a timeout (multiplying exp times)", () => {
  const t = byId("dh.modpow").public.find((x) => /2048-bit/.test(x.name));
  expect(t, "the size lesson must be a PUBLIC test").toBeTruthy();
  expect(t.timeoutHint ?? "").toMatch(/repeated squaring needs one squaring per bit/i);
});

// ------------------------------------------------------------------ notebook 00 / 01 / 02 / 03
checkWrong([
  {
    id: "mod.ex9",
    answer: "-1",
    teaches: /negative.*add the modulus.*-1 \+ 13/,
    why: "−1 is congruent to the residue but is not one",
  },
  { id: "mod.ex1", answer: "30", teaches: /not a residue mod 9.*subtract multiples of 9/, why: "forgot to reduce" },
  { id: "mod.ex4", answer: "103*42", teaches: /not a residue mod 17/, why: "the product, unreduced" },
  {
    id: "dh.modpow",
    answer: { modPow: (b: bigint, e: bigint, m: bigint) => b ** e % m },
    teaches: /Maximum BigInt size.*cannot finish.*reduce mod m at every step/s,
    why: "base ** exp % m: right on small numbers, hopeless at 2048 bits",
  },
  {
    id: "dh.modpow",
    answer: { modPow: (b: bigint, e: bigint, m: bigint) => Number(b) ** Number(e) % Number(m) },
    teaches: /a number, expected a bigint/,
    why: "number arithmetic instead of bigint",
  },
  {
    id: "dlog.byhand",
    answer: `(3*${L(3n)} + ${L(5n)} + ${L(7n)}) mod 1019`,
    teaches: /order of g.*1018/,
    why: "reduced mod p instead of p − 1",
  },
  {
    id: "dlog.byhand",
    answer: `(${L(3n)} + ${L(5n)} + ${L(7n)}) mod 1018`,
    teaches: /L\(3\) three times/,
    why: "forgot the exponent 3 of 3^3",
  },
  {
    id: "dlog.byhand",
    answer: `3*${L(3n)} + ${L(5n)} + ${L(7n)}`,
    teaches: /not a residue mod 1018/,
    why: "did not reduce",
  },
  { id: "dlog.weakgroup", answer: "A", teaches: /safe prime.*2047-bit prime/s, why: "picks the RFC 3526 group" },
  { id: "dlog.weakgroup", answer: "C", teaches: /fresh prime defeats precomputation/, why: "picks a fresh safe prime" },
  { id: "dlog.weakgroup", answer: "D", teaches: /no small subgroup/, why: "picks ffdhe3072" },
]);

// ------------------------------------------------------------------ notebook 06
const FIXED = fixture("solutions/dhcp/relay.conf");
const O82 = { circuitId: "lan0", remoteId: "", serverReceives82: true, serverEchoes82: true, clientReceives82: false };
checkWrong([
  {
    id: "dhcp.fix",
    answer: FIXED.replace("dhcprelay server 10.20.30.10 EGRESS\n", ""),
    teaches: /VIP .* is gone.*every address a reply may come from/,
    why: "replaces the VIP by the physical address",
  },
  {
    id: "dhcp.fix",
    answer: FIXED.replace("dhcprelay enable SERVERS-ZONE\n", ""),
    teaches: /still|SERVERS-ZONE/,
    why: "drops the enable line",
  },
  {
    id: "dhcp.dropper",
    answer: "A",
    teaches: /empty GUI does not mean a drop.*offloaded/,
    why: "blames the firewall whose GUI is empty",
  },
  { id: "dhcp.dropper", answer: "B", teaches: /same reason as palo/, why: "blames forti" },
  { id: "dhcp.dropper", answer: "D", teaches: /server does send OFFERs/, why: "believes the server is silent" },
  { id: "dhcp.dropper", answer: "E", teaches: /last segment where the OFFER shows up/, why: "blames the client" },
  {
    id: "dhcp.dropper2",
    answer: "C",
    teaches: /with the relay fixed.*packet-tracer/,
    why: "stays with the first diagnosis",
  },
  { id: "dhcp.dropper2", answer: "A", teaches: /palo forwards the OFFER/, why: "blames palo" },
  {
    id: "dhcp.option82",
    answer: { ...O82, clientReceives82: true },
    teaches: /removes option 82 from the reply.*never sees/,
    why: "thinks the client sees option 82",
  },
  {
    id: "dhcp.option82",
    answer: { ...O82, serverEchoes82: false },
    teaches: /echoes it, unchanged/,
    why: "thinks the server drops option 82",
  },
  {
    id: "dhcp.option82",
    answer: { ...O82, circuitId: "10.0.1.1" },
    teaches: /address is already in giaddr/,
    why: "puts the relay's address in circuit-id",
  },
  {
    id: "dhcp.option82",
    answer: { ...O82, remoteId: "52:54:00:12:34:56" },
    teaches: /not the client.*chaddr/,
    why: "puts the client's MAC in remote-id",
  },
  {
    id: "dhcp.option82",
    answer: { ...O82, serverReceives82: false },
    teaches: /server is the one that reads it/,
    why: "thinks option 82 stays on the relay",
  },
  {
    id: "dhcp.option82",
    answer: { ...O82, remoteId: "relay" },
    teaches: /optional.*dhcrelay -a.*only a circuit-id/,
    why: "assumes every relay sends a remote-id",
  },
]);

it("no dhcp.dropper choice states a diagnosis, and a wrong choice is never told the right one", async () => {
  const { DROPPER_CHOICES } = await import("../../src/dhcp/exdata");
  for (const c of DROPPER_CHOICES) expect(c, c).not.toMatch(/accepts|configured servers|VIP|drops/i);
  for (const id of ["dhcp.dropper", "dhcp.dropper2", "dlog.weakgroup"]) {
    const ex = byId(id);
    for (const letter of ["A", "B", "C", "D", "E"]) {
      const r = await runPublic(ex, letter);
      if (r[0]!.pass) continue;
      expect(r[0]!.message, `${id} ${letter}: ${r[0]!.message}`).not.toMatch(
        /\b[A-E] is right|answer is [A-E]|choose [A-E]/,
      );
      expect(r[0]!.message.length > 60, `${id} ${letter}: the message should teach, got ${r[0]!.message}`).toBeTruthy();
    }
  }
});

// ------------------------------------------------------------------ notebook 07
const IFS_RIGHT = [
  ["f", "a", "", "b"],
  ["f", "a", "b"],
  ["f", "a b"],
  ["f", "x:y", "x", "y"],
  ["f", "", "a"],
  ["f", "p", "q", ""],
  ["f", "a", "", "b"],
];
const withLine = (k: number, words: string[]) => IFS_RIGHT.map((w, i) => (i === k ? words : w));
const fastCli = (body: string) => `fast_cli() {\n  ${body}\n}\n`;
checkWrong([
  {
    id: "shell.ifs",
    answer: withLine(0, ["f", "a", "", "b", ""]),
    teaches: /at the end closes the last field/,
    why: "JavaScript split(): a trailing delimiter makes an empty field",
  },
  {
    id: "shell.ifs",
    answer: withLine(0, ["f", "a", "b"]),
    teaches: /two in a row .* enclose an EMPTY field/,
    why: "treats ':' like white space (runs merge)",
  },
  {
    id: "shell.ifs",
    answer: withLine(1, ["f", "", "a", "", "b", ""]),
    teaches: /IFS white space .* never makes empty fields/,
    why: "splits on every IFS character, white space included",
  },
  {
    id: "shell.ifs",
    answer: withLine(2, ["f", "a", "b"]),
    teaches: /IFS='' .* no field splitting/,
    why: "thinks empty IFS means the default",
  },
  {
    id: "shell.fastcli",
    answer: fastCli(`docker exec "\${1}" bash -c "echo -e \\"\${commands}\\" | FastCli -p15 -e"`),
    teaches: /ran `id`.*command substitution.*data became code/s,
    why: "escaped double quotes around ${commands}: the apostrophe passes, `id` runs in the container",
  },
  {
    id: "shell.fastcli",
    answer: fastCli(`docker exec "\${1}" bash -c 'echo -e '"'\${commands}'"' | FastCli -p15 -e'`),
    teaches: /apostrophe in the data closed the single quotes/,
    why: "the blog's version: single quotes around the data",
  },
  {
    id: "shell.fastcli",
    answer: fastCli(`docker exec "\${1}" bash -c 'echo -e "$1" | FastCli -p15 -e' "\${commands}"`),
    teaches: /becomes \$0/,
    why: "the argument version without the $0 placeholder",
  },
  {
    id: "shell.fastcli",
    answer: fastCli(`docker exec "\${1}" bash -c 'echo -e $1 | FastCli -p15 -e' _ "\${commands}"`),
    teaches: /globbing|split into words on IFS/,
    why: "the argument version with $1 unquoted inside",
  },
  {
    id: "shell.fastcli",
    answer: fastCli(`echo -e "\${commands}" | FastCli -p15 -e`),
    teaches: /must still run docker exec/,
    why: "skips the container altogether",
  },
]);
checkWrong([
  {
    id: "shell.ifs",
    answer: withLine(3, ["f", "x", "y", "x", "y"]),
    teaches: /quoted expansion "\$v" is never split/,
    why: "splits the quoted expansion too",
  },
  {
    id: "shell.ifs",
    answer: withLine(5, ["f", "p", "q"]),
    teaches: /two in a row .* enclose an EMPTY field/,
    why: "drops trailing empty fields (as Perl's split does)",
  },
  {
    id: "shell.ifs",
    answer: withLine(4, ["f", "a"]),
    teaches: /one at the start\) enclose an EMPTY field/,
    why: "ignores a leading ':' like leading white space",
  },
]);

// ------------------------------------------------------------------ every lesson's classic mistakes are public
const validate = (f: (y: bigint, p: bigint, q: bigint) => string) => ({ checkPeerKey: f });
const sub = (y: bigint, p: bigint, q: bigint) => {
  let r = 1n,
    b = y % p,
    e = q;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % p;
    b = (b * b) % p;
    e >>= 1n;
  }
  return r;
};
checkWrong([
  {
    id: "start.wildcard",
    answer: {
      wildcardMask: (n: number) => {
        const h = ~(0xffffffff << (32 - n)) >>> 0;
        if (n < 0 || n > 32 || !Number.isInteger(n)) throw new RangeError("x");
        return [24, 16, 8, 0].map((s) => (h >>> s) & 255).join(".");
      },
    },
    teaches: /1 << 32 is 1/,
    why: "shifts by 32 (a /0 mask)",
  },
  {
    id: "start.wildcard",
    answer: {
      wildcardMask: (n: number) => {
        const h = 2 ** (32 - n) - 1;
        return [2 ** 24, 2 ** 16, 2 ** 8, 1].map((d) => Math.floor(h / d) % 256).join(".");
      },
    },
    teaches: /must throw a RangeError/,
    why: "never rejects a bad length",
  },
  {
    id: "dh.validate",
    answer: validate((y, p, q) => (y < 2n || y > p - 1n ? "range" : sub(y, p, q) === 1n ? "ok" : "subgroup")),
    teaches: /p − 1 has order 2/,
    why: "range up to p − 1",
  },
  {
    id: "dh.validate",
    answer: validate((y, p, q) => {
      const r = ((y % p) + p) % p;
      return r < 2n || r > p - 2n ? "range" : sub(r, p, q) === 1n ? "ok" : "subgroup";
    }),
    teaches: /raw value, before any reduction/,
    why: "reduces y mod p before the range check",
  },
  {
    id: "dh.validate",
    answer: validate((y, p, q) => (y < 2n || y > p - 2n ? "range" : y ** q % p === 1n ? "ok" : "subgroup")),
    teaches: /cannot finish|fast modPow/,
    why: "y ** q for the subgroup check",
  },
  {
    id: "dh.trace",
    answer: {
      binary: "101011",
      squares: [5, 2, 4, 16, 3, 9],
      used: [true, false, true, false, true, true],
      result: 14,
    },
    teaches: /read the binary string from the right/,
    why: "used read most significant bit first",
  },
  {
    id: "dhcp.forward",
    answer: {
      forwardRequest: (p: { giaddr: string; hops: number }, ip: string, max: number) =>
        p.hops + 1 >= max ? "drop" : { giaddr: p.giaddr === "0.0.0.0" ? ip : p.giaddr, hops: p.hops + 1 },
    },
    teaches: /still allowed: discard only when it would EXCEED/,
    why: "drops at hops + 1 == max (off by one)",
  },
  {
    id: "dhcp.forward",
    answer: {
      forwardRequest: (p: { giaddr: string; hops: number }, ip: string, max: number) =>
        p.hops > max ? "drop" : { giaddr: p.giaddr === "0.0.0.0" ? ip : p.giaddr, hops: p.hops + 1 },
    },
    teaches: /would exceed the limit: RFC 1542/,
    why: "compares hops, not hops + 1, with the limit",
  },
  {
    id: "dhcp.forward",
    answer: { forwardRequest: (p: { giaddr: string; hops: number }, ip: string) => ({ giaddr: ip, hops: p.hops + 1 }) },
    teaches: /first relay's address must survive/,
    why: "every relay overwrites giaddr",
  },
  {
    id: "shell.quote-one",
    answer: { quoteWord: (s: string) => (s === "" ? "''" : s.replace(/([^A-Za-z0-9_])/g, "\\$1")) },
    teaches: /line continuation/,
    why: "backslash before every special character (a newline vanishes)",
  },
]);

it("dhcp.hops and dhcp.decode: the reply's lessons are public", async () => {
  const { expectedHops, expectedDecode } = await import("../../src/dhcp/exdata");
  const rows = expectedHops().map((r) => (r.msg === "OFFER" ? { ...r, srcIp: "10.20.30.10" } : r));
  const h = await runPublic(byId("dhcp.hops"), rows);
  expect(
    h.some((x) => !x.pass && /OFFER/.test(x.name)),
    "an OFFER from the VIP must fail a public test",
  ).toBeTruthy();
  const d = await runPublic(byId("dhcp.decode"), { ...expectedDecode(), hops: 0 });
  expect(
    d.some((x) => !x.pass && /copy the request's count/.test(x.message)),
    "hops 0 (as RFC 2131 table 3 says) must fail publicly, with the explanation",
  ).toBeTruthy();
});

// ------------------------------------------------------------------ notebook 04
const RD_RT = { rdHex: "00 01 0a 00 00 05 00 64", rt: "target:65536:42", type: 0 };
const PREDICT = [
  { vrf: "pe1/HUB", imports: "10.21.0.0/24, 10.31.0.0/24" },
  { vrf: "pe2/SPOKE", imports: "10.1.0.0/16" },
  { vrf: "pe3/SPOKE", imports: "10.1.0.0/16" },
  { vrf: "pe3/MONITOR", imports: "10.21.0.0/24, 10.31.0.0/24" },
];
checkWrong([
  {
    id: "vpn.rd-rt",
    answer: { ...RD_RT, type: 2 },
    teaches: /70000 is the assigned number/,
    why: "a number above 65535 read as a 4-byte AS (type 2)",
  },
  {
    id: "vpn.predict",
    answer: PREDICT.map((r) => (r.vrf === "pe3/MONITOR" ? { ...r, imports: "10.21.0.0/24" } : r)),
    teaches: /same router .* IOS leaks locally/,
    why: "forgets same-router leaking into MONITOR (once a hidden row)",
  },
]);

// ------------------------------------------------------------------ notebook 03 (code): the size lessons are public
it("dlog.bsgs and dlog.crt: the size lessons are public tests", () => {
  const b = byId("dlog.bsgs").public.find((t) => /40-bit/.test(t.name));
  expect(b, "a 40-bit bsgs test must be public").toBeTruthy();
  expect(b!.timeoutHint ?? "").toMatch(/2\^20 baby steps/);
});
checkWrong([
  {
    id: "dlog.crt",
    answer: {
      crt: (r: bigint[], m: bigint[]) => {
        const M = m.reduce((a, b) => a * b, 1n);
        for (let x = 0; x < Number(M) && x < 1e5; x++)
          if (r.every((ri, i) => BigInt(x) % m[i]! === ri)) return BigInt(x);
        return -1n;
      },
    },
    teaches: /pass 2\^53|bigint/,
    why: "search with Number (fine on Sun Zi, lost beyond 2^53)",
  },
]);
