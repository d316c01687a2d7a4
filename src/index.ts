/**
 * The wirelab library as one package entry (`require("wirelab")`, package.json `main`): one
 * namespace per topic, plus the shared floors. Notebooks import the topic folders directly
 * (`../dist/dh`); this entry is for scripts and other tools. It pulls in no CLI, grading or
 * exercise code.
 *
 * @example
 *   const { math, shell } = require("wirelab");
 *   math.modPow(7n, 29n, 17n)     // 6n
 *   shell.words("a 'b c'")        // [["a", "b c"]]
 */
export * as math from "./math";
export * as dh from "./dh";
export * as dlog from "./dlog";
export * as vpn from "./vpn";
export * as mpls from "./mpls";
export * as dhcp from "./dhcp";
export * as shell from "./shell";
export * as capture from "./capture";
export * as notebook from "./notebook";
