// Exercise dhcp.forward (notebook 06-dhcp-relay): reference solution.
export function forwardRequest(p: { giaddr: string; hops: number }, ifaceIp: string, maxHops: number): { giaddr: string; hops: number } | "drop" {
  const hops = p.hops + 1;
  if (hops > maxHops) return "drop";
  return { giaddr: p.giaddr === "0.0.0.0" ? ifaceIp : p.giaddr, hops };
}
