// Reference solution for start.wildcard.
export function wildcardMask(prefixLen: number): string {
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > 32) {
    throw new RangeError(`prefix length must be an integer from 0 to 32, got ${prefixLen}`);
  }
  // Work in arithmetic, not shifts: 1 << 32 is 1 in JavaScript.
  const host = 2 ** (32 - prefixLen) - 1;
  return [2 ** 24, 2 ** 16, 2 ** 8, 1].map((d) => Math.floor(host / d) % 256).join(".");
}
