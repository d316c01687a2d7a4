/**
 * Lab scenarios: load the topology files shipped in labs/mpls and build their networks.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../util/errors";
import { buildNetwork, type Network } from "./network";
import { parseTopology, type Topology } from "./topology";

/** The course root (the folder with package.json and labs/). */
export function courseRoot(start = __dirname): string {
  let d = resolve(start);
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(d, "package.json")) && existsSync(join(d, "labs"))) return d;
    d = dirname(d);
  }
  return process.cwd();
}

/** Reads and parses a topology file (YAML or JSON). */
export function loadTopology(file: string): Topology {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read topology file: ${(e as Error).message}`, { value: file, where: "topology file" });
  }
  return parseTopology(text, file);
}

/** A lab topology by name ("lab", "bgplu"), from labs/mpls/<name>.yaml. */
export function labTopology(name: string): Topology {
  return loadTopology(join(courseRoot(), "labs", "mpls", `${name}.yaml`));
}

/** A lab network by name. */
export function labNetwork(name: string): Network {
  return buildNetwork(labTopology(name));
}
