/**
 * Sealed answers: how public checks of value, choice and predict answers compare without the
 * student copy holding the answer.
 *
 * An answer slot (one value, one choice, one cell of a predict table) has a short list of known
 * answers: the right one and, optionally, plausible wrong ones, each with the message it earns.
 * For every known answer the seal stores one entry, `id → ciphertext`, where
 *
 *     k      = PBKDF2-SHA256(normalised answer, "wirelab-seal-v1/" + slot, 2048 rounds, 60 bytes)
 *     id     = hex(k[0..16))                (the lookup key: a salted, slow digest of the answer)
 *     cipher = AES-256-GCM(k[16..48), iv = k[48..60)) of JSON { pass, message }
 *
 * A learner's answer is normalised, its `k` derived, and the entry under `id` decrypted with the
 * key only that answer yields. So the sealed file names neither the right answer nor which entry
 * is the right one, nor the wrong answers that have a message: each message opens only for the
 * answer it was written for. The slot name salts every digest, so equal answers in different
 * slots look unrelated. What a seal cannot do: stop someone trying every candidate offline when
 * the candidates are few (a choice letter, a hop count). That costs them 2048 hash rounds per try
 * and teaches as much as trying the letters with `check()`; it is the limit of any self-check
 * that runs on the learner's own machine. Hidden tests are not sealed: they and their data live
 * only in the instructor's copy, inside the hidden-test markers (see spec.ts).
 *
 * The plain answers live in the exercise specs inside hidden-test markers (a test builder's `key`);
 * `wirelab seal` (src/workshop/seal.ts) derives the entries into `src/grading/sealed-keys.ts`,
 * and `wirelab seal --check` fails when that file no longer matches the specs.
 * Primitives: RFC 8018 §5.2 (PBKDF2), NIST SP 800-38D (GCM).
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync } from "node:crypto";

/**
 * Derivation rounds: slow enough to make offline guessing of large answer spaces costly, fast enough for a 60-cell
 * table.
 */
export const SEAL_ROUNDS = 2048;
const SALT_PREFIX = "wirelab-seal-v1/";
/** Normalised answers longer than this are not looked up (they cannot be a known answer). */
export const MAX_SEALED_ANSWER = 4096;

/** What a known answer earns: pass or not, and the message shown for it. */
export interface SealedVerdict {
  pass: boolean;
  message: string;
}

/** One slot's sealed entries: digest id → base64 ciphertext (GCM tag appended). */
export type SealedSlot = Record<string, string>;
/** Every sealed slot of the course: `exercise-id/test name[/cell]` → entries. */
export type SealedKeys = Record<string, SealedSlot>;

function derive(slot: string, normalised: string): { id: string; key: Buffer; iv: Buffer } {
  const k = pbkdf2Sync(Buffer.from(normalised, "utf8"), SALT_PREFIX + slot, SEAL_ROUNDS, 60, "sha256");
  return { id: k.subarray(0, 16).toString("hex"), key: k.subarray(16, 48), iv: k.subarray(48, 60) };
}

/** The entry for one known answer (deterministic: the same input gives the same entry). */
export function sealEntry(slot: string, normalised: string, verdict: SealedVerdict): [string, string] {
  const { id, key, iv } = derive(slot, normalised);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([
    c.update(JSON.stringify({ pass: verdict.pass, message: verdict.message }), "utf8"),
    c.final(),
    c.getAuthTag(),
  ]);
  return [id, body.toString("base64")];
}

/** Seals a slot's known answers. Two different verdicts for the same normalised answer are an error. */
export function sealSlot(slot: string, known: Array<{ answer: string; verdict: SealedVerdict }>): SealedSlot {
  const out: SealedSlot = {};
  const seen = new Map<string, SealedVerdict>();
  for (const { answer, verdict } of known) {
    const prev = seen.get(answer);
    if (prev) {
      if (prev.pass !== verdict.pass)
        throw new Error(`sealed slot ${slot}: the answer ${JSON.stringify(answer)} is listed as both right and wrong`);
      continue;
    }
    seen.set(answer, verdict);
    const [id, ct] = sealEntry(slot, answer, verdict);
    out[id] = ct;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The verdict sealed for this normalised answer, or undefined when it is not a known answer. */
export function openSealed(
  slot: string,
  entries: SealedSlot | undefined,
  normalised: string,
): SealedVerdict | undefined {
  if (!entries || normalised.length > MAX_SEALED_ANSWER) return undefined;
  const { id, key, iv } = derive(slot, normalised);
  const ct = Object.prototype.hasOwnProperty.call(entries, id) ? entries[id] : undefined;
  if (typeof ct !== "string") return undefined;
  const raw = Buffer.from(ct, "base64");
  if (raw.length < 17) return undefined;
  try {
    const d = createDecipheriv("aes-256-gcm", key, iv);
    d.setAuthTag(raw.subarray(raw.length - 16));
    const text = Buffer.concat([d.update(raw.subarray(0, raw.length - 16)), d.final()]).toString("utf8");
    const v = JSON.parse(text) as SealedVerdict;
    return typeof v.pass === "boolean" && typeof v.message === "string"
      ? { pass: v.pass, message: v.message }
      : undefined;
  } catch {
    return undefined;
  }
}
