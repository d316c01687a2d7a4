/**
 * `wirelab/vpn`: MPLS L3VPN route targets and route distinguishers (RFC 4364, RFC 4360,
 * RFC 4456). RD/RT codec, the route engine with explanations, Junos and IOS-XE parsers, lab
 * scenarios, FRR translation and notebook views.
 */
export * from "./rd";
export * from "./model";
export * from "./engine";
export * from "./config";
export { parseJunos } from "./junos";
export { parseIos } from "./ios";
export * from "./lab";
export * from "./frr";
export * from "./views";
export * from "./fast";
export * from "./synthetic";
