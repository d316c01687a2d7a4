// Started by interop.test.ts inside the relay namespace: runs the kit's UDP relay until SIGTERM.
import { startUdpRelay, ipNeighbor } from "../../src/dhcp/udprelay";
const [dev, ip, ...servers] = process.argv.slice(2);
startUdpRelay({
  lan: { name: dev!, ip: ip! },
  servers,
  learnNeighbor: ipNeighbor(dev!),
  log: (l) => console.log(l),
}).then((r) => {
  console.log("relay listening");
  process.on("SIGTERM", () => {
    void r.close().then(() => process.exit(0));
  });
});
