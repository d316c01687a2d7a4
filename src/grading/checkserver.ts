/**
 * The warm grading process behind the notebook `check()`: started by the kernel on the first
 * check and kept for the kernel's life, so exercise modules, mathjs and the compiler are loaded
 * once. It reads one JSON request per line from a FIFO (`{seq, id, answer?, root}`) and writes
 * `{seq, report}` (or `{seq, fatal}`) per line to another; the kernel reads the reply
 * synchronously (check.ts), so a cell shows its result before it ends.
 *
 * The judge runs in this process (one hop from the kernel); a learner's module runs only in its
 * sandbox, killed after every check. It exits when the kernel that started it goes away.
 *
 * Usage: node checkserver.js REQUEST_FIFO REPLY_FIFO
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gradeInline } from "./grader";

const [reqPath, resPath] = process.argv.slice(2) as [string, string];
const parent = process.ppid;

function reply(fd: number, msg: unknown): void {
  const b = Buffer.from(JSON.stringify(msg) + "\n", "utf8");
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(fd, b, off, b.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}

function main(): void {
  const reqFd = fs.openSync(reqPath, fs.constants.O_RDWR);
  const resFd = fs.openSync(resPath, fs.constants.O_RDWR);
  let buf = "";
  let chain = Promise.resolve();
  const stream = fs.createReadStream("", { fd: reqFd, encoding: "utf8", autoClose: false });
  stream.on("data", (chunk: string | Buffer) => {
    buf += chunk.toString();
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      chain = chain.then(async () => {
        let seq = -1;
        try {
          const req = JSON.parse(line) as { seq: number; id: string; answer?: string; root: string };
          seq = req.seq;
          const report = await gradeInline(req.id, req.answer, { root: req.root, hidden: false, inProcess: true });
          reply(resFd, { seq, report });
        } catch (e) {
          reply(resFd, { seq, fatal: e instanceof Error ? e.message : String(e) });
        }
      });
    }
  });
  // Leave with the kernel, also when it was killed without a chance to stop us.
  setInterval(() => {
    if (kernelAlive()) return;
    leave();
  }, 1000).unref();
}

function kernelAlive(): boolean {
  if (process.ppid !== parent) return false;
  try {
    process.kill(parent, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the FIFOs (and their folder, when empty) and ends at once. Not process.exit: this process
 * holds the request FIFO open for writing too, so the thread reading it never sees EOF, and exit
 * would wait for that thread forever (seen as a sleeping checkserver left behind by a killed kernel).
 */
function leave(): never {
  for (const f of [reqPath, resPath]) {
    try {
      fs.unlinkSync(f);
    } catch {
      /* already gone */
    }
  }
  try {
    fs.rmdirSync(path.dirname(reqPath));
  } catch {
    /* not empty or gone */
  }
  process.kill(process.pid, "SIGKILL");
  throw new Error("unreachable");
}

main();
