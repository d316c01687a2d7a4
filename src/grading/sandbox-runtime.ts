/**
 * The program that runs in the learner's process (the sandbox), as JavaScript source text: the
 * trusted side starts `node -e RUNTIME_SOURCE` under the permission model, so the sandbox reads
 * no file of its own and needs no build step.
 *
 * It answers newline-delimited JSON requests read from fd 0 with replies written to fd 3:
 *
 *   → {t:"load", code, filename}       ← {t:"loaded", root, exports} | {t:"loadfail", error, notAttempted}
 *   → {t:"call", id, name, args}       ← {t:"return", id, value}
 *                                      | {t:"throw", id, name, message, text, notAttempted}
 *   ← {t:"cb", n, args}  (the learner called a trusted callback, e.g. the small-subgroup victim)
 *   → {t:"cbret", value} | {t:"cbthrow", message}
 *
 * Nothing here is trusted: the learner's code shares this process and can rewrite any of it,
 * read fd 0 or write fd 3 itself. That is fine by design: no reply can say "pass", every reply
 * is validated on arrival (sandbox.ts), and a forged reply is only a forged return value of the
 * learner's own function, which the trusted tests then check. Values cross as JSON with bigints
 * as {"$bigint": "…"}, undefined as {"$undefined": true}, functions described as {"$fn": name}
 * and trusted callbacks passed in as {"$cb": n}.
 */
export const RUNTIME_SOURCE = String.raw`"use strict";
const fs = require("fs");
const Module = require("module");
const { StringDecoder } = require("string_decoder");
const { inspect } = require("util");
const IN = 0, OUT = 3;
const decoder = new StringDecoder("utf8");
let pending = "";
const chunk = Buffer.allocUnsafe(1 << 16);
const reallyExit = process.reallyExit.bind(process);

function writeAll(s) {
  const b = Buffer.from(s, "utf8");
  let off = 0;
  while (off < b.length) {
    try { off += fs.writeSync(OUT, b, off, b.length - off); }
    catch (e) { if (e && e.code === "EAGAIN") continue; reallyExit(70); }
  }
}
function replacer(_k, x) {
  if (typeof x === "bigint") return { $bigint: x.toString() };
  if (x === undefined) return { $undefined: true };
  if (typeof x === "function") return { $fn: String(x.name || "anonymous") };
  if (typeof x === "symbol") return { $fn: "a symbol" };
  return x;
}
function encode(v) {
  try { return JSON.stringify(v, replacer); }
  catch (e) { return JSON.stringify({ $fn: "a value that cannot be sent as data (" + String(e && e.message) + ")" }); }
}
function send(msg) {
  const m = Object.assign({}, msg);
  if ("value" in m) m.value = JSON.parse(encode(m.value));
  if ("args" in m) m.args = JSON.parse(encode(m.args));
  writeAll(JSON.stringify(m, replacer) + "\n");
}
function readFrame() {
  for (;;) {
    const i = pending.indexOf("\n");
    if (i >= 0) { const line = pending.slice(0, i); pending = pending.slice(i + 1); return JSON.parse(line); }
    let n;
    try { n = fs.readSync(IN, chunk, 0, chunk.length, null); }
    catch (e) { if (e && e.code === "EAGAIN") continue; reallyExit(71); }
    if (n === 0) reallyExit(0);
    pending += decoder.write(chunk.subarray(0, n));
  }
}
function callback(n) {
  return function () {
    send({ t: "cb", n: n, args: Array.prototype.slice.call(arguments) });
    const r = readFrame();
    if (r.t === "cbret") return fromWire(r.value);
    throw new Error(String(r.message));
  };
}
function fromWire(v) {
  if (Array.isArray(v)) return v.map(fromWire);
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "$bigint") return BigInt(v.$bigint);
    if (keys.length === 1 && keys[0] === "$undefined") return undefined;
    if (keys.length === 1 && keys[0] === "$cb") return callback(v.$cb);
    const o = {};
    for (const k of keys) {
      Object.defineProperty(o, k, { value: fromWire(v[k]), enumerable: true, writable: true, configurable: true });
    }
    return o;
  }
  return v;
}
function describe(e) {
  if (e instanceof Error) {
    return { name: String(e.name), message: String(e.message), text: String(e.name) + ": " + String(e.message) };
  }
  let s;
  try { s = inspect(e, { depth: 2, maxStringLength: 200, breakLength: Infinity }); } catch (_) { s = "<unprintable>"; }
  return { name: "", message: s, text: "threw a non-Error value: " + s };
}
const notAttempted = (e) => !!e && typeof e === "object" && e.name === "NotAttemptedError";

class ExitAttempt extends Error {
  constructor(code) {
    super("your code called process.exit(" + (code === undefined ? "" : String(code)) +
      "); an exercise function must return its answer instead");
    this.name = "ExitAttempt";
  }
}
process.exit = function (code) { throw new ExitAttempt(code); };
process.abort = function () { throw new ExitAttempt("abort"); };
const noop = function () {};
for (const k of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"]) console[k] = noop;

let exportsObj;
let current = null;
function finish(id, msg) {
  if (current !== id) return;
  current = null;
  send(msg);
}
function fail(id, e, how) {
  const d = describe(e);
  const text = how ? how + ": " + d.text : d.text;
  finish(id, { t: "throw", id: id, name: d.name, message: d.message, text: text, notAttempted: notAttempted(e) });
}
process.on("uncaughtException", (e) => {
  if (current !== null) fail(current, e, "an error escaped your code asynchronously");
});
process.on("unhandledRejection", (e) => {
  if (current !== null) fail(current, e, "a promise was rejected and nobody caught it");
});

function load(msg) {
  const m = new Module(msg.filename, null);
  m.filename = msg.filename;
  m.paths = [];
  try {
    m._compile(msg.code, msg.filename);
  } catch (e) {
    const d = describe(e);
    send({ t: "loadfail", error: d.text, notAttempted: notAttempted(e) });
    return;
  }
  exportsObj = m.exports;
  const exps = {};
  let root = "object";
  if (typeof exportsObj === "function") root = "function";
  else if (exportsObj === null || typeof exportsObj !== "object") root = "none";
  if (root !== "none") {
    for (const k of Object.keys(exportsObj)) {
      try {
        const v = exportsObj[k];
        exps[k] = typeof v === "function" ? { fn: true } : { value: JSON.parse(encode(v)) };
      } catch (e) {
        exps[k] = { error: describe(e).text, notAttempted: notAttempted(e) };
      }
    }
  }
  send({ t: "loaded", root: root, exports: exps });
}
async function call(msg) {
  const id = msg.id;
  current = id;
  try {
    const fn = msg.name === "" ? exportsObj : exportsObj[msg.name];
    if (typeof fn !== "function") throw new TypeError(String(msg.name) + " is not a function");
    const r = await fn.apply(undefined, fromWire(msg.args));
    finish(id, { t: "return", id: id, value: r });
  } catch (e) {
    fail(id, e);
  }
}
// The learner's promise may never settle: keep the process alive so that is a timeout, not an exit.
setInterval(noop, 1 << 30);
(async function main() {
  for (;;) {
    const msg = readFrame();
    if (msg.t === "load") load(msg);
    else if (msg.t === "call") await call(msg);
  }
})();
`;
