/**
 * Test helper: decode a pcap with tshark (the independent oracle) and compare it field for field
 * with the kit's decoder. tshark runs with IP and UDP checksum verification on and `-x`, so every
 * option's byte offset in the frame is compared too.
 */
import { spawnSync } from "node:child_process";
import { decodeFrame } from "../../src/dhcp/frame";
import { decodeDhcp, fieldsOf, MESSAGE_TYPES } from "../../src/dhcp/packet";
import { readPcap } from "../../src/dhcp/pcap";
import { bytesToHex } from "../../src/dhcp/addr";

export type Layers = Record<string, any>;

export function tsharkJson(file: string): Layers[] {
  const r = spawnSync(
    "tshark",
    [
      "-r",
      file,
      "-T",
      "json",
      "-x",
      "--no-duplicate-keys",
      "-o",
      "ip.check_checksum:TRUE",
      "-o",
      "udp.check_checksum:TRUE",
    ],
    { encoding: "utf8", maxBuffer: 1 << 28, timeout: 60000 },
  );
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as Array<{ _source: { layers: Layers } }>).map((p) => p._source.layers);
}

const arr = (v: unknown): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const colonHex = (s: string | undefined) => (s === undefined ? undefined : s.replace(/:/g, "").toLowerCase());

/** Compares every packet; returns a list of human-readable mismatches (empty = identical). */
export function compareWithTshark(
  pcap: Uint8Array,
  layers: Layers[],
): { mismatches: string[]; checked: number; fields: number } {
  const pk = readPcap(pcap).packets;
  const mismatches: string[] = [];
  let fields = 0;
  if (pk.length !== layers.length) mismatches.push(`packet count: kit ${pk.length}, tshark ${layers.length}`);
  pk.forEach((p, i) => {
    const L = layers[i];
    if (!L) return;
    const eq = (name: string, mine: unknown, theirs: unknown) => {
      fields++;
      if (String(mine) !== String(theirs))
        mismatches.push(`packet ${i + 1} ${name}: kit ${JSON.stringify(mine)}, tshark ${JSON.stringify(theirs)}`);
    };
    if (!L.dhcp) {
      mismatches.push(`packet ${i + 1}: tshark does not see DHCP`);
      return;
    }
    const f = decodeFrame(p.data);
    const d = decodeDhcp(f.payload, f.payloadOffset);
    const t = fieldsOf(d);
    eq("ip.src", f.srcIp, L.ip["ip.src"]);
    eq("ip.dst", f.dstIp, L.ip["ip.dst"]);
    eq("ip.ttl", f.ttl, L.ip["ip.ttl"]);
    eq("ip.checksum.status (1 = good)", 1, L.ip["ip.checksum.status"]);
    eq("udp.srcport", f.srcPort, L.udp["udp.srcport"]);
    eq("udp.dstport", f.dstPort, L.udp["udp.dstport"]);
    eq("udp.checksum.status (1 = good)", f.checksums.udp === "good" ? 1 : 2, L.udp["udp.checksum.status"]);
    const D = L.dhcp;
    eq("op", d.op, D["dhcp.type"]);
    eq("htype", d.htype, parseInt(D["dhcp.hw.type"], 16));
    eq("hlen", d.hlen, D["dhcp.hw.len"]);
    eq("hops", d.hops, D["dhcp.hops"]);
    eq("xid", d.xid, parseInt(D["dhcp.id"], 16));
    eq("secs", d.secs, D["dhcp.secs"]);
    eq("flags", d.flags, parseInt(D["dhcp.flags"], 16));
    eq("ciaddr", d.ciaddr, D["dhcp.ip.client"]);
    eq("yiaddr", d.yiaddr, D["dhcp.ip.your"]);
    eq("siaddr", d.siaddr, D["dhcp.ip.server"]);
    eq("giaddr", d.giaddr, D["dhcp.ip.relay"]);
    eq("chaddr", d.chaddr, D["dhcp.hw.mac_addr"]);
    eq("sname", d.sname, D["dhcp.server"]);
    eq("file", d.file, D["dhcp.file"]);
    // Options: code, frame offset and raw value, in order (pad and end excluded).
    const raws = arr(D["dhcp.option.type_raw"]);
    const rawList = (Array.isArray(raws[0]) ? raws : [raws]) as Array<[string, number, number]>;
    const theirs = rawList
      .map((r) => ({ code: parseInt(r[0].slice(0, 2), 16), offset: r[1], hex: r[0].slice(4) }))
      .filter((o) => o.code !== 255 && o.code !== 0);
    eq("option count", d.options.length, theirs.length);
    d.options.forEach((o, k) => {
      const th = theirs[k];
      eq(`option[${k}] code`, o.code, th?.code);
      eq(`option[${k}] frame offset`, (o.offset ?? -1) + f.payloadOffset, th?.offset);
      eq(`option[${k}] value`, bytesToHex(o.data), th?.hex);
    });
    // Typed values of the options both sides understand.
    const tree = arr(D["dhcp.option.type_tree"]);
    const get = (key: string) => tree.find((x: Layers) => x[key] !== undefined)?.[key];
    const cmp = (name: string, mine: unknown, key: string, conv: (v: any) => unknown = (v) => v) => {
      const v = get(key);
      if (mine === undefined && v === undefined) return;
      eq(
        name,
        mine === undefined ? "(absent)" : Array.isArray(mine) ? mine.join(",") : mine,
        v === undefined ? "(absent)" : conv(v),
      );
    };
    cmp("message type", t.messageType, "dhcp.option.dhcp", (v) => MESSAGE_TYPES[Number(v)]);
    cmp("server-id", t.serverId, "dhcp.option.dhcp_server_id");
    cmp("lease time", t.leaseTime, "dhcp.option.ip_address_lease_time");
    cmp("renewal time", t.renewalTime, "dhcp.option.renewal_time_value");
    cmp("rebinding time", t.rebindingTime, "dhcp.option.rebinding_time_value");
    cmp("subnet mask", t.subnetMask, "dhcp.option.subnet_mask");
    cmp("routers", t.routers, "dhcp.option.router", (v) => arr(v).join(","));
    cmp("dns", t.dnsServers, "dhcp.option.domain_name_server", (v) => arr(v).join(","));
    cmp("host name", t.hostName, "dhcp.option.hostname");
    cmp("requested ip", t.requestedIp, "dhcp.option.requested_ip_address");
    cmp("parameter request list", t.paramRequestList, "dhcp.option.request_list_item", (v) => arr(v).join(","));
    cmp("max message size", t.maxMessageSize, "dhcp.option.dhcp_max_message_size");
    cmp("vendor class", t.vendorClassId, "dhcp.option.vendor_class_id");
    cmp("tftp server", t.tftpServer, "dhcp.option.tftp_server_name");
    cmp("bootfile", t.bootfile, "dhcp.option.bootfile_name");
    const ra = get("dhcp.option.agent_information_option.suboption_tree");
    if (t.relayAgent || ra) {
      const sub = arr(ra);
      const circ = sub.find((x: Layers) => x["dhcp.option.agent_information_option.agent_circuit_id"] !== undefined)?.[
        "dhcp.option.agent_information_option.agent_circuit_id"
      ];
      const rem = sub.find((x: Layers) => x["dhcp.option.agent_information_option.agent_remote_id"] !== undefined)?.[
        "dhcp.option.agent_information_option.agent_remote_id"
      ];
      eq("option 82 circuit-id", t.relayAgent?.circuitId, colonHex(circ));
      eq("option 82 remote-id", t.relayAgent?.remoteId, colonHex(rem));
    }
  });
  return { mismatches, checked: pk.length, fields };
}
