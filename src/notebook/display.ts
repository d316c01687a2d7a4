/**
 * The display channel between the library and Jupyter (Jupyter messaging spec 5.3, `display_data`
 * and `update_display_data`).
 *
 * A display is a MIME bundle: one output that carries several representations (vega-lite JSON,
 * SVG, HTML, plain text); the front end picks the richest one it can render, and exporters that
 * cannot run JavaScript (nbconvert HTML, slides) fall back to SVG or text.
 *
 * Inside the wirelab kernel (`src/kernel`) a bundle goes out as one message and the cell's reply
 * waits for pending displays. Under plain tslab the bundle goes through tslab's
 * `lastWriteDisplayData` (captured when the call is made, so a late chart still lands in its own
 * cell). Outside a kernel (CLI, tests) the text/plain part is written to stdout.
 */
import { randomBytes } from "node:crypto";

export type MimeBundle = Record<string, unknown>;

export interface DisplayOptions {
  /** Jupyter display id: a later `update: true` display with the same id replaces this output. */
  displayId?: string;
  update?: boolean;
  metadata?: Record<string, unknown>;
}

/** The hook that the wirelab kernel installs on globalThis. */
export interface KernelHook {
  display(bundle: MimeBundle, opts: DisplayOptions): void;
  /** The cell's execute_reply waits until `p` settles. */
  track(p: Promise<unknown>): void;
}

type WriteDisplayData = (
  data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

declare global {
  var __wirelab_kernel__: KernelHook | undefined;
}

/** Where displays go: the wirelab kernel, plain tslab, or stdout. */
export type Sink = "wirelab-kernel" | "tslab" | "stdout";

let stdoutSink: (text: string) => void = (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n");

/** Redirects the text fallback (used by tests and the CLI). Returns the previous writer. */
export function setTextSink(fn: (text: string) => void): (text: string) => void {
  const prev = stdoutSink;
  stdoutSink = fn;
  return prev;
}

function tslabWriter(): WriteDisplayData | null {
  try {
    // Resolved from this package's node_modules: the same module instance the kernel loaded.

    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** Which sink a display made now would use. */
export function currentSink(): Sink {
  if (globalThis.__wirelab_kernel__) return "wirelab-kernel";
  if (tslabWriter()) return "tslab";
  return "stdout";
}

/** True when running inside a Jupyter kernel (wirelab's or plain tslab). */
export function inKernel(): boolean {
  return currentSink() !== "stdout";
}

/** A fresh display id for outputs that update in place. */
export function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Returns a function that emits bundles to the sink current *now*. Capture it before any await so
 * that asynchronous work still lands in the cell that started it.
 */
export function captureEmitter(): (bundle: MimeBundle, opts?: DisplayOptions) => void {
  const hook = globalThis.__wirelab_kernel__;
  if (hook) return (bundle, opts = {}) => hook.display(bundle, opts);
  const writer = tslabWriter();
  if (writer) {
    return (bundle, opts = {}) =>
      writer(
        {
          data: bundle,
          metadata: opts.metadata ?? {},
          transient: opts.displayId ? { display_id: opts.displayId } : {},
        },
        !!opts.update,
      );
  }
  return (bundle) => {
    const text = bundle["text/plain"];
    if (typeof text === "string") stdoutSink(text);
  };
}

/** Emits one output with several MIME types. */
export function emit(bundle: MimeBundle, opts: DisplayOptions = {}): void {
  captureEmitter()(bundle, opts);
}

/** Tells the kernel to wait for `p` before it reports the cell done (no-op elsewhere). */
export function track<T>(p: Promise<T>): Promise<T> {
  globalThis.__wirelab_kernel__?.track(p);
  return p;
}

/** HTML-escapes text. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Shows Markdown (with a text fallback that is the Markdown itself). */
export function markdown(md: string): void {
  emit({ "text/markdown": md, "text/plain": md });
}

/** Shows HTML with a plain-text fallback. */
export function html(markup: string, text: string): void {
  emit({ "text/html": markup, "text/plain": text });
}

/** Shows an SVG image with a plain-text fallback. */
export function svg(image: string, text: string): void {
  emit({ "image/svg+xml": image, "text/plain": text });
}
