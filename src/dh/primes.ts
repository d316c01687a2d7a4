/**
 * Compatibility path: primes moved to the shared floor `src/math/primes.ts`. Kept so that exercise
 * files and notebooks written against `src/dh/primes` keep importing it.
 */
export * from "../math/primes";
