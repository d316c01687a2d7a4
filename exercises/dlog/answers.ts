// Answers for notebook 03-precomputed-prime-attack (dlog.weakgroup, dlog.byhand, dlog.downgrade).
// Replace each `undefined`, then run   npx wirelab grade dlog
type Value = number | bigint | string | undefined;

// dlog.weakgroup: Pick the weak group (1 point, all public)
export const weakGroup: string | undefined = undefined;

// dlog.byhand: log_2(945) modulo 1018 in Z_1019^*, from the relation database in the notebook.
// An expression is fine, e.g. "(3*a + b + c) mod 1018" with the numbers filled in.
// dlog.byhand: A log from a relation database, by hand (3 points: 2 public + 1 hidden)
export const byHand: Value = undefined;

// dlog.downgrade: for each variation A–F of the Logjam lab, "read" (the man in the middle reads the
// request) or "safe" (it does not), e.g. { A: "…", B: "…", C: "…", D: "…", E: "…", F: "…" }.
// dlog.downgrade: Which change stops the Logjam downgrade? (6 points, all public)
export const downgrade: Record<string, string> | undefined = undefined;
