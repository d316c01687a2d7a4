/**
 * The judge as a child process of the grader: receives `init` and `run` messages over IPC and
 * answers with `ready`/`result` (protocol.ts). It loads trusted course code only; learner code
 * runs in the sandboxes the judge starts, whose process groups it reports (`sandbox` messages)
 * so the grader can kill them even when it has to kill the judge.
 */
import { Judge } from "./judge";
import type { ChildMessage, ParentMessage } from "./protocol";

const send = (msg: ChildMessage) => process.send?.(msg);
const judge = new Judge((pid) => send({ type: "sandbox", pid }));
let chain: Promise<void> = Promise.resolve();

process.on("message", (msg: ParentMessage) => {
  chain = chain.then(async () => {
    if (msg.type === "init") send(await judge.start(msg));
    else if (msg.type === "run") send(await judge.run(msg.n, msg.nonce, msg.limitMs));
  });
});
process.on("disconnect", () => {
  judge.close();
  process.exit(0);
});
