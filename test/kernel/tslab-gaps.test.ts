/**
 * Why the launcher exists: the same requests against plain tslab 1.0.22 show the gaps that
 * src/kernel/launcher.ts closes (no error message, "abort" within 200 ms, last value as stdout).
 * If a tslab upgrade fixes one, this test says so and docs/kernel.md should be updated.
 */
import * as path from "node:path";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { KernelClient, type Message } from "../../src/jupyter/client";
import { COURSE_ROOT, kernelArgv } from "../../src/jupyter/runner";

let k: KernelClient;
function run(code: string): Promise<{ reply: Message; iopub: Message[] }> {
  const iopub: Message[] = [];
  const h = k.execute(code, { onIopub: (m) => m.header.msg_type !== "status" && iopub.push(m) });
  return h.done.then((reply) => ({ reply, iopub }));
}

describe("plain tslab 1.0.22 (the gaps)", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    k = await KernelClient.launch({ argv: kernelArgv("tslab"), cwd: path.join(COURSE_ROOT, "notebooks") });
  });
  afterAll(async () => {
    await k?.shutdown();
  });

  it(
    "a failing cell: status error but no ename and no iopub error message, only stderr text",
    { timeout: 30_000 },
    async () => {
      const r = await run("throw new RangeError('x');");
      expect(r.reply.content.status).toBe("error");
      expect(r.reply.content.ename).toBe(undefined);
      expect(r.iopub.filter((m) => m.header.msg_type === "error").length).toBe(0);
      expect(r.iopub.some((m) => m.header.msg_type === "stream" && m.content.name === "stderr")).toBeTruthy();
      await new Promise((res) => setTimeout(res, 300)); // let tslab's 200 ms abort window pass
    },
  );

  it(
    "a request queued behind a failure gets the non-protocol status 'abort' and no output",
    { timeout: 30_000 },
    async () => {
      const [f, q] = await Promise.all([
        run("await new Promise((r) => setTimeout(r, 200)); throw new Error('y');"),
        run("console.log('queued')"),
      ]);
      expect(f.reply.content.status).toBe("error");
      expect(q.reply.content.status).toBe("abort");
      expect(q.iopub.length).toBe(0);
      await new Promise((res) => setTimeout(res, 300));
    },
  );

  it("the last value is printed to stdout, not an execute_result", { timeout: 30_000 }, async () => {
    const r = await run("6 * 7");
    expect(r.iopub.filter((m) => m.header.msg_type === "execute_result").length).toBe(0);
    expect(r.iopub.map((m) => [m.header.msg_type, m.content.text])).toStrictEqual([["stream", "42\n"]]);
  });
});
