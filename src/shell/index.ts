/**
 * wirelab/shell: how bash turns a command line into words, and how to quote text so that it
 * survives one or more shells (ssh, docker exec, bash -c). Verified against bash 5.2.
 *
 * @example
 *   import { words, quote, explain, levels } from "wirelab/dist/shell";
 *   words(`printf '%s\n' $x "$x"`, { vars: { x: "a b" } }) // [["printf", "%s\n", "a", "b", "a b"]]
 *   quote("it's")                                          // "\"it's\""
 */
export * from "./lexer";
export * from "./expand";
export * from "./parse";
export * from "./quote";
export { quoteLikeBashQ } from "./bashq";
export * from "./levels";
export * from "./lab";
export { runBash, type BashCase, type BashResult } from "./bashrun";
export { randomCases, randomString, randomLine } from "./gen";
export * from "./explain";
export * from "./views";
