/**
 * `wirelab/dlog`: discrete logarithms modulo a prime, from brute force to index calculus with a
 * reusable precomputation, and the Logjam classroom lab. See docs/dlog.md.
 */
export * from "./group";
export * from "./generic";
export * from "./index-calculus";
export * from "./dlog";
export * from "./logjam";
export * from "./views";
export * from "./lab";
export * from "./exdata";
export * from "./verify";
export { bitLength, crt, isqrt } from "../math/modular";
export * from "./downgrade";
export * from "./downgrade-views";
