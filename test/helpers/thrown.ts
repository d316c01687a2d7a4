/**
 * The value a function throws, for checks of an error that a single `toThrow` cannot express
 * (its class, a field and its message together): `expect(thrownBy(fn)).toSatisfy(pred)`.
 * A function that returns instead fails the test.
 */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error(`expected ${fn.toString().slice(0, 200)} to throw, but it returned`);
}
