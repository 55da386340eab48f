/**
 * Which hosts a report covers: all of them, or the ones picked. "All" is kept apart from "every host
 * picked one by one" because a schedule's all (hosts: []) also takes in hosts added later.
 */

export interface HostChoice {
  all: boolean;
  /** Host ids; only read when `all` is false. */
  picked: string[];
}

export const ALL_HOSTS: HostChoice = { all: true, picked: [] };

export function isPicked(choice: HostChoice, id: string): boolean {
  return choice.all || choice.picked.includes(id);
}

/** Turns one host on or off; with all of `ids` on, the choice is "all" again. */
export function toggleHost(choice: HostChoice, ids: readonly string[], id: string, on: boolean): HostChoice {
  const current = choice.all ? [...ids] : choice.picked;
  const picked = on ? (current.includes(id) ? current : [...current, id]) : current.filter((h) => h !== id);
  return ids.length > 0 && ids.every((h) => picked.includes(h)) ? ALL_HOSTS : { all: false, picked };
}

/** "All" on, or everything off (to pick a few). */
export function toggleAll(on: boolean): HostChoice {
  return on ? ALL_HOSTS : { all: false, picked: [] };
}

/** The hosts parameter of a request or schedule: [] means every host. */
export function hostsParam(choice: HostChoice): string[] {
  return choice.all ? [] : [...choice.picked];
}

/** The choice that a request's or schedule's hosts parameter means. */
export function choiceFromHosts(hosts: readonly string[]): HostChoice {
  return hosts.length === 0 ? ALL_HOSTS : { all: false, picked: [...hosts] };
}

/** Why the choice cannot be used, or undefined. */
export function hostsIssue(choice: HostChoice): string | undefined {
  return !choice.all && choice.picked.length === 0 ? 'Choose at least one host' : undefined;
}
