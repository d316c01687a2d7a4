/**
 * Why the launcher exists: the same requests against plain tslab 1.0.22 show the gaps that
 * src/kernel/launcher.ts closes (no error message, "abort" within 200 ms, last value as stdout).
 * If a tslab upgrade fixes one, this test says so and docs/kernel.md should be updated.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { KernelClient, type Message } from "../../src/jupyter/client";
import { COURSE_ROOT, kernelArgv } from "../../src/jupyter/runner";

let k: KernelClient;
function run(code: string): Promise<{ reply: Message; iopub: Message[] }> {
  const iopub: Message[] = [];
  const h = k.execute(code, { onIopub: (m) => m.header.msg_type !== "status" && iopub.push(m) });
  return h.done.then((reply) => ({ reply, iopub }));
}

describe("plain tslab 1.0.22 (the gaps)", { timeout: 120_000 }, () => {
  before(async () => {
    k = await KernelClient.launch({ argv: kernelArgv("tslab"), cwd: path.join(COURSE_ROOT, "notebooks") });
  });
  after(async () => {
    await k?.shutdown();
  });

  test("a failing cell: status error but no ename and no iopub error message, only stderr text", { timeout: 30_000 }, async () => {
    const r = await run("throw new RangeError('x');");
    assert.equal(r.reply.content.status, "error");
    assert.equal(r.reply.content.ename, undefined);
    assert.equal(r.iopub.filter((m) => m.header.msg_type === "error").length, 0);
    assert.ok(r.iopub.some((m) => m.header.msg_type === "stream" && m.content.name === "stderr"));
    await new Promise((res) => setTimeout(res, 300)); // let tslab's 200 ms abort window pass
  });

  test("a request queued behind a failure gets the non-protocol status 'abort' and no output", { timeout: 30_000 }, async () => {
    const [f, q] = await Promise.all([run("await new Promise((r) => setTimeout(r, 200)); throw new Error('y');"), run("console.log('queued')")]);
    assert.equal(f.reply.content.status, "error");
    assert.equal(q.reply.content.status, "abort");
    assert.equal(q.iopub.length, 0);
    await new Promise((res) => setTimeout(res, 300));
  });

  test("the last value is printed to stdout, not an execute_result", { timeout: 30_000 }, async () => {
    const r = await run("6 * 7");
    assert.equal(r.iopub.filter((m) => m.header.msg_type === "execute_result").length, 0);
    assert.deepEqual(r.iopub.map((m) => [m.header.msg_type, m.content.text]), [["stream", "42\n"]]);
  });
});
