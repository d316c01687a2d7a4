/**
 * `wirelab/mpls`: an MPLS forwarding and label-distribution simulator.
 *
 * parseTopology (YAML/JSON) → buildNetwork (LDP, RSVP-TE with CSPF, BGP-LU, L3VPN, static LSPs)
 * → trace (the packet walk, hop by hop) → walkPcap (frames for Wireshark). Views for notebooks
 * live in ./views. See docs/mpls.md for the file format.
 */
export * from "./label";
export * from "./topology";
export * from "./spf";
export * from "./network";
export * from "./walk";
export * from "./pcap";
export * from "./views";
export * from "./lab";
export * from "./exdata";
export * from "./junos";
export * from "./ldp";
export * from "./decode";
export * from "./csc";
