// Reference for dh.validate: range check, then subgroup membership.
import { modPow } from "../../src/dh";

export function checkPeerKey(y: bigint, p: bigint, q: bigint): "ok" | "range" | "subgroup" {
  if (typeof y !== "bigint" || y < 2n || y > p - 2n) return "range";
  if (modPow(y, q, p) !== 1n) return "subgroup";
  return "ok";
}
