/**
 * A rules file read and checked with the place of each problem: YAML (or JSON, which YAML reads too),
 * a list of rules or `{ rules: [...] }`, each a RuleSpec (shared/rules.ts) whose `for` may be seconds or
 * a Prometheus duration (`5m`). Every problem names its line and column in the file, the rule (by its
 * position and name) and the field, in the schema's words.
 */
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../../../shared/duration.ts';
import { RuleSpec } from '../../../shared/rules.ts';

/** Accepts `for` as seconds or a Prometheus duration (`90s`, `5m`, `1h30m`). */
const FileRule = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || !('for' in value) || typeof value.for !== 'string') return value;
  return { ...value, for: parseDuration(value.for) ?? value.for };
}, RuleSpec);

/** One thing wrong in a file: where (1-based line and column), which rule (1-based, null for the file), what. */
export interface RuleFileProblem {
  line: number;
  column: number;
  rule: number | null;
  ruleName: string | null;
  /** The field, as the file spells it (`threshold`, `matchers.system.filesystem.mountpoint`), or '' for the rule or file. */
  field: string;
  message: string;
}

/** What a file holds: its valid rules when it has no problem, and every problem found. */
export interface RuleFileResult {
  specs: RuleSpec[];
  problems: RuleFileProblem[];
}

/** `problem` as a line people and editors read: `FILE:LINE:COL: rule 2 (CPU): threshold: message`. */
export function problemLine(file: string, p: RuleFileProblem): string {
  const rule = p.rule === null ? '' : `rule ${p.rule}${p.ruleName ? ` (${p.ruleName})` : ''}: `;
  return `${file}:${p.line}:${p.column}: ${rule}${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/**
 * Checks the text of a rules file. Never throws for what the file holds: YAML syntax errors, a document
 * of another shape, invalid rules and names used twice all come back as problems, each with its place.
 */
export function checkRuleFile(text: string): RuleFileResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => lines.linePos(offset);
  const problems: RuleFileProblem[] = [];
  for (const error of doc.errors) {
    const { line, col } = at(error.pos[0]);
    problems.push({ line, column: col, rule: null, ruleName: null, field: '', message: error.message.split('\n')[0]! });
  }
  if (problems.length > 0) return { specs: [], problems };

  const root = doc.contents;
  const list = isSeq(root) ? root : isMap(root) && isSeq(root.get('rules', true)) ? root.get('rules', true) as Node : null;
  const prefix: (string | number)[] = isSeq(root) ? [] : ['rules'];
  if (list === null || !isSeq(list)) {
    const { line, col } = at(root?.range?.[0] ?? 0);
    return { specs: [], problems: [{ line, column: col, rule: null, ruleName: null, field: '', message: 'expected a list of rules, or rules: followed by one' }] };
  }

  const specs: RuleSpec[] = [];
  const seen = new Map<string, number>();
  list.items.forEach((_, index) => {
    const path = [...prefix, index];
    const item: unknown = (doc.getIn(path, false) as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? doc.getIn(path, false);
    const ruleName = typeof item === 'object' && item !== null && 'name' in item ? String(item.name) : null;
    const place = (fieldPath: readonly PropertyKey[]) => placeOf(doc, [...path, ...fieldPath.map((p) => (typeof p === 'number' ? p : String(p)))], at);
    const result = FileRule.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const { line, column } = place(issue.path);
        problems.push({ line, column, rule: index + 1, ruleName, field: issue.path.map(String).join('.'), message: issue.message });
      }
      return;
    }
    const first = seen.get(result.data.name);
    if (first !== undefined) {
      const { line, column } = place(['name']);
      problems.push({ line, column, rule: index + 1, ruleName, field: 'name', message: `rule ${first} has the same name` });
      return;
    }
    seen.set(result.data.name, index + 1);
    specs.push(result.data);
  });
  return { specs: problems.length > 0 ? [] : specs, problems };
}

/**
 * Where `path` is in the document: the value's node when it is there, else the nearest node above it
 * (a missing field is reported at its rule).
 */
function placeOf(doc: Document, path: (string | number)[], at: (offset: number) => { line: number; col: number }): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      const { line, col } = at(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}
