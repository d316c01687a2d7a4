/**
 * Compatibility path: modular arithmetic moved to the shared floor `src/math/modular.ts`. Kept so
 * that exercise files and notebooks written against `src/dh/modular` keep importing it.
 */
export * from "../math/modular";
