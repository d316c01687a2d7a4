import { it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { gradesStubsZeroSolutionsFull } from "../helpers/grading";
import { RR_MULTIPATH_STUB, SHARED_SERVICES_STUB } from "../../src/vpn/lab";
import { withoutComments } from "../../src/grading/present";

it(
  "the fix stubs in exercises/vpn are the ones the exercise specs recognise (comments aside: the header is generated)",
  { timeout: 10000 },
  () => {
    for (const [file, stub] of [
      ["exercises/vpn/shared-services.cfg", SHARED_SERVICES_STUB],
      ["exercises/vpn/rr-multipath.set", RR_MULTIPATH_STUB],
    ] as const)
      expect(withoutComments(readFileSync(file, "utf8"), file)).toBe(withoutComments(stub, file));
  },
);

gradesStubsZeroSolutionsFull("vpn");

import { exercises } from "../../src/vpn/exercises";
import { sharedServicesBundle } from "../../src/vpn/lab";

async function outcomes(id: string, answer: unknown) {
  const ex = exercises.find((e) => e.id === id)!;
  const ctx = { root: process.cwd(), evaluate: () => 0n };
  const out: Record<string, { pass: boolean; message: string }> = {};
  for (const t of [...ex.public, ...ex.hidden])
    out[t.name] = (await t.run(answer, ctx)) as { pass: boolean; message: string };
  return out;
}

it("wrong answers fail with messages that teach", { timeout: 20000 }, async () => {
  const flat = sharedServicesBundle({
    pe1: ["route-target both 65000:1"],
    pe2: ["route-target both 65000:1"],
    pe3: ["route-target both 65000:1"],
  });
  const ss = await outcomes("vpn.shared-services", flat);
  expect(ss["CUST-A reaches the service"]!.pass).toBe(true);
  expect(ss["customers stay apart"]!.pass).toBe(false);
  expect(ss["customers stay apart"]!.message).toMatch(/must not share an RT/);
  const rr = await outcomes("vpn.rr-multipath", RR_MULTIPATH_STUB);
  expect(rr["vmx5 learns both service paths"]!.pass).toBe(false);
  expect(rr["vmx5 learns both service paths"]!.message).toMatch(/The RR says: vmx7 keeps 65000:1:192.0.2.53\/32/);
  const broken = await outcomes(
    "vpn.rr-multipath",
    RR_MULTIPATH_STUB.replace(
      "set routing-instances provider route-distinguisher 65000:1",
      "set routing-instances provider route-distinguisher 65536:70000",
    ),
  );
  expect(broken["vmx5 learns both service paths"]!.message).toMatch(
    /does not load: .*2 bytes.*exercises\/vpn\/rr-multipath.set:\d+:\d+/,
  );
  const pr = await outcomes("vpn.predict", [
    { vrf: "pe1/HUB", imports: "10.21.0.0/24" },
    { vrf: "pe3/MONITOR", imports: "10.21.0.0/24, 10.31.0.0/24" },
  ]);
  expect(pr["imports of pe1/HUB"]!.message).toMatch(/"10.21.0.0\/24" is not right.*export RT/);
  expect(pr["imports of pe1/HUB"]!.message, "a sealed row does not list what is missing").not.toMatch(/10.31.0.0/);
  expect(pr["imports of pe3/MONITOR"]!.pass).toBe(true);
  const rd = await outcomes("vpn.rd-rt", { rdHex: "0001 0A00 0005 0064", rt: "target:65536:42", type: 2 });
  expect(Object.values(rd).map((o) => o.pass)).toStrictEqual([true, true, false]);
});
