/**
 * `wirelab/capture`: capture files (pcap, pcapng) and link layers (Ethernet/VLAN, Linux cooked
 * SLL/SLL2, raw IP), shared by the DHCP and MPLS decoders. See reader.ts and link.ts.
 */
export * from "./reader";
export * from "./link";
