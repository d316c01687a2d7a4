/**
 * A thin typed reader over a `yaml` document that remembers where every value came from, so
 * topology errors name `file:line:column`. JSON parses the same way (YAML 1.2 is a superset).
 * Unknown keys are errors, never silently ignored.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YNode } from "yaml";
import { ParseError, type SourceLocation } from "../util/errors";

export class YamlCursor {
  constructor(
    readonly node: unknown,
    private readonly file: string,
    private readonly lc: LineCounter,
    /** Dotted path for messages, e.g. "links[2].metric". */
    readonly path: string,
    private readonly fallbackOffset = 0,
  ) {}

  /** file:line:column of this value. */
  loc(): SourceLocation {
    const range = (this.node as YNode | undefined)?.range;
    const off = range ? range[0] : this.fallbackOffset;
    const p = this.lc.linePos(off);
    return { file: this.file, line: p.line, column: p.col };
  }

  fail(message: string, value?: unknown, hint?: string): never {
    const details: { where: string; location: SourceLocation; hint?: string; value?: unknown } = {
      where: this.path,
      location: this.loc(),
    };
    if (hint) details.hint = hint;
    if (value !== undefined) details.value = value;
    throw new ParseError(message, details);
  }

  /** The plain JS value (for messages). */
  raw(): unknown {
    if (isScalar(this.node)) return this.node.value;
    if (this.node && typeof (this.node as { toJSON?: unknown }).toJSON === "function")
      return (this.node as { toJSON(): unknown }).toJSON();
    return this.node;
  }

  isMap(): boolean {
    return isMap(this.node);
  }
  isSeq(): boolean {
    return isSeq(this.node);
  }

  /** Key/value pairs of a map, in file order; keys must be scalars. */
  entries(): Array<[string, YamlCursor]> {
    if (this.isEmpty()) return [];
    if (!isMap(this.node)) this.fail("expected a mapping (key: value lines)", this.raw());
    const out: Array<[string, YamlCursor]> = [];
    const seen = new Set<string>();
    for (const pair of this.node.items) {
      const k0 = pair.key as YNode;
      if (!isScalar(k0)) new YamlCursor(k0, this.file, this.lc, this.path).fail("expected a plain key");
      const k = k0 as YNode & { value: unknown; range?: [number, number, number] };
      const key = String(k.value);
      const kc = new YamlCursor(k, this.file, this.lc, this.path ? `${this.path}.${key}` : key);
      if (seen.has(key)) kc.fail(`duplicate key ${JSON.stringify(key)}`);
      seen.add(key);
      const vOff = k.range ? k.range[1] : 0;
      out.push([key, new YamlCursor(pair.value, this.file, this.lc, kc.path, vOff)]);
    }
    return out;
  }

  /** A map restricted to `allowed` keys; `required` keys must be present. */
  fields(allowed: string[], required: string[] = []): Map<string, YamlCursor> {
    const m = new Map<string, YamlCursor>();
    for (const [k, v] of this.entries()) {
      if (!allowed.includes(k)) {
        const keyCur = v;
        keyCur.fail(`unknown key ${JSON.stringify(k)}`, undefined, `allowed here: ${allowed.join(", ")}`);
      }
      m.set(k, v);
    }
    for (const r of required)
      if (!m.has(r))
        this.fail(`missing required key ${JSON.stringify(r)}`, undefined, `allowed here: ${allowed.join(", ")}`);
    return m;
  }

  /** True for an empty value (`key:` with nothing after it, or `null`). */
  isEmpty(): boolean {
    return this.node === null || this.node === undefined || (isScalar(this.node) && this.node.value === null);
  }

  /** List items; an empty value counts as an empty list. */
  items(): YamlCursor[] {
    if (this.isEmpty()) return [];
    if (!isSeq(this.node)) this.fail("expected a list", this.raw());
    return this.node.items.map((it, i) => new YamlCursor(it, this.file, this.lc, `${this.path}[${i}]`));
  }

  str(): string {
    if (!isScalar(this.node) || this.node.value === null || typeof this.node.value === "object")
      this.fail("expected a text value", this.raw());
    return String(this.node.value);
  }

  num(): number {
    if (!isScalar(this.node) || typeof this.node.value !== "number" || !Number.isFinite(this.node.value))
      this.fail("expected a number", this.raw());
    return this.node.value;
  }

  int(min: number, max: number): number {
    const n = this.num();
    if (!Number.isInteger(n) || n < min || n > max) this.fail(`expected an integer from ${min} to ${max}`, n);
    return n;
  }

  bool(): boolean {
    if (!isScalar(this.node) || typeof this.node.value !== "boolean") this.fail("expected true or false", this.raw());
    return this.node.value;
  }

  /** A list of strings; a single scalar counts as a one-element list. */
  strList(): string[] {
    if (isScalar(this.node)) return [this.str()];
    return this.items().map((c) => c.str());
  }
}

/** Parses YAML/JSON text into a cursor at the document root. Syntax errors carry line/column. */
export function parseYaml(text: string, file: string): YamlCursor {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const p = lc.linePos(e.pos[0]);
    throw new ParseError(`YAML syntax error: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, {
      location: { file, line: p.line, column: p.col },
    });
  }
  return new YamlCursor(doc.contents, file, lc, "");
}
