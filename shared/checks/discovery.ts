/**
 * What discovery found on a host for the user to tick: its systemd services that run or failed, and its
 * containers, each as the check that would watch it. Every string came from the host: data, to escape.
 */
import { z } from 'zod';

/** A systemd service as `systemctl list-units` shows it (systemd.unit(5) states). */
export const DiscoveredUnit = z.object({
  unit: z.string(),
  description: z.string(),
  loadState: z.string(),
  activeState: z.string(),
  subState: z.string(),
});
export type DiscoveredUnit = z.infer<typeof DiscoveredUnit>;

/** A container as the Docker Engine API lists it (`GET /containers/json?all=1`). */
export const DiscoveredContainer = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  /** created, running, paused, restarting, exited, dead. */
  state: z.string(),
  /** The engine's words: "Up 3 hours (healthy)". */
  status: z.string(),
  /** healthy, unhealthy, starting; null without a health check. */
  health: z.string().nullable(),
});
export type DiscoveredContainer = z.infer<typeof DiscoveredContainer>;

/**
 * Discovery's answer: the units and the containers, each null when that part could not be read, with why
 * in `errors` ("systemctl: not found", "no Docker Engine API at /var/run/docker.sock").
 */
export const Discovery = z.object({
  units: z.array(DiscoveredUnit).nullable(),
  containers: z.array(DiscoveredContainer).nullable(),
  errors: z.array(z.string()),
});
export type Discovery = z.infer<typeof Discovery>;
