// Answers for notebook 06-dhcp-relay (dhcp.decode, dhcp.hops, dhcp.dropper, dhcp.dropper2, dhcp.option82).
// Replace each `undefined`, then run:  npx wirelab grade dhcp
// (In the notebook you can also pass the value inline: check("dhcp.decode", { … }).)

// dhcp.decode: Decode a DHCPOFFER from its bytes (9 points, all public)
export const decoded: {
  messageType: string; xid: string; yiaddr: string; giaddr: string; hops: number;
  broadcastFlag: boolean; serverId: string; leaseTime: number; bootfile: string;
} | undefined = undefined;

// dhcp.hops: Predict addresses, ports, giaddr and hops on every hop (5 points, all public)
export const hops: Array<{
  msg: string; segment: string; srcIp: string; srcPort: number; dstIp: string; dstPort: number; giaddr: string; hops: number;
}> | undefined = undefined;

// dhcp.dropper and dhcp.dropper2: a letter, "A" … "E".
// dhcp.dropper: Which device drops the OFFER? (2 points, all public)
export const dropper: string | undefined = undefined;
// dhcp.dropper2: Which device drops the OFFER? (a policy change) (2 points, all public)
export const dropper2: string | undefined = undefined;

// dhcp.option82: { circuitId, remoteId, serverReceives82, serverEchoes82, clientReceives82 }
// (two strings, "" for a sub-option that is not sent; three true/false), for the one-relay lab
// with option 82 insertion on.
// dhcp.option82: Option 82: what the relay adds, what the server sees, what the client never sees (4 points: 3 public + 1 hidden)
export const option82: {
  circuitId: string; remoteId: string; serverReceives82: boolean; serverEchoes82: boolean; clientReceives82: boolean;
} | undefined = undefined;
