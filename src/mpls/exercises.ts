/**
 * Exercises of notebook 05-lsp-label-swaps (`mpls.*`): fill LFIBs (predict), the L3VPN stack per
 * hop with and without PHP (predict), a CSPF path under a bandwidth constraint (value), and a
 * broken static LSP to fix (fix). Expected answers are computed by this library; public checks
 * compare through seals, the keys sit in hidden regions (instructor copy only).
 */
import { brief, fail, pass } from "../grading/checks";
import { sealedFields, sealedTable, sealedValue, type Normaliser } from "../grading/sealed-checks";
import { withoutComments } from "../grading/present";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { cspfTopology, CSPF_NEW } from "./exdata";
// wirelab:hidden-begin
import { chainNetwork, vpnChainNetwork } from "./exdata";
import { actionOf } from "./network";
// wirelab:hidden-end
import { buildNetwork, type Network } from "./network";
import { parseTopology } from "./topology";
import { trace, type Walk } from "./walk";
import { cscExercise } from "./exercise-csc";

const NB = "05-lsp-label-swaps.ipynb";
const ANSWERS = "exercises/mpls/answers.ts";
const FIX_FILE = "exercises/mpls/broken.yaml";

// ------------------------------------------------------------------ mpls.lfib

const LFIB_ORDER: Array<[string, string]> = [
  ["B", "10.0.0.4/32"],
  ["B", "10.0.0.1/32"],
  ["C", "10.0.0.4/32"],
  ["C", "10.0.0.1/32"],
];

const LFIB_HINT =
  "Labels are allocated per router from its label-base, one per FEC, in router order, skipping the " +
  "router's own FEC; a router whose next hop is the egress pops (PHP).";

// wirelab:hidden-begin
function expectedLfib(net: Network) {
  return LFIB_ORDER.map(([router, fec]) => {
    const st = net.routers.get(router)!;
    const e = st.lfib.get(st.ldpLocal.get(fec)!)!;
    return { router, fec, in: e.in, action: actionOf(e), out: e.out.length ? e.out[0]! : "", next: e.next!.peer };
  });
}

function lfibRowsFor(routers: string[], points: number, name: string): TestCase {
  return {
    name,
    points,
    run(answer) {
      const want = expectedLfib(chainNetwork());
      if (!Array.isArray(answer) || answer.length !== 4)
        return fail(`give 4 rows in the order B/D, B/A, C/D, C/A (got ${brief(answer)})`);
      const idx = LFIB_ORDER.map((x, i) => (routers.includes(x[0]) ? i : -1)).filter((i) => i >= 0);
      const norm = (v: unknown) =>
        String(v ?? "")
          .trim()
          .toLowerCase();
      const wrong: string[] = [];
      for (const i of idx) {
        const w = want[i]!;
        const g = (answer[i] ?? {}) as Record<string, unknown>;
        for (const c of ["router", "fec", "in", "action", "out", "next"] as const) {
          if (norm(g[c]) !== norm(w[c])) wrong.push(`${w.router} / FEC ${w.fec}, ${c}: you have ${brief(g[c])}`);
        }
      }
      const r = wrong.length
        ? { pass: false, message: `${wrong.length} cell(s) differ: ${wrong.slice(0, 4).join("; ")}` }
        : { pass: true, message: `all ${idx.length} rows match` };
      if (r.pass) return pass(`${routers.join(" and ")}: ${r.message}`);
      return fail(`${r.message}. ${LFIB_HINT}`);
    },
  };
}
// wirelab:hidden-end

const lfibExercise = defineExercise({
  id: "mpls.lfib",
  title: "Fill the LFIBs of B and C",
  kind: "predict",
  notebook: NB,
  prompt:
    "In the chain A–B–C–D (LDP everywhere, label bases 100/200/300/400, PHP), fill the LFIB rows of " +
    "**B** and **C** for the FECs 10.0.0.4/32 (D) and 10.0.0.1/32 (A). Each router allocates one label " +
    "per FEC from its label base, in router order (A, B, C, D), skipping its own loopback. Rows are: `{ " +
    "router, fec, in, action, out, next }` with action `swap` or `pop` and `out` the outgoing label " +
    '(`""` for pop). Order: B/D, B/A, C/D, C/A.',
  answer: { file: ANSWERS, export: "lfib" },
  public: [
    sealedTable("B's rows", 2, {
      columns: ["router", "fec", "in", "action", "out", "next"],
      rowCount: LFIB_ORDER.length,
      rows: [0, 1],
      rowLabel: (i) => `${LFIB_ORDER[i]![0]} / FEC ${LFIB_ORDER[i]![1]}`,
      shape: "{ router, fec, in, action, out, next } in the order B/D, B/A, C/D, C/A",
      hint: LFIB_HINT,
      // wirelab:hidden-begin
      key: () => ({ right: expectedLfib(chainNetwork()) }),
      // wirelab:hidden-end
    }),
  ],
  hidden: [
    // wirelab:hidden-begin
    lfibRowsFor(["C"], 2, "C's rows"),
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ mpls.vpnstack

const LINKS = ["PE1→P1", "P1→P2", "P2→PE2"];
const asStack: Normaliser = (v) => {
  if (!Array.isArray(v)) throw new Error(`give each stack as an array of labels, top first (got ${brief(v)})`);
  return v.map((x) => String(Number(x))).join(" ");
};
const PHP_HINT =
  "The VPN label stays at the bottom the whole way; the transport label on top is swapped at each P " +
  "router. With PHP, the router before the egress pops the transport label.";

// wirelab:hidden-begin
function stacksOf(w: Walk): number[][] {
  return w.hops.filter((h) => h.next).map((h) => h.outStack.map((e) => e.label));
}

function stackCase(key: "php" | "explicitNull", points: number): TestCase {
  return {
    name: key === "php" ? "with PHP" : "with explicit null (no PHP)",
    points,
    run(answer) {
      const want = stacksOf(trace(vpnChainNetwork(key === "php"), { from: "PE1", to: "192.168.2.0/24" }));
      const got = answer?.[key];
      if (!Array.isArray(got) || got.length !== 3)
        return fail(`${key} must list 3 stacks, one per link PE1→P1, P1→P2, P2→PE2 (got ${brief(got)})`);
      const links = ["PE1→P1", "P1→P2", "P2→PE2"];
      const wrong = want
        .map((s, i) =>
          JSON.stringify(s) === JSON.stringify((got[i] ?? []).map(Number))
            ? ""
            : `${links[i]}: you have ${brief(got[i])}`,
        )
        .filter(Boolean);
      if (!wrong.length) return pass(`${key}: ${want.map((s) => `[${s.join(" ")}]`).join(" → ")}`);
      return fail(
        `${wrong.join("; ")}. The VPN label stays at the bottom the whole way; the transport label on top ` +
          `is swapped at each P router. ` +
          (key === "php"
            ? "With PHP, the router before the egress pops the transport label."
            : "Without PHP, the egress advertised label 0 (explicit null), so the last link still carries a " +
              "transport entry."),
      );
    },
  };
}

// wirelab:hidden-end

const vpnStackExercise = defineExercise({
  id: "mpls.vpnstack",
  title: "The L3VPN label stack at each hop, with and without PHP",
  kind: "predict",
  notebook: NB,
  prompt:
    "In PE1–P1–P2–PE2 (LDP, label bases 1000/2000/3000/4000, VPN BLUE with sites on PE1 and PE2), " +
    "predict the label stack (top first) on each link of a packet from 192.168.1.0/24 to 192.168.2.0/24: " +
    "`{ php: [[…], […], […]], explicitNull: [[…], […], […]] }`. PE2 allocates its LDP labels first, then " +
    "its VPN label.",
  answer: { file: ANSWERS, export: "vpnStack" },
  public: [
    sealedFields("with PHP", 2, {
      fields: Object.fromEntries(LINKS.map((l) => [l, asStack])),
      read: (a, f) => (Array.isArray(a?.php) ? a.php[LINKS.indexOf(f)] : undefined),
      shape:
        "{ php: [[…], […], […]], explicitNull: [[…], […], […]] } (php: 3 stacks, one per link PE1→P1, " +
        "P1→P2, P2→PE2)",
      hint: PHP_HINT,
      // wirelab:hidden-begin
      key: () => ({ right: { php: stacksOf(trace(vpnChainNetwork(true), { from: "PE1", to: "192.168.2.0/24" })) } }),
      // wirelab:hidden-end
    }),
  ],
  hidden: [
    // wirelab:hidden-begin
    stackCase("explicitNull", 2),
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ mpls.cspf

function parsePath(a: unknown): string[] | undefined {
  if (Array.isArray(a)) return a.map(String);
  if (typeof a === "string")
    return a
      .trim()
      .split(/[\s,→>-]+/)
      .filter(Boolean);
  return undefined;
}

const asPath: Normaliser = (v) => {
  const p = parsePath(v);
  if (!p)
    throw new Error(
      `answer with the router names in order, separated by spaces, from "PE1" to "PE2" (got ${brief(v)})`,
    );
  return p.join(" ");
};

const cspfExercise = defineExercise({
  id: "mpls.cspf",
  title: "CSPF under a bandwidth constraint",
  kind: "value",
  notebook: NB,
  prompt:
    `On the lab topology (labs/mpls/lab.yaml), an LSP of 700 Mb/s has been signalled from PE1 to PE2 ` +
    `along PE1 P1 P2 PE2. Which path does CSPF choose for a new LSP of ${CSPF_NEW.bandwidth} Mb/s from ` +
    `PE1 to PE2? Answer with the router names in order, separated by spaces, from "PE1" to "PE2".`,
  answer: { file: ANSWERS, export: "cspf" },
  public: [
    sealedValue("the CSPF path", 2, {
      as: asPath,
      hint:
        `Subtract the 700 Mb/s already reserved from each link it crossed, prune links with less than ` +
        `${CSPF_NEW.bandwidth} Mb/s left, then run Dijkstra on what remains.`,
      // wirelab:hidden-begin
      key: () => ({
        right: buildNetwork(cspfTopology(true)).rsvp[1]!.path,
        why: `the shortest path whose every link still has ${CSPF_NEW.bandwidth} Mb/s unreserved`,
      }),
      // wirelab:hidden-end
    }),
  ],
  hidden: [
    // wirelab:hidden-begin
    {
      name: "every link of your path has room",
      points: 1,
      run(answer) {
        const got = parsePath(answer);
        if (!got || got.length < 2 || got[0] !== "PE1" || got[got.length - 1] !== "PE2")
          return fail("the path must start at PE1 and end at PE2");
        const net = buildNetwork(cspfTopology(false));
        for (let i = 0; i + 1 < got.length; i++) {
          const link = net.topology.links.find(
            (l) => (l.a === got[i] && l.b === got[i + 1]) || (l.b === got[i] && l.a === got[i + 1]),
          );
          if (!link) return fail(`${got[i]} and ${got[i + 1]} are not linked`);
          const free = net.ted.available({ from: got[i]!, to: got[i + 1]!, link });
          if (free < CSPF_NEW.bandwidth) return fail(`${got[i]}→${got[i + 1]} has only ${free} Mb/s unreserved`);
        }
        return pass("every link has enough unreserved bandwidth");
      },
    },
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ mpls.fix

const strip = (s: string) => s.replace(/\s+/g, "");

function fixTrace(text: unknown): { walk?: Walk; error?: string } {
  if (typeof text !== "string") return { error: `expected the text of ${FIX_FILE}` };
  try {
    const net = buildNetwork(parseTopology(text, FIX_FILE));
    return { walk: trace(net, { from: "PE1", to: "198.51.100.0/24" }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const fixExercise = defineExercise({
  id: "mpls.fix",
  title: "Find and fix a broken LSP",
  kind: "fix",
  notebook: NB,
  prompt:
    "The static LSP `to-lan` in `exercises/mpls/broken.yaml` should carry 198.51.100.0/24 from PE1 along " +
    "PE1 P1 P2 PE2, with PHP on P2. Trace it (`npx wirelab mpls trace exercises/mpls/broken.yaml --from " +
    "PE1 --to 198.51.100.0/24`), find the mistake and fix the file. Keep the static LSP: do not delete " +
    "hops.",
  answer: { file: FIX_FILE },
  isUnattempted: (text) =>
    typeof text === "string" &&
    strip(withoutComments(text, FIX_FILE)) === strip(withoutComments(BROKEN_TEXT, FIX_FILE)),
  public: [
    {
      name: "the packet is delivered to 198.51.100.0/24",
      points: 2,
      run(text) {
        const r = fixTrace(text);
        if (r.error) return fail(r.error);
        const w = r.walk!;
        if (w.outcome === "delivered") return pass(`${w.hops.map((h) => h.router).join(" → ")}: ${w.reason}`);
        return fail(
          `the packet is ${w.outcome} ` +
            `(${w.reason})` +
            `${w.loopAt !== undefined ? `; it loops: the state at hop ${w.loopAt + 1} repeats an earlier one` : ""}. ` +
            `Read the trace hop by hop: where does each label send it next?`,
        );
      },
    },
  ],
  hidden: [
    // wirelab:hidden-begin
    {
      name: "it still rides the static LSP along PE1 P1 P2 PE2 with PHP",
      points: 2,
      run(text) {
        const r = fixTrace(text);
        if (r.error) return fail(r.error);
        const w = r.walk!;
        const path = w.hops.map((h) => h.router).join(" ");
        if (path !== "PE1 P1 P2 PE2") return fail(`the path is ${path}, expected PE1 P1 P2 PE2`);
        const onWire = w.hops.filter((h) => h.next).map((h) => h.outStack.length);
        if (onWire.join() !== "1,1,0")
          return fail(
            `expected one label on PE1→P1 and P1→P2 and none on P2→PE2 (PHP); stack depths were ` +
              `${onWire.join(", ")}`,
          );
        if (!w.hops[0]!.actions.join(" ").includes("static to-lan"))
          return fail("the ingress no longer uses the static LSP to-lan");
        return pass("labelled to P2, popped there (PHP), delivered by PE2");
      },
    },
    // wirelab:hidden-end
  ],
});

/** The stub text of the fix exercise (the learner's starting point). */
export const BROKEN_TEXT = `# The static LSP "to-lan" should carry 198.51.100.0/24 from PE1 to PE2 along PE1 P1 P2 PE2
# with PHP on P2. Packets never arrive. Trace it, find the mistake, fix it here.
#   wirelab mpls trace labs/mpls/broken.yaml --from PE1 --to 198.51.100.0/24
name: broken
routers:
  PE1: { loopback: 10.0.0.1 }
  P1:  { loopback: 10.0.0.2 }
  P2:  { loopback: 10.0.0.3 }
  PE2: { loopback: 10.0.0.4, prefixes: [198.51.100.0/24] }
links:
  - { a: PE1, b: P1 }
  - { a: P1, b: P2 }
  - { a: P2, b: PE2 }
static-lsps:
  - name: to-lan
    fec: 198.51.100.0/24
    hops:
      - { router: PE1, push: [1001], next: P1 }
      - { router: P1, in: 1001, swap: 2001, next: P2 }
      - { router: P2, in: 2001, swap: 1001, next: P1 }
`;

export const exercises: Exercise[] = [lfibExercise, vpnStackExercise, cspfExercise, fixExercise, cscExercise];
