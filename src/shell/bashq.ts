/**
 * bash's own quoting for ${name@Q} (bash 5.2 `sh_quote_reusable`): '' for an empty value,
 * $'…' (ANSI-C, octal escapes for unprintable bytes) when the value has unprintable characters,
 * else '…' with ' written as '\'' (a lone ' becomes \').
 *
 * Follows bash 5.2 lib/sh/shquote.c and lib/sh/strtrans.c (`ansic_quote`), in a UTF-8 locale.
 * Printability of non-ASCII characters comes from the C library (iswprint); where that is not
 * certain, this returns undefined and callers refuse.
 */

/** Non-ASCII characters we are sure glibc's iswprint() accepts: letters, marks, digits, punctuation, symbols. */
const SURELY_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SURELY_UNPRINTABLE = /^[\u0080-\u009f]$/u;

function octalBytes(ch: string): string {
  return Array.from(Buffer.from(ch, "utf8"))
    .map((b) => "\\" + b.toString(8).padStart(3, "0"))
    .join("");
}

/** ${v@Q} as bash 5.2 prints it in a UTF-8 locale, or undefined when it depends on the C library. */
export function quoteLikeBashQ(v: string): string | undefined {
  if (v === "") return "''";
  let needAnsi = false;
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f) needAnsi = true;
    else if (c >= 0x80) {
      if (SURELY_UNPRINTABLE.test(ch)) needAnsi = true;
      else if (!SURELY_PRINTABLE.test(ch)) return undefined;
    }
  }
  if (!needAnsi) return v === "'" ? "\\'" : "'" + v.split("'").join("'\\''") + "'";
  const names: Record<number, string> = {
    0x1b: "\\E",
    0x07: "\\a",
    0x0b: "\\v",
    0x08: "\\b",
    0x0c: "\\f",
    0x0a: "\\n",
    0x0d: "\\r",
    0x09: "\\t",
    0x5c: "\\\\",
    0x27: "\\'",
  };
  let out = "$'";
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (names[c] !== undefined) out += names[c];
    else if (c < 0x20 || c === 0x7f || SURELY_UNPRINTABLE.test(ch)) out += octalBytes(ch);
    else out += ch;
  }
  return out + "'";
}
