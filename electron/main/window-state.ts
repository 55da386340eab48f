/**
 * Remembers the main window's size, position and maximised state in a small JSON file, and restores
 * them only when they are sane and the window would be on a display that is still attached.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Rectangle } from 'electron';

export interface WindowState {
  /** The window's normal (not maximised) bounds, in screen DIPs. */
  bounds: Rectangle;
  maximized: boolean;
}

export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;
const MAX_SIZE = 16_384;
/** How much of the window's top edge (its title bar) must lie on a display to count as visible. */
const VISIBLE_WIDTH = 120;
const TITLE_BAR_HEIGHT = 40;

/**
 * Reads the saved state; null when there is none, it is malformed, or the window would not be
 * reachable on any of `workAreas` (the work areas of the displays attached now).
 */
export function readWindowState(file: string, workAreas: Rectangle[]): WindowState | null {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const state = parseWindowState(saved);
  return state && isVisible(state.bounds, workAreas) ? state : null;
}

/** Saves the state; a failure is only logged (the window opens at its default place next time). */
export function writeWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(file, JSON.stringify(state));
  } catch (error) {
    console.error(`hostwatch: cannot save the window's position to ${file}:`, error);
  }
}

/** Validates an untrusted value as a WindowState; null when it is not one. */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { bounds, maximized } = value as { bounds?: unknown; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null || typeof maximized !== 'boolean') return null;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  const integers = [x, y, width, height].every((n) => Number.isSafeInteger(n));
  if (!integers) return null;
  const size = { width: width as number, height: height as number };
  if (size.width < MIN_WIDTH || size.height < MIN_HEIGHT || size.width > MAX_SIZE || size.height > MAX_SIZE) {
    return null;
  }
  return { bounds: { x: x as number, y: y as number, ...size }, maximized };
}

/** Whether a strip of the window's title bar lies inside one display's work area. */
export function isVisible(bounds: Rectangle, workAreas: Rectangle[]): boolean {
  return workAreas.some((area) => {
    const overlap = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    return overlap >= VISIBLE_WIDTH && bounds.y >= area.y && bounds.y + TITLE_BAR_HEIGHT <= area.y + area.height;
  });
}
