/**
 * The report schedule (`reports.schedule`): loaded when the engine connects and after each save. The
 * engine sends no event when it changes, so Settings reloads it on opening.
 */
import { create } from 'zustand';
import type { ReportSchedule } from '../../../shared/report.ts';
import { client, errorMessage } from '../api/index.ts';
import { onConnected } from './connection.ts';

interface ReportsStore {
  /** Null until loaded. */
  schedule: ReportSchedule | null;
  /** Why loading failed, if it did. */
  error: string | null;
}

export const useReports = create<ReportsStore>()(() => ({ schedule: null, error: null }));

export async function loadSchedule(): Promise<void> {
  try {
    useReports.setState({ schedule: await client.request('reports.schedule'), error: null });
  } catch (err) {
    useReports.setState({ error: errorMessage(err) });
  }
}

onConnected(() => void loadSchedule());

/** Saves the schedule; rejects with the engine's ApiError (an unusable folder, invalid fields). */
export async function saveSchedule(schedule: ReportSchedule): Promise<ReportSchedule> {
  const saved = await client.request('reports.setSchedule', schedule);
  useReports.setState({ schedule: saved, error: null });
  return saved;
}
