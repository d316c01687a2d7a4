/**
 * wirelab/dhcp: DHCP relay flows. A strict RFC 2131/2132/3046 codec, Ethernet/IPv4/UDP framing,
 * pcap files, and a byte-moving simulation of clients, relays, servers and stateful firewalls,
 * with the lab of the PXE client that never got an address. Display helpers live in ./views.
 */
export * from "./addr";
export * from "./packet";
export * from "./frame";
export * from "./pcap";
export * from "./sim";
export * from "./firewall";
export * from "./relay";
export * from "./server";
export * from "./client";
export * from "./lab";
export * from "./decode";
export * from "./trace";
export * from "./udprelay";
export * from "./exdata";
export * from "./views";
