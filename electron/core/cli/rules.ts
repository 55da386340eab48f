/**
 * `hostwatch rules list | export | import FILE`. Files are YAML (or JSON, which YAML reads too):
 * a list of rules, or `{ rules: [...] }`, each as RuleSpec (shared/rules.ts); `for` may be seconds or a
 * Prometheus duration like `5m`. An import validates every rule first and writes nothing if any is
 * invalid; a rule whose name exists already replaces it, so importing an export twice changes nothing.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { RuleSpec, ruleExpression } from '../../../shared/rules.ts';
import { durationText, parseDuration } from '../../../shared/duration.ts';
import type { Rule } from '../../../shared/rules.ts';
import type { CliOptions } from '../cli.ts';
import { printJson, table } from './output.ts';
import { openCliStore } from './store.ts';
import { UsageError } from './usage.ts';

/** Accepts `for` as seconds or a Prometheus duration (`90s`, `5m`, `1h30m`). */
const ImportedRule = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || !('for' in value) || typeof value.for !== 'string') {
    return value;
  }
  return { ...value, for: parseDuration(value.for) ?? value.for };
}, RuleSpec);

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

function list(options: CliOptions): number {
  const store = openCliStore(options.dataDir, true);
  try {
    const rules = store.rules.list();
    if (options.json) {
      printJson(rules);
      return 0;
    }
    console.log(table(['ID', 'NAME', 'CONDITION', 'SEVERITY', 'ENABLED'], rules.map((r) => [
      String(r.id), r.name, ruleExpression(r), r.severity, r.enabled ? 'yes' : 'no',
    ])));
    return 0;
  } finally {
    store.close();
  }
}

function exportRules(options: CliOptions): number {
  const store = openCliStore(options.dataDir, true);
  try {
    const rules = store.rules.list().map(({ id: _id, ...spec }: Rule) => ({ ...spec, for: durationText(spec.for) }));
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
