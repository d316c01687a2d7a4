/**
 * Dispatch for commands made of sub-commands (`wirelab dh modpow …`, `wirelab mpls trace …`):
 * no sub-command prints the usage (exit 2), `help` prints it (exit 0; `--help` and `-h` anywhere on
 * the line are answered by `main` before a command runs), and an unknown one is an InputError that
 * lists the valid ones.
 */
import { InputError } from "../util/errors";
import type { CliCommand, CliIO } from "./types";

export type SubHandler = (args: string[], io: CliIO) => Promise<number> | number;

export function dispatch(name: string, usage: string, handlers: Record<string, SubHandler>): CliCommand["run"] {
  return (args, io) => {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === "help") {
      io.out(usage);
      return sub === undefined ? 2 : 0;
    }
    const handler = Object.prototype.hasOwnProperty.call(handlers, sub) ? handlers[sub] : undefined;
    if (!handler) {
      const names = Object.keys(handlers);
      const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names.join("");
      throw new InputError(`unknown ${name} sub-command`, {
        value: sub,
        where: `wirelab ${name}`,
        hint: `use ${list}`,
      });
    }
    return handler(rest, io);
  };
}
