/**
 * `hostwatch rules list | export | import FILE | test FILE`. Files are YAML (or JSON, which YAML reads
 * too): a list of rules, or `{ rules: [...] }`, each as RuleSpec (shared/rules.ts); `for` may be seconds
 * or a Prometheus duration like `5m` (rule-file.ts). `test` says what is wrong with each line number; an
 * import checks the same way first and writes nothing if anything is wrong; a rule whose name exists
 * already replaces it, so importing an export twice changes nothing.
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { ruleExpression } from '../../../shared/rules.ts';
import { durationText } from '../../../shared/duration.ts';
import type { Rule } from '../../../shared/rules.ts';
import type { CliOptions } from '../cli.ts';
import { printJson, table } from './output.ts';
import { checkRuleFile, problemLine } from './rule-file.ts';
import { openCliStore } from './store.ts';
import { UsageError } from './usage.ts';

export function runRules(args: readonly string[], options: CliOptions): number {
  const [sub = 'list', ...rest] = args;
  switch (sub) {
    case 'list': return list(options);
    case 'export': return exportRules(options);
    case 'import': {
      if (rest.length !== 1) throw new UsageError('rules import takes one FILE');
      return importRules(rest[0]!, options);
    }
    case 'test': {
      if (rest.length !== 1) throw new UsageError('rules test takes one FILE');
      return testRules(rest[0]!, options);
    }
    default: throw new UsageError(`rules takes list, export, import or test, not '${sub}'`);
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

/** The text of `file` (`-`: stdin); throws when it cannot be read. */
function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** `rules test FILE`: every problem of the file with its line, or that it is fine; exit 1 on problems. */
function testRules(file: string, options: CliOptions): number {
  const { specs, problems } = checkRuleFile(readText(file));
  if (options.json) printJson({ file, valid: problems.length === 0, rules: specs.length, problems });
  else if (problems.length === 0) console.log(`${file}: ${specs.length} rule(s), all valid.`);
  else for (const p of problems) console.log(problemLine(file, p));
  return problems.length === 0 ? 0 : 1;
}

function importRules(file: string, options: CliOptions): number {
  const { specs, problems } = checkRuleFile(readText(file));
  if (problems.length > 0) {
    throw new Error(`${file}: nothing imported, ${problems.length} problem(s):\n${problems.map((p) => problemLine(file, p)).join('\n')}`);
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
