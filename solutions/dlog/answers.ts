// Answers for notebook 03-precomputed-prime-attack (dlog.weakgroup, dlog.byhand, dlog.downgrade).
// Replace each `undefined`, then run   npx wirelab grade dlog
type Value = number | bigint | string | undefined;

// dlog.weakgroup: the letter of the weakest group, e.g. "A".
export const weakGroup: string | undefined = "B";

// dlog.byhand: log_2(945) modulo 1018 in Z_1019^*, from the relation database in the notebook.
// An expression is fine, e.g. "(3*a + b + c) mod 1018" with the numbers filled in.
export const byHand: Value = "(3*958 + 10 + 363) mod 1018"; // 3·L(3) + L(5) + L(7), since 945 = 3^3 · 5 · 7

// dlog.downgrade: for each variation A–F of the Logjam lab, "read" (the man in the middle reads the
// request) or "safe" (it does not), e.g. { A: "…", B: "…", C: "…", D: "…", E: "…", F: "…" }.
export const downgrade: Record<string, string> | undefined = { A: "safe", B: "safe", C: "safe", D: "read", E: "safe", F: "read" };
