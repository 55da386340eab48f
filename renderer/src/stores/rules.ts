/** Alert rules: the list from `rules.list`, replaced whenever the engine sends a `rules` event. */
import { create } from 'zustand';
import type { Rule, RuleSpec } from '../../../shared/rules.ts';
import { client, errorMessage } from '../api/index.ts';
import { onConnected } from './connection.ts';

interface RulesStore {
  rules: Rule[];
  loaded: boolean;
  error: string | null;
}

export const useRules = create<RulesStore>()(() => ({ rules: [], loaded: false, error: null }));

function upsert(rule: Rule): void {
  useRules.setState((s) => {
    const i = s.rules.findIndex((r) => r.id === rule.id);
    return { rules: i >= 0 ? s.rules.map((r) => (r.id === rule.id ? rule : r)) : [...s.rules, rule] };
  });
}

async function load(): Promise<void> {
  try {
    const rules = await client.request('rules.list');
    useRules.setState({ rules, loaded: true, error: null });
  } catch (err) {
    useRules.setState({ error: errorMessage(err), loaded: true });
  }
}

client.on('rules', (rules) => useRules.setState({ rules, loaded: true, error: null }));
onConnected(() => void load());

/** The spec part of a stored rule (without its id). */
export function specOf(rule: Rule): RuleSpec {
  const { id: _id, ...spec } = rule;
  return spec;
}

/** Creates a rule; rejects with the engine's message. */
export async function createRule(spec: RuleSpec): Promise<Rule> {
  const rule = await client.request('rules.create', spec);
  upsert(rule);
  return rule;
}

export async function updateRule(id: number, spec: RuleSpec): Promise<Rule> {
  const rule = await client.request('rules.update', { id, rule: spec });
  upsert(rule);
  return rule;
}

export async function deleteRule(id: number): Promise<void> {
  await client.request('rules.delete', { id });
  useRules.setState((s) => ({ rules: s.rules.filter((r) => r.id !== id) }));
}
