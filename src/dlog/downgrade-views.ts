/**
 * Views and scenarios of the Logjam downgrade lab (./downgrade.ts): a ladder of one connection
 * (client, man in the middle, server) with the tampered messages in red, and the named
 * configurations the notebook and exercise `dlog.downgrade` use. Views return data (a Diagram, a
 * TableView); nothing prints.
 */
import { ladder, renderTable, type Diagram, type TableView } from "../notebook";
import { downgrade, type ClientConfig, type DowngradeRun, type LogjamAttacker, type ServerConfig } from "./downgrade";

const PARTY_NAME = { client: "browser", attacker: "man in the middle", server: "server" } as const;

/** The connection as a ladder: one arrow per message, tampering in red, checks as notes. */
export function downgradeLadder(run: DowngradeRun, title?: string): Diagram {
  const parties = run.config.attacker ? (["client", "attacker", "server"] as const) : (["client", "server"] as const);
  const nodes = parties.map((p) => PARTY_NAME[p]);
  const messages = run.steps.map((s) => {
    const detail = s.tampered
      ? `changed: ${s.tampered}`
      : Object.entries(s.fields)
          .slice(0, 2)
          .map(([k, v]) => `${k} ${v.length > 64 ? v.slice(0, 63) + "…" : v}`)
          .join(" · ");
    return {
      from: PARTY_NAME[s.from],
      to: PARTY_NAME[s.to],
      label: s.message,
      detail,
      color: s.tampered ? "#dc2626" : s.message === "Alert" ? "#b45309" : undefined,
    };
  });
  const notes = run.steps.flatMap((s, i) =>
    s.note
      ? [
          {
            at: i,
            node: PARTY_NAME[s.to === s.from ? s.from : s.to],
            text: s.note.length > 70 ? s.note.slice(0, 69) + "…" : s.note,
          },
        ]
      : [],
  );
  return ladder(nodes, messages, { title: title ?? `Outcome: ${run.outcome}`, notes, width: 300 * nodes.length });
}

/** Every step with all its fields, for reading the trace closely. */
export function downgradeTable(run: DowngradeRun): TableView {
  return renderTable(
    run.steps.map((s, i) => ({
      "#": i + 1,
      from: PARTY_NAME[s.from],
      to: PARTY_NAME[s.to],
      message: s.message,
      fields: Object.entries(s.fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; "),
      "changed by the attacker": s.tampered ?? "",
      note: s.note ?? "",
    })),
    { caption: `${run.outcome}: ${run.reason}` },
  );
}

/** A named variation of the 2015 setting (a browser and a web server with export suites still on). */
export interface DowngradeQuestion {
  letter: string;
  change: string;
  client?: Partial<ClientConfig>;
  server?: Partial<ServerConfig>;
}

/**
 * Exercise dlog.downgrade: for each variation, does the man in the middle read the request?
 * Neither the answers nor the explanations live here (they are sealed: src/dlog/exercise-downgrade.ts).
 */
export const DOWNGRADE_QUESTIONS: DowngradeQuestion[] = [
  {
    letter: "A",
    change: "the server disables its export suites (everything else as in the lab)",
    server: { exportSuites: false },
  },
  {
    letter: "B",
    change: "the browser refuses DH groups under 1024 bits",
    client: { minDhBits: 1024 },
  },
  {
    letter: "C",
    change: "the browser offers only ECDHE suites",
    client: { offers: ["ECDHE"] },
  },
  {
    letter: "D",
    change: "the server's certificate key is RSA-4096 instead of RSA-2048",
    server: { certificate: "RSA-4096" },
  },
  {
    letter: "E",
    change: "both the browser and the server also support TLS 1.3 (the server keeps its export suites for TLS 1.2)",
    client: { tls13: true },
    server: { tls13: true },
  },
  {
    letter: "F",
    change: "the browser supports TLS 1.3; the server is the lab's (TLS 1.2 only)",
    client: { tls13: true },
  },
];

/** Runs one question's configuration. */
export function runQuestion(q: DowngradeQuestion, attacker?: LogjamAttacker): DowngradeRun {
  return downgrade({ client: q.client, server: q.server }, attacker);
}

/** The questions as a table, without their outcomes (shown before the exercise). */
export function downgradeQuestionsTable(): TableView {
  return renderTable(
    DOWNGRADE_QUESTIONS.map((q) => ({ "": q.letter, "change from the lab": q.change })),
    { caption: 'Does the man in the middle read the request? Answer "read" or "safe" for each.' },
  );
}

/** Outcomes of every question (shown only after the exercise's check). */
export function downgradeOutcomesTable(attacker?: LogjamAttacker): TableView {
  return renderTable(
    DOWNGRADE_QUESTIONS.map((q) => {
      const r = runQuestion(q, attacker);
      return { "": q.letter, change: q.change, outcome: r.outcome, why: r.reason };
    }),
    { caption: "The six variations, run" },
  );
}
