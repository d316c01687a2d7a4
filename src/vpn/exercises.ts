/**
 * Exercises of notebook 04-rt-rd-import (`vpn.*`): predict a hub-and-spoke import table, write
 * the route targets of a shared-services VPN, make multipath work through a route reflector by
 * changing RDs, and read an RD / RT by hand. Every expected value is computed by the engine or
 * the RD/RT codec at grading time; nothing is typed in.
 */
import { brief, fail, pass } from "../grading/checks";
import { asText, sealedFields, type Normaliser } from "../grading/sealed-checks";
import { withoutComments } from "../grading/present";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { loadBundle } from "./config";
import { computeVpn, importSets, type EngineResult } from "./engine";
import type { Network } from "./model";
import { decodeRt, encodeRd, formatRt, fromHex, hex, parseRd } from "./rd";
import { fromTexts, PREDICT_IOS, PREDICT_ROWS, RR_MULTIPATH_STUB, SHARED_SERVICES_STUB } from "./lab";

const NB = "04-rt-rd-import.ipynb";
const ANSWERS = "exercises/vpn/answers.ts";

// ------------------------------------------------------------------ vpn.predict

const asPrefixList: Normaliser = (v) => {
  const l = normList(v);
  if (!l) throw new Error(`imports must be a list of prefixes (a string "a, b" or an array), got ${brief(v)}`);
  return [...new Set(l)].join(",");
};
const PREDICT_HINT =
  "Compare each route's export RT with this VRF's import RTs; list only imported routes, not the VRF's own.";

/** The public check of one row: its import list, sealed as a whole (per-prefix feedback would give the answer away). */
function sealedRow(vrf: string, points: number, extraHint = "") {
  return sealedFields(`imports of ${vrf}`, points, {
    fields: { [vrf]: asPrefixList },
    read: (answer: unknown) => {
      if (!Array.isArray(answer))
        throw new Error(`answer with an array of rows { vrf, imports } (got ${brief(answer)})`);
      const row = answer.find((r: { vrf?: unknown }) => r && String(r.vrf).trim() === vrf);
      if (!row) throw new Error(`no row with vrf: "${vrf}" (the rows are ${PREDICT_ROWS.join(", ")})`);
      return row.imports;
    },
    shape: "[{ vrf, imports }, …]",
    hint: PREDICT_HINT + extraHint,
    // wirelab:hidden-begin
    key: () => ({ right: [{ vrf, imports: expectedPredict()[vrf]! }] }),
    // wirelab:hidden-end
  });
}

// wirelab:hidden-begin
function expectedPredict(): Record<string, string[]> {
  const sets = importSets(computeVpn(fromTexts(PREDICT_IOS, "cfg")));
  const out: Record<string, string[]> = {};
  for (const row of PREDICT_ROWS) {
    const [pe, vrf] = row.split("/") as [string, string];
    out[row] = [...new Set((sets[pe]?.[vrf] ?? []).map((s) => s.split(" ")[0]!))].sort();
  }
  return out;
}

// wirelab:hidden-end

function normList(v: unknown): string[] | null {
  if (Array.isArray(v))
    return v
      .map((x) => String(x).trim())
      .filter(Boolean)
      .sort();
  if (typeof v === "string")
    return v
      .split(/[,\s]+/)
      .map((x) => x.trim())
      .filter((x) => x && x !== "-" && x.toLowerCase() !== "none")
      .sort();
  return null;
}

// wirelab:hidden-begin
// wirelab:hidden-end

// ------------------------------------------------------------------ fix exercises: helpers

function runBundle(text: unknown, file: string): { net: Network; result: EngineResult } | { error: string } {
  if (typeof text !== "string") return { error: `the answer file must be text (got ${brief(text)})` };
  try {
    const net = loadBundle(text, file);
    return { net, result: computeVpn(net) };
  } catch (e) {
    return { error: `the file does not load: ${(e as Error).message}` };
  }
}

function bundleCase(
  name: string,
  points: number,
  file: string,
  check: (r: EngineResult, net: Network) => string | null,
  okText: string,
): TestCase {
  return {
    name,
    points,
    run(answer) {
      const r = runBundle(answer, file);
      if ("error" in r) return fail(r.error);
      const problem = check(r.result, r.net);
      return problem ? fail(problem) : pass(okText);
    },
  };
}

/** The untouched stub: the same text as the shipped file once comments (the generated header) are set aside. */
const sameText = (stub: string, file: string) => (answer: unknown) =>
  typeof answer === "string" && withoutComments(answer, file) === withoutComments(stub, file);

function prefixesIn(r: EngineResult, pe: string, vrf: string): string[] {
  const t = r.vrfTables.find((x) => x.router === pe && x.vrf === vrf);
  return t ? t.routes.filter((x) => x.source === "imported").map((x) => x.prefix) : [];
}

// ------------------------------------------------------------------ vpn.shared-services

const SS_FILE = "exercises/vpn/shared-services.cfg";
const SVC = "192.0.2.53/32";
const A = "10.1.0.0/24";
const B = "10.2.0.0/24";

const reaches = (pe: string, vrf: string, prefix: string, who: string) => (r: EngineResult) =>
  prefixesIn(r, pe, vrf).includes(prefix)
    ? null
    : `${vrf} on ${pe} does not import ${prefix} (${who}). Give the route's exporter an export RT that ` +
      `${vrf} lists in its imports; \`npx wirelab vpn tables ${SS_FILE} --explain\` shows the RT comparison.`;

const isolated = (r: EngineResult): string | null => {
  const leakAB = prefixesIn(r, "pe1", "CUST-A").includes(B);
  const leakBA = prefixesIn(r, "pe2", "CUST-B").includes(A);
  if (!leakAB && !leakBA) return null;
  return (
    `${leakAB ? "CUST-A sees CUST-B's " + B : "CUST-B sees CUST-A's " + A}: the customers must not ` +
    `share an RT. Give each customer its own export RT, and let only SERVICES import both.`
  );
};

// ------------------------------------------------------------------ vpn.rr-multipath

const RR_FILE = "exercises/vpn/rr-multipath.set";

function servicePaths(r: EngineResult): { nextHop: string; multipath: boolean; rd: string }[] {
  const t = r.vrfTables.find((x) => x.router === "vmx5" && x.vrf === "customer");
  return (t?.routes ?? []).filter((x) => x.prefix === SVC && x.source === "imported");
}

// ------------------------------------------------------------------ vpn.rd-rt

const RD_Q = "10.0.0.5:100";
const RT_Q = "02 02 00 01 00 00 00 2a";
// Not 65536:1, the notebook's worked example: here the large number is the assigned number.
const TYPE_Q = "65001:70000";

const normHex = (v: unknown) =>
  String(v ?? "")
    .toLowerCase()
    .replace(/0x/g, "")
    .replace(/[^0-9a-f]/g, "");

export const exercises: Exercise[] = [
  defineExercise({
    id: "vpn.predict",
    title: "Predict the imports of a hub-and-spoke VPN",
    kind: "predict",
    notebook: NB,
    prompt:
      "Read the three PE configurations of the hub-and-spoke scenario (`PREDICT_IOS` in the notebook). For " +
      "each VRF in the list " +
      PREDICT_ROWS.join(", ") +
      (' give the prefixes it **imports** from other VRFs (not its own routes): `{ vrf: "pe1/HUB", imports: ' +
        '"192.0.2.0/24, 198.51.100.0/24" }` (made-up prefixes). Use `""` for none.'),
    answer: { file: ANSWERS, export: "predict" },
    // A predict table has no "other inputs": every row is public.
    public: [
      sealedRow("pe1/HUB", 1),
      sealedRow("pe2/SPOKE", 1),
      sealedRow("pe3/SPOKE", 1),
      sealedRow(
        "pe3/MONITOR",
        2,
        " VRFs on the same router import each other's routes too when the route targets match: IOS leaks locally.",
      ),
    ],
    hidden: [],
  }),
  defineExercise({
    id: "vpn.shared-services",
    title: "Route targets for a shared-services VPN",
    kind: "fix",
    notebook: NB,
    prompt:
      `Edit \`${SS_FILE}\`: write the route-target lines so CUST-A (pe1) and CUST-B (pe2) both reach ` +
      `SERVICES (pe3) and SERVICES reaches them back, ` +
      "while the two customers never see each other's routes. Change only route-target lines.",
    answer: { file: SS_FILE },
    isUnattempted: sameText(SHARED_SERVICES_STUB, SS_FILE),
    public: [
      bundleCase(
        "CUST-A reaches the service",
        1,
        SS_FILE,
        reaches("pe1", "CUST-A", SVC, "the shared service"),
        `CUST-A imports ${SVC}`,
      ),
      bundleCase(
        "CUST-B reaches the service",
        1,
        SS_FILE,
        reaches("pe2", "CUST-B", SVC, "the shared service"),
        `CUST-B imports ${SVC}`,
      ),
      bundleCase(
        "SERVICES has return routes",
        1,
        SS_FILE,
        (r) => reaches("pe3", "SERVICES", A, "CUST-A's LAN")(r) ?? reaches("pe3", "SERVICES", B, "CUST-B's LAN")(r),
        "SERVICES imports both customer LANs",
      ),
      bundleCase("customers stay apart", 2, SS_FILE, isolated, "CUST-A and CUST-B do not see each other"),
      bundleCase(
        "only route targets changed",
        1,
        SS_FILE,
        (r, net) => {
          const rds = net.routers
            .flatMap((x) => x.vrfs.map((v) => `${x.name}/${v.name}=${v.rd}`))
            .sort()
            .join(" ");
          const want = "pe1/CUST-A=65000:1 pe2/CUST-B=65000:2 pe3/SERVICES=65000:99";
          if (rds !== want) return `the VRFs and RDs should stay as given (${want}); you have ${rds}`;
          return r.sessions.every((s) => s.up)
            ? null
            : "a BGP session went down; only route-target lines should change";
        },
        "VRFs, RDs and sessions unchanged",
      ),
      bundleCase(
        "SERVICES imports exactly the customer LANs",
        1,
        SS_FILE,
        (r) => {
          const got = [...new Set(prefixesIn(r, "pe3", "SERVICES"))].sort().join(", ");
          return got === [A, B].sort().join(", ")
            ? null
            : `SERVICES imports ${got || "nothing"}; it should import exactly ${A} and ${B}`;
        },
        "SERVICES imports exactly the two customer LANs",
      ),
    ],
    // A fix on one lab has no "other inputs": every requirement of the prompt is public.
    hidden: [],
  }),
  defineExercise({
    id: "vpn.rr-multipath",
    title: "Multipath through a route reflector: change the RDs",
    kind: "fix",
    notebook: NB,
    prompt:
      `Edit \`${RR_FILE}\` (the multipath lab): vmx5's customer VRF should use both copies of the anycast ` +
      `service ${SVC} (on vmx1 and vmx3), ` +
      "but the route reflector vmx7 advertises only one. Fix it by changing route distinguishers only.",
    answer: { file: RR_FILE },
    isUnattempted: sameText(RR_MULTIPATH_STUB, RR_FILE),
    public: [
      bundleCase(
        "vmx5 learns both service paths",
        2,
        RR_FILE,
        (r) => {
          const nhs = [...new Set(servicePaths(r).map((p) => p.nextHop))].sort();
          if (nhs.length === 2) return null;
          const hide = r.decisions.find((d) => d.stage === "hide");
          return (
            `vmx5's customer VRF has ${nhs.length} path(s) to ${SVC} (${nhs.join(", ") || "none"}), ` +
            `expected 2 (via 10.0.0.1 and 10.0.0.3).${hide ? " The RR says: " + hide.text : ""}`
          );
        },
        `vmx5 has paths via 10.0.0.1 and 10.0.0.3`,
      ),
      bundleCase(
        "both paths are used",
        1,
        RR_FILE,
        (r) =>
          servicePaths(r).filter((p) => p.multipath).length >= 2
            ? null
            : "the two paths are not both in use: keep `routing-options multipath` in vmx5's customer VRF",
        "both paths are marked multipath",
      ),
      bundleCase(
        "still through the route reflector",
        1,
        RR_FILE,
        (r) => {
          const direct = r.sessions.filter((s) => s.up && s.a !== "vmx7" && s.b !== "vmx7");
          return direct.length
            ? `a direct PE-PE session (${direct[0]!.a}-${direct[0]!.b}) bypasses the route reflector; the ` +
                `point is to fix it with RDs`
            : null;
        },
        "every VPNv4 session still goes through vmx7",
      ),
      bundleCase(
        "route targets untouched, customer still reaches the provider",
        1,
        RR_FILE,
        (r) => {
          const ok = ["vmx1", "vmx3"].every((pe) => prefixesIn(r, pe, "provider").includes("10.12.0.0/24"));
          return ok
            ? null
            : "the provider VRFs no longer import the customer's 10.12.0.0/24: change RDs, not route targets";
        },
        "provider VRFs still import the customer LAN",
      ),
    ],
    // A fix on one lab has no "other inputs": every requirement of the prompt is public.
    hidden: [],
  }),
  defineExercise({
    id: "vpn.rd-rt",
    title: "Read an RD and an RT by hand",
    kind: "value",
    notebook: NB,
    prompt:
      `Answer with an object { rdHex, rt, type }: (1) \`rdHex\`: the 8 wire bytes, in hex, of the route ` +
      `distinguisher ${RD_Q}; ` +
      (`(2) \`rt\`: the extended community ${RT_Q} written as "target:ADMIN:NUMBER"; (3) \`type\`: which ` +
        `RD type (0, 1 or 2) the value ${TYPE_Q} must use.`),
    answer: { file: ANSWERS, export: "rdRt" },
    public: [
      sealedFields(`wire bytes of RD ${RD_Q}`, 1, {
        fields: { rdHex: normHex },
        shape: "{ rdHex, rt, type }",
        hint: "An IPv4 administrator makes it type 1: 2 bytes of type, 4 bytes of address, 2 bytes of assigned number.",
        // wirelab:hidden-begin
        key: () => ({ right: { rdHex: hex(encodeRd(parseRd(RD_Q))) } }),
        // wirelab:hidden-end
      }),
      sealedFields(`the community ${RT_Q}`, 1, {
        fields: { rt: asText },
        shape: "{ rdHex, rt, type }",
        hint:
          "The first byte gives the layout (0x02: 4-byte AS), the second the sub-type (0x02: route " +
          "target); then 4 bytes of AS and 2 of number, all big-endian.",
        // wirelab:hidden-begin
        key: () => ({ right: { rt: formatRt(decodeRt(fromHex(RT_Q))) } }),
        // wirelab:hidden-end
      }),
      sealedFields(`the type of ${TYPE_Q}`, 1, {
        fields: { type: asText },
        shape: "{ rdHex, rt, type }",
        hint:
          "Which part is the administrator and which the assigned number? Type 0: 2-byte AS + 4-byte " +
          "number; type 1: IPv4 address + 2-byte number; type 2: 4-byte AS + 2-byte number.",
        // wirelab:hidden-begin
        key: () => ({
          right: { type: parseRd(TYPE_Q).type },
          wrong: [
            {
              cell: "type",
              answer: 2,
              message:
                "the administrator 65001 fits in 2 bytes; 70000 is the assigned number, and type 2 leaves only " +
                "2 bytes for it (at most 65535). Only type 0 gives the number 4 bytes.",
            },
            { cell: "type", answer: 1, message: "type 1 needs an IPv4 address as its administrator (a.b.c.d:n)." },
          ],
        }),
        // wirelab:hidden-end
      }),
    ],
    // Three questions on fixed values: no "other inputs", all public.
    hidden: [],
  }),
];
