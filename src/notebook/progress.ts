/**
 * A progress bar that updates one output in place (Jupyter `update_display_data` with a display
 * id), for computations that take more than a couple of seconds: index-calculus precomputations,
 * large simulations. Outside a kernel it writes a single line to stderr at most every 500 ms.
 *
 * @example
 *   const bar = progress(relationsNeeded, "collecting relations");
 *   for (...) { …; bar.update(found); }
 *   bar.done("found 312 relations in 4.1 s");
 */
import { captureEmitter, escapeHtml, inKernel, newDisplayId } from "./display";

export interface Progress {
  update(value: number, note?: string): void;
  done(note?: string): void;
}

export function progressHtml(label: string, value: number, total: number, note: string): string {
  const pct = total > 0 ? Math.min(100, (100 * value) / total) : 0;
  return (
    `<div style="font-family:sans-serif;font-size:13px">${escapeHtml(label)}: ` +
    `${value.toLocaleString("en")} / ${total.toLocaleString("en")}` +
    `${note ? " — " + escapeHtml(note) : ""}<div ` +
    `style="background:#e5e7eb;width:320px;height:10px;border-radius:5px">` +
    `<div style="background:#2563eb;width:${pct.toFixed(1)}%;height:10px;border-radius:5px"></div></div></div>`
  );
}

export function progressText(label: string, value: number, total: number, note: string): string {
  const width = 30;
  const filled = total > 0 ? Math.round((Math.min(value, total) / total) * width) : 0;
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${value}/${total}${note ? " " + note : ""}`;
}

/** Starts a progress display. `minIntervalMs` throttles updates (default 250 ms in a kernel). */
export function progress(total: number, label: string, opts: { minIntervalMs?: number } = {}): Progress {
  const kernel = inKernel();
  const out = captureEmitter();
  const id = newDisplayId();
  const interval = opts.minIntervalMs ?? (kernel ? 250 : 500);
  let last = 0;
  let shown = false;
  const render = (value: number, note: string, update: boolean) => {
    if (kernel) {
      out(
        { "text/html": progressHtml(label, value, total, note), "text/plain": progressText(label, value, total, note) },
        { displayId: id, update },
      );
    } else {
      process.stderr.write("\r" + progressText(label, value, total, note));
    }
  };
  return {
    update(value, note = "") {
      const now = Date.now();
      if (shown && now - last < interval) return;
      last = now;
      render(value, note, shown);
      shown = true;
    },
    done(note = "done") {
      render(total, note, shown);
      shown = true;
      if (!kernel) process.stderr.write("\n");
    },
  };
}
