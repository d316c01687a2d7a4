// Exercise dhcp.forward: Write the relay's forwarding rule (notebook 06-dhcp-relay; 5 points: 4 public + 1 hidden)
//
// In `exercises/dhcp/forward.ts`, implement `forwardRequest(p, ifaceIp, maxHops)`: return the new
// `{ giaddr, hops }` of a relayed request, or `"drop"` when hops + 1 exceeds maxHops.
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's relayRequest (src/dhcp/relay.ts), src/dhcp/udprelay.ts (or any npm package) here earns
// no credit. Write the giaddr and hops rule yourself.
//
// Grade with: npx wirelab grade dhcp.forward
// The rules (RFC 2131 §4.1, RFC 1542 §4.1.1):
//   - if giaddr is "0.0.0.0", set it to the address of the interface the request came in on;
//     otherwise keep it (another relay closer to the client already set it);
//   - add 1 to hops; if the new value would exceed maxHops, return "drop" instead.
import { todo } from "../../src/grading/spec";

export function forwardRequest(p: { giaddr: string; hops: number }, ifaceIp: string, maxHops: number): { giaddr: string; hops: number } | "drop" {
  return todo("forwardRequest");
}
