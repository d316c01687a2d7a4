/**
 * Exercises of notebook 06-dhcp-relay (`dhcp.*`): decode an OFFER from its bytes, predict the
 * addresses/ports/giaddr/hops of each message on each hop, name the device that drops the OFFER
 * (two scenarios), write the relay's forwarding rule, say what option 82 adds and who sees it, and fix the relay
 * configuration of the PXE
 * lab. Every expected value is computed by the library (exdata.ts); the public checks compare
 * through seals and the keys live in hidden regions (instructor copy only).
 */
import { brief, fail, pass } from "../grading/checks";
import {
  asText,
  sealedChoice,
  sealedFields,
  sealedTable,
  type AnswerKey,
  type KnownWrong,
  type Normaliser,
} from "../grading/sealed-checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { ownWork, type OwnWork } from "../grading/ownwork";
import { DROPPER_CHOICES, type DecodeAnswer, type HopAnswerRow, type Option82Answer } from "./exdata";
// wirelab:hidden-begin
import { expectedDecode, expectedHops, expectedOption82, dropperLetter } from "./exdata";
// wirelab:hidden-end
import { pxeLab, BROKEN_RELAY_CONFIG } from "./lab";
import { parseRelayConfig } from "./relay";
import { WirelabError } from "../util/errors";

const NB = "06-dhcp-relay.ipynb";
const ANSWERS = "exercises/dhcp/answers.ts";

// ------------------------------------------------------------------ dhcp.decode

const norm = (v: unknown) =>
  String(v ?? "")
    .trim()
    .toLowerCase();

/** "OFFER", "DHCPOFFER", "offer" all read the same. */
const asMessageType: Normaliser = (v) => norm(v).replace(/^dhcp/, "");
const DECODE_SHAPE = `{ messageType: "…", yiaddr: "…", … }`;
/** xid as a number or as "0x…" text reads the same. */
const asXid: Normaliser = (v) => (typeof v === "number" ? "0x" + v.toString(16).padStart(8, "0") : norm(v));

/** One field of the decode, sealed on its own (the key is in the instructor copy only). */
function decodeField(field: keyof DecodeAnswer, hint: string, as: Normaliser = asText): TestCase {
  return sealedFields(`field ${field}`, 1, {
    fields: { [field]: as },
    shape: DECODE_SHAPE,
    hint,
    // wirelab:hidden-begin
    key: () => ({ right: { [field]: expectedDecode()[field] } }),
    // wirelab:hidden-end
  });
}

const decodeEx = defineExercise({
  id: "dhcp.decode",
  title: "Decode a DHCPOFFER from its bytes",
  kind: "predict",
  notebook: NB,
  prompt:
    "The notebook prints the bytes of a DHCP message captured next to the server (`offerBytes()`). " +
    "Decode it by hand using the RFC 2131 layout (op at 0, hops at 3, xid at 4, flags at 10, yiaddr at " +
    "16, giaddr at 24, cookie at 236, options from 240) and answer with `{ messageType, xid, yiaddr, " +
    'giaddr, hops, broadcastFlag, serverId, leaseTime, bootfile }` (xid as "0x…" hex).',
  answer: { file: ANSWERS, export: "decoded" },
  public: [
    sealedFields("field messageType", 1, {
      fields: { messageType: asMessageType },
      shape: DECODE_SHAPE,
      hint: "Option 53 is the message type: 1 DISCOVER, 2 OFFER, 3 REQUEST, 5 ACK, 6 NAK.",
      // wirelab:hidden-begin
      key: () => ({ right: { messageType: expectedDecode().messageType } }),
      // wirelab:hidden-end
    }),
    // A decode has no "other inputs": every field is public, each with what to look at.
    decodeField("yiaddr", "yiaddr is the 4 bytes at offset 16 ('your' address, the one offered)."),
    decodeField("xid", 'xid is the 4 bytes at offset 4, big-endian, written "0x…".', asXid),
    decodeField("giaddr", "giaddr is at offset 24: the relay's client-side address, copied back by the server."),
    decodeField(
      "hops",
      "hops is the byte at offset 3. RFC 2131 table 3 says a server puts 0 there, but ISC dhcpd and Kea " +
        "copy the request's count: read the byte.",
    ),
    decodeField(
      "broadcastFlag",
      "flags are the 2 bytes at offset 10; the broadcast flag is the top bit (0x8000): answer true or false.",
    ),
    decodeField("serverId", "option 54 holds the server identifier (4 bytes)."),
    decodeField("leaseTime", "option 51 is the lease time in seconds, 4 bytes big-endian."),
    decodeField("bootfile", "option 67 is the boot file name, ASCII."),
  ],
  hidden: [],
});

// ------------------------------------------------------------------ dhcp.hops

const HOP_COLS: Array<keyof HopAnswerRow> = [
  "msg",
  "segment",
  "srcIp",
  "srcPort",
  "dstIp",
  "dstPort",
  "giaddr",
  "hops",
];

/** Rows of the hop table: one per frame of the first exchange on each segment it crosses. */
const HOP_ROWS = 7;
const HOP_HINT =
  "Remember: the relay sends from its upstream interface, giaddr is its client-side address, the " +
  "server answers to giaddr.";

function hopTable(name: string, points: number, rows: number[]): TestCase {
  return sealedTable(name, points, {
    columns: HOP_COLS,
    rowCount: HOP_ROWS,
    rows,
    shape: "one row {msg, segment, srcIp, srcPort, dstIp, dstPort, giaddr, hops} per frame per hop, in time order",
    hint: HOP_HINT,
    // wirelab:hidden-begin
    key: () => ({ right: expectedHops() }),
    // wirelab:hidden-end
  });
}

const hopsEx = defineExercise({
  id: "dhcp.hops",
  title: "Predict addresses, ports, giaddr and hops on every hop",
  kind: "predict",
  notebook: NB,
  prompt:
    "In the PXE lab (client → asa relay → forti → palo → dhcp1), fill one row per frame of the first " +
    "exchange: the DISCOVER on each segment, then the OFFER on each segment it reaches. Columns: msg, " +
    "segment, srcIp, srcPort, dstIp, dstPort, giaddr, hops.",
  answer: { file: ANSWERS, export: "hops" },
  // Every row is public (the OFFER's rows are the lesson: to giaddr, from the physical address).
  public: [
    hopTable("the DISCOVER before and after the relay", 2, [0, 1]),
    hopTable("the DISCOVER through the firewalls", 1, [2, 3]),
    hopTable("the OFFER on its way back", 2, [4, 5, 6]),
  ],
  hidden: [],
});

// ------------------------------------------------------------------ dhcp.dropper / dhcp.dropper2

// wirelab:hidden-begin
/**
 * What each wrong choice overlooks, keyed to the learner's letter (sealed: the student copy cannot tell which
 * letters have one).
 */
const SERVER_SENDS =
  "the server does send OFFERs: count dhcp1's offers in the run table (and the DISCOVER/OFFER pairs " +
  "every 20-odd seconds in its log).";
const CLIENT_NEVER_GETS =
  "an OFFER the client ignored would appear on pxe-lan; find the last segment where the OFFER shows up in a capture.";
const DROPPER_WRONG: Record<string, string> = {
  A:
    "An empty GUI does not mean a drop: palo holds the exchange in one offloaded session that is logged " +
    "only when it ends. What does palo's capture show after clear session?",
  B:
    "forti's GUI is silent for the same reason as palo's (an offloaded session that never ends, " +
    "intra-zone traffic). Clear its session and capture: does the OFFER leave towards the next hop?",
  D: SERVER_SENDS,
  E: CLIENT_NEVER_GETS,
};
const DROPPER2_WRONG: Record<string, string> = {
  A: "palo forwards the OFFER: after clear session its capture shows it leave towards forti. Which GUI logs a deny?",
  C:
    "Look at what changed: with the relay fixed, does packet-tracer still drop a reply from the server's " +
    "physical address? Which device logs a deny now?",
  D: SERVER_SENDS,
  E: CLIENT_NEVER_GETS,
};
const wrongChoices = (m: Record<string, string>): KnownWrong[] =>
  Object.entries(m).map(([answer, message]) => ({ answer, message }));
// wirelab:hidden-end

const dropperEx = defineExercise({
  id: "dhcp.dropper",
  title: "Which device drops the OFFER?",
  kind: "choice",
  notebook: NB,
  prompt:
    "In the PXE lab as delivered (`labs/dhcp/relay.conf` as shown), which device drops the DHCPOFFER? " +
    "Use the server's counts, the firewalls' GUIs, session tables and captures.",
  choices: DROPPER_CHOICES,
  answer: { file: ANSWERS, export: "dropper" },
  public: [
    sealedChoice("the dropping device", 2, {
      hint: "Re-read the scenario and check each choice against the evidence, not just the first one that fits.",
      // wirelab:hidden-begin
      key: (): AnswerKey => ({
        right: dropperLetter(),
        why:
          "the OFFER crosses palo and forti (they forward it in hardware, so their GUIs show nothing) and " +
          "dies on the asa, whose relay accepts replies only from 10.20.30.10 (the VIP) while the server " +
          "answers from 10.20.30.11",
        wrong: wrongChoices(DROPPER_WRONG),
      }),
      // wirelab:hidden-end
    }),
  ],
  hidden: [],
});

const dropper2Ex = defineExercise({
  id: "dhcp.dropper2",
  title: "Which device drops the OFFER? (a policy change)",
  kind: "choice",
  notebook: NB,
  prompt:
    "Same lab with the relay fixed, but someone added a rule on one firewall (`pxeLab({ fix: true, " +
    "fortiDeny: true })`). Which device drops the DHCPOFFER now?",
  choices: DROPPER_CHOICES,
  answer: { file: ANSWERS, export: "dropper2" },
  public: [
    sealedChoice("the dropping device", 2, {
      hint: "Re-read the scenario and check each choice against the evidence, not just the first one that fits.",
      // wirelab:hidden-begin
      key: (): AnswerKey => ({
        right: dropperLetter({ fix: true, fortiDeny: true }),
        why: "the forti policy denies UDP to port 67 from the server network, and denies are logged in its GUI",
        wrong: wrongChoices(DROPPER2_WRONG),
      }),
      // wirelab:hidden-end
    }),
  ],
  hidden: [],
});

// ------------------------------------------------------------------ dhcp.forward (code)

type Fwd = (
  p: { giaddr: string; hops: number },
  ifaceIp: string,
  maxHops: number,
) => { giaddr: string; hops: number } | "drop";

function fwdCase(
  name: string,
  points: number,
  args: [{ giaddr: string; hops: number }, string, number],
  want: ReturnType<Fwd>,
): TestCase {
  return {
    name,
    points,
    async run(m) {
      const fn: unknown = typeof m === "function" ? m : m?.forwardRequest;
      if (typeof fn !== "function") return fail(`export a function named forwardRequest (found ${brief(fn)})`);
      const got = await (fn as Fwd)({ ...args[0] }, args[1], args[2]);
      const same = JSON.stringify(got) === JSON.stringify(want);
      const call = `forwardRequest(${brief(args[0])}, "${args[1]}", ${args[2]})`;
      if (same) return pass(`${call} = ${brief(got)}`);
      const g = got as { giaddr?: string; hops?: number } | string;
      const why =
        want === "drop"
          ? "hops + 1 would exceed the limit: RFC 1542 §4.1.1 says discard (a relay loop protection)."
          : g === "drop"
            ? "hops + 1 equals the limit here, which is still allowed: discard only when it would EXCEED maxHops."
            : typeof g === "object" && g && args[0].giaddr !== "0.0.0.0" && g.giaddr !== args[0].giaddr
              ? "a relay sets giaddr only when it is 0.0.0.0: the first relay's address must survive, because " +
                "the server answers to it."
              : typeof g === "object" && g && g.hops !== args[0].hops + 1
                ? "every relay adds 1 to hops, whether or not it sets giaddr."
                : "RFC 1542 §4.1.1: set giaddr only when it is 0.0.0.0, add 1 to hops, discard when hops would " +
                  "exceed the limit.";
      return fail(`${call} returned ${brief(got)}: ${why}`);
    },
  };
}

const forwardEx = defineExercise({
  id: "dhcp.forward",
  title: "Write the relay's forwarding rule",
  kind: "code",
  notebook: NB,
  prompt:
    "In `exercises/dhcp/forward.ts`, implement `forwardRequest(p, ifaceIp, maxHops)`: return the new `{ " +
    'giaddr, hops }` of a relayed request, or `"drop"` when hops + 1 exceeds maxHops.',
  answer: { file: "exercises/dhcp/forward.ts", export: "forwardRequest" },
  public: [
    fwdCase("first relay sets giaddr", 1, [{ giaddr: "0.0.0.0", hops: 0 }, "10.94.240.1", 10], {
      giaddr: "10.94.240.1",
      hops: 1,
    }),
    fwdCase("second relay keeps giaddr", 1, [{ giaddr: "10.94.240.1", hops: 1 }, "10.0.3.1", 10], {
      giaddr: "10.94.240.1",
      hops: 2,
    }),
    fwdCase("hops at the limit is dropped", 1, [{ giaddr: "10.1.1.1", hops: 4 }, "10.0.0.1", 4], "drop"),
    fwdCase("one below the limit passes", 1, [{ giaddr: "10.1.1.1", hops: 3 }, "10.0.0.1", 4], {
      giaddr: "10.1.1.1",
      hops: 4,
    }),
  ],
  hidden: [
    // wirelab:hidden-begin
    fwdCase("hops 255 never wraps", 1, [{ giaddr: "0.0.0.0", hops: 255 }, "10.0.0.1", 255], "drop"),
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ dhcp.fix

const FIX_FILE = "exercises/dhcp/relay.conf";
const strip = (t: string) =>
  t
    .split(/\r?\n/)
    .map((l) => l.replace(/[!#].*$/, "").trim())
    .filter(Boolean)
    .join("\n");

function runWith(text: string, o: { serverMode?: "interface" | "targeted" } = {}) {
  const lab = pxeLab({ relayConfig: text, configFile: FIX_FILE, ...o });
  lab.run(60);
  return lab;
}

function parses(text: string): string | undefined {
  try {
    parseRelayConfig(text, FIX_FILE);
    return undefined;
  } catch (e) {
    return e instanceof WirelabError ? e.message : String(e);
  }
}

const fixEx = defineExercise({
  id: "dhcp.fix",
  title: "Fix the relay so the PXE client gets its lease",
  kind: "fix",
  notebook: NB,
  prompt:
    "Edit `exercises/dhcp/relay.conf` (the asa's relay configuration) so the PXE client of the lab ends " +
    "BOUND. Keep relaying on SERVERS-ZONE and keep the VIP: other clients use it.",
  answer: { file: FIX_FILE },
  isUnattempted: (text) => typeof text === "string" && strip(text) === strip(BROKEN_RELAY_CONFIG),
  public: [
    {
      name: "the configuration parses",
      points: 1,
      run: (t) => {
        const e = parses(t);
        return e ? fail(e) : pass("every line is understood");
      },
    },
    {
      name: "the PXE client ends BOUND",
      points: 3,
      timeoutMs: 15000,
      run(t) {
        const e = parses(t);
        if (e) return fail(e);
        const lab = runWith(t);
        if (lab.client.state === "BOUND")
          return pass(
            `BOUND to ${lab.client.binding!.ip} after ${lab.client.binding!.since.toFixed(3)} s of simulated time`,
          );
        const d = lab.drops().find((x) => /relay:|firewall:/.test(x.text)) ?? lab.drops()[0];
        return fail(
          `the client is still ${lab.client.state}.${d ? ` First drop: ${d.node}: ${d.text}.` : ""} Which ` +
            `source address do the OFFERs carry when they reach the asa?`,
        );
      },
    },
    {
      name: "relaying stays on SERVERS-ZONE and the VIP stays configured",
      points: 1,
      run(t) {
        const e = parses(t);
        if (e) return fail(e);
        const c = parseRelayConfig(t, FIX_FILE);
        if (!c.enabled.includes("SERVERS-ZONE"))
          return fail("relaying must stay enabled on SERVERS-ZONE (the PXE clients' side)");
        if (!c.servers.some((s) => s.ip === "10.20.30.10"))
          return fail(
            "the VIP 10.20.30.10 is gone from the servers: keep it. The relay sends requests to its servers, " +
              "other clients depend on the VIP, and a server that answers from the VIP (Kea does) would be " +
              "dropped again. A relay must list every address a reply may come from.",
          );
        return pass("SERVERS-ZONE relays, VIP kept");
      },
    },
  ],
  hidden: [
    // wirelab:hidden-begin
    {
      name: "still BOUND if the server starts answering from the VIP (Kea-style)",
      points: 1,
      timeoutMs: 15000,
      run(t) {
        const e = parses(t);
        if (e) return fail(e);
        const lab = runWith(t, { serverMode: "targeted" });
        return lab.client.state === "BOUND"
          ? pass("works for both reply-source behaviours")
          : fail(`with a server replying from the VIP the client is ${lab.client.state}`);
      },
    },
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ dhcp.option82 (predict)

type O82Field = keyof Option82Answer;
const asBool = (v: unknown): boolean | undefined =>
  typeof v === "boolean"
    ? v
    : /^(true|yes)$/i.test(String(v).trim())
      ? true
      : /^(false|no)$/i.test(String(v).trim())
        ? false
        : undefined;

// wirelab:hidden-begin
function o82Case(
  name: string,
  points: number,
  fields: O82Field[],
  serverMode: "interface" | "targeted",
  teach: (f: O82Field, got: unknown) => string,
): TestCase {
  return {
    name,
    points,
    run(answer) {
      if (!answer || typeof answer !== "object")
        return fail(
          `answer with an object { circuitId, remoteId, serverReceives82, serverEchoes82, clientReceives82 } ` +
            `(got ${brief(answer)})`,
        );
      const want = expectedOption82(serverMode);
      const wrong: string[] = [];
      for (const f of fields) {
        const w = want[f];
        const raw = typeof w === "boolean" ? asBool(answer[f]) : norm(answer[f]);
        const got = typeof raw === "string" && ABSENT.includes(raw) ? "" : raw;
        if (got !== (typeof w === "boolean" ? w : norm(w)))
          wrong.push(`${f}: you have ${brief(answer[f])}. ${teach(f, answer[f])}`);
      }
      return wrong.length === 0 ? pass(`${fields.join(", ")}: right`) : fail(wrong.join(" "));
    },
  };
}
// wirelab:hidden-end

/** Ways of writing "this sub-option is not there". */
const ABSENT = ["none", "-", "(none)", "absent", "null", "undefined", "no"];

/**
 * Teaching keyed to the shape of the learner's own text (public: it explains the sub-options, not this lab's
 * values).
 */
const O82_TEACH = (f: string, got: unknown): string | undefined => {
  const g = norm(got);
  if (f === "circuitId") {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(g))
      return "An address is already in giaddr; circuit-id (sub-option 1) names the circuit the request came in on.";
    if (/:/.test(g))
      return (
        "The client's MAC is already in chaddr; circuit-id names the circuit (port or VLAN) the request " +
        "came in on."
      );
    return "circuit-id (sub-option 1) names where the request came in. Read it in the relayed DISCOVER's option 82.";
  }
  if (f === "remoteId") {
    if (/:/.test(g))
      return (
        "remote-id (sub-option 2) identifies the relay agent / remote end, not the client: the client's " +
        "MAC is already in chaddr."
      );
    return "Count the sub-options in the relayed DISCOVER's option 82.";
  }
  return undefined;
};

const asO82Text: Normaliser = (v) => {
  const t = norm(v);
  return ABSENT.includes(t) ? "" : t;
};
const asO82Bool: Normaliser = (v) => {
  const b = asBool(v);
  if (b === undefined) throw new Error(`answer true or false (got ${brief(v)})`);
  return String(b);
};
const O82_SHAPE = "{ circuitId, remoteId, serverReceives82, serverEchoes82, clientReceives82 }";

// wirelab:hidden-begin
/** What each wrong true/false overlooks (sealed: in the source it would give the answer away). */
const O82_WRONG: Record<string, string> = {
  serverReceives82:
    "The relay inserts option 82 into the request it forwards, so the server is the one that reads it " +
    "(to pick a pool, log the port, apply a policy).",
  serverEchoes82:
    "RFC 3046 §2.2: a server that understands option 82 echoes it, unchanged, in its reply (ISC dhcpd " +
    "and Kea both do), so the relay can use it to deliver the reply.",
  clientReceives82:
    "The relay removes option 82 from the reply before delivering it (RFC 3046 §2.1): the information is " +
    "only for the relay and the server, the client never sees it.",
};
function o82Key(fields: O82Field[]): AnswerKey {
  const want = expectedOption82("interface");
  const wrong: KnownWrong[] = [];
  for (const f of fields) {
    if (typeof want[f] === "boolean") wrong.push({ cell: f, answer: !want[f], message: O82_WRONG[f]! });
  }
  if (fields.includes("remoteId") && want.remoteId === "") {
    wrong.push({
      cell: "remoteId",
      answer: want.circuitId,
      message:
        "remote-id (sub-option 2) is optional, and not every relay sends one: this lab's relay behaves like " +
        "ISC dhcrelay -a, which adds only a circuit-id unless a remote-id is configured.",
    });
    // The relay's own name is the classic guess (Cisco-style relays put their identity there).
    wrong.push({
      cell: "remoteId",
      answer: "relay",
      message:
        "remote-id (sub-option 2) is optional, and not every relay sends one: this lab's relay behaves like " +
        "ISC dhcrelay -a, which adds only a circuit-id unless a remote-id is configured.",
    });
  }
  return { right: Object.fromEntries(fields.map((f) => [f, want[f]])), wrong };
}
// wirelab:hidden-end

function o82Sealed(name: string, points: number, fields: O82Field[]) {
  return sealedFields(name, points, {
    fields: Object.fromEntries(fields.map((f) => [f, f === "circuitId" || f === "remoteId" ? asO82Text : asO82Bool])),
    shape: O82_SHAPE,
    hint: "",
    teach: O82_TEACH,
    // wirelab:hidden-begin
    key: () => o82Key(fields),
    // wirelab:hidden-end
  });
}

const option82Ex = defineExercise({
  id: "dhcp.option82",
  title: "Option 82: what the relay adds, what the server sees, what the client never sees",
  kind: "predict",
  notebook: NB,
  prompt:
    "In the one-relay lab with option 82 insertion on (`dhcp.relayLab({ option82: true })`, the relay's " +
    "`dhcprelay information insert`), the relay adds option 82 to the requests it forwards " +
    ("(RFC 3046). Answer with `{ circuitId, remoteId, serverReceives82, serverEchoes82, clientReceives82 " +
      '}`: the circuit-id and remote-id it inserts (as text; "" for a sub-option it does not send), ' +
      "whether the DISCOVER as the server ") +
    ("receives it carries option 82, whether the server's OFFER carries it, and whether the OFFER as the " +
      "client receives it carries it (true/false)."),
  answer: { file: ANSWERS, export: "option82" },
  public: [
    o82Sealed("what the relay adds (circuit-id, remote-id)", 1, ["circuitId", "remoteId"]),
    o82Sealed("what the server sees and sends back", 1, ["serverReceives82", "serverEchoes82"]),
    o82Sealed("what the client sees", 1, ["clientReceives82"]),
  ],
  hidden: [
    // wirelab:hidden-begin
    o82Case(
      "the same with a Kea-style server (replies from the VIP)",
      1,
      ["circuitId", "remoteId", "serverReceives82", "serverEchoes82", "clientReceives82"],
      "targeted",
      (f, g) => O82_TEACH(f, g) ?? O82_WRONG[f] ?? "",
    ),
    // wirelab:hidden-end
  ],
});

export const exercises: Exercise[] = [decodeEx, hopsEx, dropperEx, dropper2Ex, forwardEx, option82Ex, fixEx];

// Own work (src/grading/ownwork.ts): these answers are also library functions; reaching them earns nothing.
const OWN_WORK: Record<string, OwnWork> = {
  "dhcp.forward": {
    forbid: ["src/dhcp/relay#relayRequest", "src/dhcp/udprelay"],
    why: "Write the giaddr and hops rule yourself.",
  },
};
for (const [id, rule] of Object.entries(OWN_WORK))
  ownWork(
    exercises.find((e) => e.id === id)!,
    rule,
  );
