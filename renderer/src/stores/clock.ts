/**
 * One shared clock ticking every second, so "is this value stale?" can be selected as a boolean by
 * any component without each one running its own timer.
 */
import { create } from 'zustand';

export const useClock = create<{ now: number }>()(() => ({ now: Date.now() }));

setInterval(() => useClock.setState({ now: Date.now() }), 1000);
