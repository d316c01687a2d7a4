/**
 * Confinement of a child process with the operating system's own tools (Linux, as root): its own
 * network namespace and PID namespace (`unshare -n -p -f --kill-child`, so no descendant outlives
 * it), an address-space cap that counts off-heap memory too (`prlimit --as`, RLIMIT_AS), and an
 * unprivileged user (`setpriv` to nobody). Each layer is used only where the tool works here;
 * elsewhere the program runs unconfined by that layer. Used by the grading sandbox
 * (src/grading/sandbox.ts) and by labs that run a learner's script (src/shell/lab.ts).
 *
 * @example
 *   const [cmd, ...args] = confineProgram(["bash", "script.sh"]);
 */
import { spawnSync } from "node:child_process";

/** Default address-space limit of a confined process (heap, Buffers, code: everything). */
export const DEFAULT_MEMORY_BYTES = 2 * 1024 * 1024 * 1024;

let probed: { prlimit: boolean; unshare: boolean; setpriv: boolean } | undefined;
/** Which confinement tools work on this machine (probed once). */
export function probeConfinement(): { prlimit: boolean; unshare: boolean; setpriv: boolean } {
  if (probed) return probed;
  const ok = (cmd: string, args: string[]) => {
    try {
      return spawnSync(cmd, args, { stdio: "ignore", timeout: 5000 }).status === 0;
    } catch {
      return false;
    }
  };
  const linux = process.platform === "linux";
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  probed = {
    prlimit: linux && ok("prlimit", ["--as=4294967296", "true"]),
    unshare: linux && root && ok("unshare", ["-n", "true"]),
    setpriv: linux && root && ok("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "true"]),
  };
  return probed;
}

/**
 * Wraps a non-Node program that runs learner text (the shell lab's bash): on Linux as root, an
 * empty network namespace, its own PID namespace (everything it starts dies with it: no
 * survivor), the address-space cap and the unprivileged user. Elsewhere the program as it is.
 */
export function confineProgram(argv: string[], memoryBytes = DEFAULT_MEMORY_BYTES): string[] {
  const p = probeConfinement();
  let out = argv;
  if (p.setpriv) out = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...out];
  if (p.prlimit) out = ["prlimit", `--as=${memoryBytes}`, "--core=0", "--", ...out];
  if (p.unshare) out = ["unshare", "-n", "-p", "-f", "--kill-child", "--", ...out];
  return out;
}

/** True when confineProgram switches to an unprivileged user (its files must be readable, its log folder writable). */
export function confinesUser(): boolean {
  return probeConfinement().setpriv;
}
