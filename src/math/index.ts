/**
 * wirelab/math: the shared arithmetic floor below the topics — modular arithmetic on bigint
 * (HAC ch. 2.4, 14), one Chinese remainder, one integer square root, and primes (Miller-Rabin,
 * safe primes; FIPS 186-5 appendix B.3). `dh` and `dlog` both build on it.
 */
export * from "./modular";
export * from "./primes";
