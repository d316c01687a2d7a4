// Answers for notebook 06-dhcp-relay (dhcp.decode, dhcp.hops, dhcp.dropper, dhcp.dropper2, dhcp.option82).
// Replace each `undefined`, then run:  npx wirelab grade dhcp
// (In the notebook you can also pass the value inline: check("dhcp.decode", { … }).)

// dhcp.decode: decode the OFFER printed by offerBytes() in the notebook.
export const decoded: {
  messageType: string; xid: string; yiaddr: string; giaddr: string; hops: number;
  broadcastFlag: boolean; serverId: string; leaseTime: number; bootfile: string;
} | undefined = undefined;

// dhcp.hops: one row per frame of the first exchange in the PXE lab, in time order.
export const hops: Array<{
  msg: string; segment: string; srcIp: string; srcPort: number; dstIp: string; dstPort: number; giaddr: string; hops: number;
}> | undefined = undefined;

// dhcp.dropper and dhcp.dropper2: a letter, "A" … "E".
export const dropper: string | undefined = undefined;
export const dropper2: string | undefined = undefined;

// dhcp.option82: { circuitId, remoteId, serverReceives82, serverEchoes82, clientReceives82 }
// (two strings, "" for a sub-option that is not sent; three true/false), for the one-relay lab
// with option 82 insertion on.
export const option82: {
  circuitId: string; remoteId: string; serverReceives82: boolean; serverEchoes82: boolean; clientReceives82: boolean;
} | undefined = undefined;
