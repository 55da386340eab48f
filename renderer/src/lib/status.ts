/**
 * One meaning per colour, and never colour alone: every state maps to a tone (ok / warning /
 * critical / unknown / info, each a CSS class), an icon and a word.
 */
import type { AlertState, HostState } from '../../../shared/api.ts';
import type { CheckState, RunStatus } from '../../../shared/checks/index.ts';
import type { Severity } from '../../../shared/rules.ts';

export type Tone = 'ok' | 'warning' | 'critical' | 'unknown' | 'info';

export interface StatusLook { tone: Tone; icon: string; word: string }

export const TONE_ICON: Record<Tone, string> = {
  ok: '✓', warning: '▲', critical: '✖', unknown: '?', info: 'ℹ',
};

/** How bad a tone is, for sorting worst first. */
export const TONE_RANK: Record<Tone, number> = { critical: 4, warning: 3, unknown: 2, info: 1, ok: 0 };

const HOST: Record<HostState, StatusLook> = {
  online: { tone: 'ok', icon: TONE_ICON.ok, word: 'Online' },
  connecting: { tone: 'info', icon: '↻', word: 'Connecting' },
  unreachable: { tone: 'critical', icon: TONE_ICON.critical, word: 'Unreachable' },
  auth_failed: { tone: 'critical', icon: TONE_ICON.critical, word: 'Authentication failed' },
  host_key_unknown: { tone: 'warning', icon: TONE_ICON.warning, word: 'Host key unknown' },
  host_key_changed: { tone: 'critical', icon: TONE_ICON.critical, word: 'Host key changed' },
  error: { tone: 'critical', icon: TONE_ICON.critical, word: 'Error' },
  paused: { tone: 'unknown', icon: '❚❚', word: 'Paused' },
};

export function hostLook(state: HostState): StatusLook {
  return HOST[state];
}

const SEVERITY: Record<Severity, StatusLook> = {
  info: { tone: 'info', icon: TONE_ICON.info, word: 'Info' },
  warning: { tone: 'warning', icon: TONE_ICON.warning, word: 'Warning' },
  critical: { tone: 'critical', icon: TONE_ICON.critical, word: 'Critical' },
};

export function severityLook(severity: Severity): StatusLook {
  return SEVERITY[severity];
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };

export function severityTone(severity: Severity): Tone {
  return SEVERITY[severity].tone;
}

const ALERT_STATE: Record<AlertState, StatusLook> = {
  pending: { tone: 'unknown', icon: '…', word: 'Pending' },
  firing: { tone: 'critical', icon: '●', word: 'Firing' },
  resolved: { tone: 'ok', icon: TONE_ICON.ok, word: 'Resolved' },
};

/** Firing takes the alert's severity tone; pending is grey; resolved is green. */
export function alertStateLook(state: AlertState, severity: Severity): StatusLook {
  const look = ALERT_STATE[state];
  return state === 'firing' ? { ...look, tone: severityTone(severity) } : look;
}

/**
 * A check's state as the UI shows it: the engine's CheckState, or `paused` for a check the user
 * disabled (the engine keeps its last state, which would otherwise look current).
 */
export type CheckDisplayState = CheckState | 'paused';

const CHECK: Record<CheckDisplayState, StatusLook> = {
  up: { tone: 'ok', icon: TONE_ICON.ok, word: 'Up' },
  degraded: { tone: 'warning', icon: TONE_ICON.warning, word: 'Degraded' },
  pending: { tone: 'warning', icon: '…', word: 'Pending' },
  down: { tone: 'critical', icon: TONE_ICON.critical, word: 'Down' },
  unknown: { tone: 'unknown', icon: TONE_ICON.unknown, word: 'Unknown' },
  maintenance: { tone: 'info', icon: '⚒', word: 'Maintenance' },
  paused: { tone: 'unknown', icon: '❚❚', word: 'Paused' },
};

export function checkLook(state: CheckDisplayState): StatusLook {
  return CHECK[state];
}

const RUN: Record<RunStatus, StatusLook> = {
  up: { tone: 'ok', icon: TONE_ICON.ok, word: 'Passed' },
  degraded: { tone: 'warning', icon: TONE_ICON.warning, word: 'Degraded' },
  down: { tone: 'critical', icon: TONE_ICON.critical, word: 'Failed' },
};

/** What one run (or one readiness dependency) found: passed, degraded, failed. */
export function runLook(status: RunStatus): StatusLook {
  return RUN[status];
}
