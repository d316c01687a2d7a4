// Reference answers for notebook 06-dhcp-relay (dhcp.decode, dhcp.hops, dhcp.dropper, dhcp.dropper2).

// dhcp.decode: bytes 0–3 = 02 01 06 01 (op 2, htype 1, hlen 6, hops 1: the server copied the relay's count); 4–7 xid; 10–11 flags 80 00;
// 16–19 yiaddr 0a 5e f0 64; 24–27 giaddr 0a 5e f0 01; options 35 01 02 (OFFER), 36 04 … (server id),
// 33 04 00 00 02 58 (600 s), 43 0a "pxelinux.0".
export const decoded = {
  messageType: "OFFER", xid: "0x2d5c0ff1", yiaddr: "10.94.240.100", giaddr: "10.94.240.1", hops: 1,
  broadcastFlag: true, serverId: "10.20.30.11", leaseTime: 600, bootfile: "pxelinux.0",
};

// dhcp.hops: the relay (asa) sets giaddr to its client-side address, hops to 1, and sends from its
// upstream address 10.0.3.1 to the VIP; forti and palo route without touching DHCP; the server
// replies to giaddr:67 from its physical address, copying hops (as ISC dhcpd and Kea do); the OFFER dies at the asa.
const D = { msg: "DISCOVER", srcIp: "10.0.3.1", srcPort: 67, dstIp: "10.20.30.10", dstPort: 67, giaddr: "10.94.240.1", hops: 1 };
const O = { msg: "OFFER", srcIp: "10.20.30.11", srcPort: 67, dstIp: "10.94.240.1", dstPort: 67, giaddr: "10.94.240.1", hops: 1 };
export const hops = [
  { msg: "DISCOVER", segment: "pxe-lan", srcIp: "0.0.0.0", srcPort: 68, dstIp: "255.255.255.255", dstPort: 67, giaddr: "0.0.0.0", hops: 0 },
  { ...D, segment: "asa-forti" },
  { ...D, segment: "forti-palo" },
  { ...D, segment: "dc" },
  { ...O, segment: "dc" },
  { ...O, segment: "forti-palo" },
  { ...O, segment: "asa-forti" },
];

// dhcp.dropper: the asa's relay accepts replies only from 10.20.30.10, the OFFER comes from .11.
export const dropper = "C";
// dhcp.dropper2: the forti rule denies UDP to port 67 from 10.20.30.0/24.
export const dropper2 = "B";

// dhcp.option82: the relay inserts circuit-id = its receiving interface and, like ISC dhcrelay -a, no
// remote-id (none is configured); the server receives option 82 and echoes it (RFC 3046 §2.2); the
// relay strips it from the reply.
export const option82 = { circuitId: "lan0", remoteId: "", serverReceives82: true, serverEchoes82: true, clientReceives82: false };
