/**
 * Service checks: the list from `checks.list` (loaded on connect), each `check` event replacing its
 * check by id (a check added elsewhere, by the CLI, appears), and the list loaded again after every
 * create, update and delete. The actions reject with the engine's ApiError.
 */
import { create } from 'zustand';
import type { CheckEvent, CheckResult, CheckSpec, CheckStatus, Discovery } from '../../../shared/checks/index.ts';
import { client, errorMessage } from '../api/index.ts';
import { isFailing } from '../lib/checkList.ts';
import { onConnected } from './connection.ts';

interface ChecksStore {
  checks: CheckStatus[];
  /** False until the first list arrived. */
  loaded: boolean;
  /** Why loading failed, if it did. */
  error: string | null;
}

export const useChecks = create<ChecksStore>()(() => ({ checks: [], loaded: false, error: null }));

function upsert(status: CheckStatus): void {
  useChecks.setState((s) => {
    const i = s.checks.findIndex((c) => c.id === status.id);
    return { checks: i >= 0 ? s.checks.map((c) => (c.id === status.id ? status : c)) : [...s.checks, status] };
  });
}

/** (Re)loads the list. Answers and events come in the engine's order, so the last one is the newest. */
export async function loadChecks(): Promise<void> {
  try {
    const checks = await client.request('checks.list');
    useChecks.setState({ checks, loaded: true, error: null });
  } catch (err) {
    useChecks.setState({ error: errorMessage(err), loaded: true });
  }
}

client.on('check', upsert);
onConnected(() => void loadChecks());

/** One check's status, or undefined. */
export function useCheck(id: number): CheckStatus | undefined {
  return useChecks((s) => s.checks.find((c) => c.id === id));
}

/** Number of failing checks (down or pending), of one host or all. */
export function useFailingChecks(host?: string): number {
  return useChecks((s) => s.checks.filter((c) => (host === undefined || c.spec.host === host) && isFailing(c)).length);
}

/** Adds a check (it starts after its initial delay). */
export async function createCheck(spec: CheckSpec): Promise<CheckStatus> {
  const status = await client.request('checks.create', spec);
  upsert(status);
  void loadChecks();
  return status;
}

/** Replaces a check's settings. */
export async function updateCheck(id: number, spec: CheckSpec): Promise<CheckStatus> {
  const status = await client.request('checks.update', { id, spec });
  upsert(status);
  void loadChecks();
  return status;
}

/** Deletes a check and its state history. */
export async function deleteCheck(id: number): Promise<boolean> {
  const { deleted } = await client.request('checks.delete', { id });
  useChecks.setState((s) => ({ checks: s.checks.filter((c) => c.id !== id) }));
  void loadChecks();
  return deleted;
}

/** Runs settings once without saving them ("Test now"). */
export function testCheck(spec: CheckSpec): Promise<CheckResult> {
  return client.request('checks.test', spec);
}

/** A check's newest state changes, newest first. */
export function checkEvents(id: number, limit = 100): Promise<CheckEvent[]> {
  return client.request('checks.events', { id, limit });
}

/** What runs on `host`: its services and the containers behind `socket` (checks.discover). */
export function discoverOnHost(host: string, socket: string): Promise<Discovery> {
  return client.request('checks.discover', { host, socket });
}
