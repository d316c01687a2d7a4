/**
 * Views for the DH notebooks and CLI: turn trace and transcript data into tables, vega-lite
 * charts and ladder diagrams. Nothing here prints; callers pass the result to `show()`.
 */
import { renderTable, ladder, type ChartSpec, type Diagram, type TableView, type Row } from "../notebook";
import type { ModPowTrace } from "./modular";
import { modPow } from "./modular";
import type { DhGroup } from "./groups";
import type { Transcript } from "./exchange";
import type { PublicKeyCheck } from "./validate";
import type { SubgroupAttackResult } from "./attacks";

/** Abbreviates a big number for a table cell: "2410312426…9817 (2048 bits)". */
export function abbrev(x: bigint, digits = 20): string {
  const s = x.toString();
  if (s.length <= digits) return s;
  const half = Math.floor(digits / 2);
  return `${s.slice(0, half)}…${s.slice(-half)} (${x.toString(2).length} bits)`;
}

/** The repeated-squaring trace as rows (bit 0 first), for tables and the `--json` CLI output. */
export function traceRows(t: ModPowTrace): Row[] {
  return t.steps.map((s) => ({
    i: s.i,
    bit: s.bit,
    power: `${abbrev(t.base)}^${s.power}`,
    square: abbrev(s.square),
    "multiplied in": s.used,
    product: abbrev(s.acc),
  }));
}

/** The trace table, rows with bit 1 highlighted (they are multiplied into the result). */
export function traceTable(t: ModPowTrace): TableView {
  return renderTable(traceRows(t), {
    caption:
      `${t.base}^${t.exp} mod ${abbrev(t.mod)}: exponent ${t.exp} = ${t.binary}b = ` +
      `${t.powersOfTwo.join(" + ")} → result ${abbrev(t.result)} (${t.squarings} squarings, ` +
      `${t.multiplications} multiplications)`,
    headers: { i: "bit #", power: "power", square: "square mod m", product: "running product" },
    highlight: t.steps.map((s, i) => (s.used ? i : -1)).filter((i) => i >= 0),
  });
}

/** A bar chart of the running squares, coloured by whether each is multiplied in (small moduli). */
export function traceChart(t: ModPowTrace): ChartSpec {
  return {
    title: `Repeated squares of ${t.base} mod ${t.mod} (exponent ${t.binary}b)`,
    width: 360,
    height: 200,
    data: {
      values: t.steps.map((s) => ({
        step: `${t.base}^${s.power}`,
        i: s.i,
        square: Number(s.square),
        use: s.used ? "multiplied in (bit 1)" : "skipped (bit 0)",
      })),
    },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "step", type: "ordinal", sort: { field: "i" }, title: "square" },
      y: { field: "square", type: "quantitative", title: `value mod ${t.mod}` },
      color: {
        field: "use",
        type: "nominal",
        title: null,
        scale: { domain: ["multiplied in (bit 1)", "skipped (bit 0)"], range: ["#f59e0b", "#9ca3af"] },
      },
    },
  } as ChartSpec;
}

/** base^k mod m for k = 0..kMax, for the "powers scramble" chart and table. */
export function powerRows(base: bigint, m: bigint, kMax: number): Array<{ k: number; power: bigint; value: bigint }> {
  const out: Array<{ k: number; power: bigint; value: bigint }> = [];
  for (let k = 0; k <= kMax; k++) out.push({ k, power: base ** BigInt(k), value: modPow(base, BigInt(k), m) });
  return out;
}

/** Line chart of base^k mod m next to where plain base^k would be (log scale): powers mod m jump around. */
export function powersChart(base: bigint, m: bigint, kMax = 24): ChartSpec {
  const values = powerRows(base, m, kMax).map((r) => ({ k: r.k, value: Number(r.value) }));
  return {
    title: `${base}^k mod ${m}: the values wrap around and look scrambled`,
    width: 420,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: "line", color: "#6366f1" },
        encoding: {
          x: { field: "k", type: "quantitative", title: "exponent k" },
          y: {
            field: "value",
            type: "quantitative",
            title: `${base}^k mod ${m}`,
            scale: { domain: [0, Number(m) - 1] },
          },
        },
      },
      {
        mark: { type: "point", filled: true, size: 60, color: "#6366f1", tooltip: true },
        encoding: { x: { field: "k", type: "quantitative" }, y: { field: "value", type: "quantitative" } },
      },
    ],
  } as ChartSpec;
}

/** A clock face as a table: which residue each integer lands on, e.g. 0..20 mod 7. */
export function clockRows(m: bigint, from: bigint, to: bigint): Row[] {
  const rows: Row[] = [];
  for (let a = from; a <= to; a++)
    rows.push({ a, "a mod m": ((a % m) + m) % m, "full turns": (a - (((a % m) + m) % m)) / m });
  return rows;
}

/** The named groups as a table. */
export function groupsTable(groups: DhGroup[]): TableView {
  return renderTable(
    groups.map((g) => ({
      name: g.name,
      aliases: g.aliases.join(", "),
      bits: g.bits,
      g: g.g,
      "q bits": g.q.toString(2).length,
      source: g.rfc,
      "node:crypto": g.nodeName ?? "",
      recipe: g.recipe ? `${g.recipe.constant === "pi" ? "π" : "e"}, X = ${g.recipe.x}` : "",
    })),
    { caption: "Named finite-field DH groups (p = 2q + 1, g = 2 generates the order-q subgroup)" },
  );
}

/** A ladder diagram of the exchange with Eve's notes; tampered messages in red. */
export function exchangeLadder(t: Transcript, opts: { title?: string } = {}): Diagram {
  const eveName = t.wire.some((m) => m.tampered) ? "Mallory" : "Eve";
  return ladder(
    ["Alice", eveName, "Bob"],
    t.wire.map((m) => ({
      from: m.from,
      to: m.to,
      label: `${m.field === "public key" ? (m.from === "Alice" ? "J" : "K") : m.field} = ${abbrev(m.delivered, 16)}`,
      detail: m.tampered ? `rewritten by Mallory (sent ${abbrev(m.sent, 16)})` : `${eveName} records it`,
      ...(m.tampered ? { color: "#dc2626" } : {}),
    })),
    { title: opts.title ?? `Diffie-Hellman over ${t.group}: ${t.agreed ? "keys agree" : "no agreement"}` },
  );
}

/** One row per party: what it knows and what it computed. */
export function partiesTable(t: Transcript): TableView {
  const row = (x: Transcript["alice"]): Row => ({
    party: x.name,
    "private key": abbrev(x.privateKey),
    "sent public key": abbrev(x.publicKey),
    received: abbrev(x.received),
    secret: x.secret === undefined ? "" : abbrev(x.secret),
    outcome: x.error ?? "ok",
  });
  return renderTable(
    [
      row(t.alice),
      row(t.bob),
      {
        party: "Eve",
        "private key": "?",
        "sent public key": "",
        received: `J, K, p, g`,
        secret: "?",
        outcome: `needs a ${t.eve.bits}-bit discrete log`,
      },
    ],
    {
      caption: `Exchange over ${t.group}`,
    },
  );
}

/** The validation checks as a table. */
export function checksTable(checks: PublicKeyCheck[], caption = "Public-key validation"): TableView {
  return renderTable(
    checks.map((c) => ({ check: c.name, rule: c.rule, pass: c.pass ? "pass" : "FAIL", detail: c.detail })),
    {
      caption,
      highlight: checks.map((c, i) => (c.pass ? -1 : i)).filter((i) => i >= 0),
    },
  );
}

/** The small-subgroup attack step by step. */
export function attackTable(r: SubgroupAttackResult): TableView {
  return renderTable(
    r.steps.map((s) => ({
      "factor r": s.r,
      "element h (order r)": abbrev(s.h),
      "x mod r": s.residue,
      tries: s.tries,
      refused: (s.error ?? "").split(": it is ")[0]!.split(" (got ")[0],
    })),
    {
      caption:
        r.recovered !== undefined
          ? `Recovered x = ${r.recovered} with ${r.queries} queries (CRT modulus ${abbrev(r.modulus)})`
          : r.modulus === 1n
            ? `Nothing learned: the victim refused all ${r.queries} keys`
            : `No full recovery (learned x mod ${abbrev(r.modulus)})`,
    },
  );
}
