/**
 * `hostwatch rules list | export | import FILE`. Files are YAML (or JSON, which YAML reads too):
 * a list of rules, or `{ rules: [...] }`, each as RuleSpec (shared/rules.ts); `for` may be seconds or a
 * Prometheus duration like `5m`. An import validates every rule first and writes nothing if any is
 * invalid; a rule whose name exists already replaces it, so importing an export twice changes nothing.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { RuleSpec } from '../../../shared/rules.ts';
import type { Rule } from '../../../shared/rules.ts';
import { formatValue } from '../../../shared/format.ts';
import { metricDefinition } from '../../../shared/metrics.ts';
import type { CliOptions } from '../cli.ts';
import { printJson, table } from './output.ts';
import { openCliStore } from './store.ts';
import { UsageError } from './usage.ts';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Accepts `for` as seconds or a Prometheus duration (`90s`, `5m`, `1h30m`). */
const ImportedRule = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || !('for' in value) || typeof value.for !== 'string') {
    return value;
  }
  const text = value.for.trim();
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return value;
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2]!] ?? 0), 0);
  return { ...value, for: seconds };
}, RuleSpec);

/** Seconds as a Prometheus duration: 300 → "5m", 5400 → "1h30m", 0 → "0s". */
export function promDuration(seconds: number): string {
  let rest = Math.round(seconds);
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS).reverse()) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text || '0s';
}

const RuleFile = z.union([z.array(z.unknown()), z.object({ rules: z.array(z.unknown()) })]);

export function runRules(args: readonly string[], options: CliOptions): number {
  const [sub = 'list', ...rest] = args;
  switch (sub) {
    case 'list': return list(options);
    case 'export': return exportRules(options);
    case 'import': {
      if (rest.length !== 1) throw new UsageError('rules import takes one FILE');
      return importRules(rest[0]!, options);
    }
    default: throw new UsageError(`rules takes list, export or import, not '${sub}'`);
  }
}

/** `system.cpu.utilization > 80% for 5m`: a rule's condition as people read it. */
export function describeCondition(rule: RuleSpec): string {
  const unit = metricDefinition(rule.metric)?.unit;
  const threshold = unit ? formatValue(rule.threshold, unit) : String(rule.threshold);
  const matchers = Object.entries(rule.matchers).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
  const selector = matchers ? `${rule.metric}{${matchers}}` : rule.metric;
  return `${selector} ${rule.op} ${threshold}${rule.for > 0 ? ` for ${promDuration(rule.for)}` : ''}`;
}

function list(options: CliOptions): number {
  const store = openCliStore(options.dataDir, true);
  try {
    const rules = store.rules.list();
    if (options.json) {
      printJson(rules);
      return 0;
    }
    console.log(table(['ID', 'NAME', 'CONDITION', 'SEVERITY', 'ENABLED'], rules.map((r) => [
      String(r.id), r.name, describeCondition(r), r.severity, r.enabled ? 'yes' : 'no',
    ])));
    return 0;
  } finally {
    store.close();
  }
}

function exportRules(options: CliOptions): number {
  const store = openCliStore(options.dataDir, true);
  try {
    const rules = store.rules.list().map(({ id: _id, ...spec }: Rule) => ({ ...spec, for: promDuration(spec.for) }));
    if (options.json) printJson({ rules });
    else process.stdout.write(stringify({ rules }));
    return 0;
  } finally {
    store.close();
  }
}

function importRules(file: string, options: CliOptions): number {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  const shape = RuleFile.safeParse(document);
  if (!shape.success) throw new Error(`${file}: expected a list of rules or { rules: [...] }`);
  const items = Array.isArray(shape.data) ? shape.data : shape.data.rules;
  const specs: RuleSpec[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    const result = ImportedRule.safeParse(item);
    if (result.success) specs.push(result.data);
    else {
      const name = typeof item === 'object' && item && 'name' in item ? ` (${String(item.name)})` : '';
      problems.push(`rule ${index + 1}${name}:\n${z.prettifyError(result.error)}`);
    }
  });
  if (problems.length > 0) {
    throw new Error(`${file}: nothing imported, ${problems.length} invalid rule(s):\n${problems.join('\n')}`);
  }
  const store = openCliStore(options.dataDir, true);
  try {
    let added = 0;
    let replaced = 0;
    store.db.transaction(() => {
      const byName = new Map(store.rules.list().map((r) => [r.name, r.id]));
      for (const spec of specs) {
        const id = byName.get(spec.name);
        if (id === undefined) {
          byName.set(spec.name, store.rules.create(spec).id);
          added++;
        } else {
          store.rules.update(id, spec);
          replaced++;
        }
      }
    })();
    if (options.json) printJson({ added, replaced });
    else console.log(`Imported ${specs.length} rule(s) from ${file}: ${added} added, ${replaced} replaced.`);
    return 0;
  } finally {
    store.close();
  }
}
