/**
 * wirelab/dh: modular arithmetic, primes, named groups, Diffie-Hellman exchange, validation,
 * attacks, and views for the notebooks (01-modular-arithmetic, 02-diffie-hellman).
 */
export * from "./modular";
export * from "./primes";
export * from "./groups";
export * from "./validate";
export * from "./exchange";
export * from "./attacks";
export * from "./views";
export * from "./lab";
