/**
 * Container checks: the state and health of Docker or Podman containers through the Docker Engine API
 * (`GET /containers/json`, `GET /containers/{id}/json`), on a Unix socket of this machine or of the host,
 * reached over SSH by streamlocal forwarding. One container by name or id, or every container of the
 * host (`*`), each then shown with its own state.
 */
import { z } from 'zod';
import { checkCommon, type CheckForm } from './common.ts';

/** Where the Docker Engine API listens by default: Docker's socket (Podman's `podman system service` can use it too). */
export const DOCKER_SOCKET = '/var/run/docker.sock';

export const ContainerCheck = z.object({
  ...checkCommon,
  type: z.literal('container'),
  /** A container's name or id (a prefix of at least 12 hex digits), or `*` for every container of the host. */
  container: z.string().trim().min(1, 'Enter the container\'s name, or * for all')
    .max(256).regex(/^(\*|[A-Za-z0-9][A-Za-z0-9_.-]*)$/, 'A container name has only letters, digits and _ . -'),
  /** The Engine API's Unix socket on the host. */
  socket: z.string().trim().min(1).max(1024).regex(/^\/[^\u0000-\u001f]*$/, 'An absolute path, like /var/run/docker.sock').default(DOCKER_SOCKET),
  /** With `*`: whether stopped containers count (an exited one makes the check down); default only running ones. */
  includeStopped: z.boolean().default(false),
});
export type ContainerCheck = z.infer<typeof ContainerCheck>;

export const CONTAINER_FORM: CheckForm = {
  label: 'Container',
  description: 'Docker or Podman containers run and are healthy, not restarting',
  fields: [
    { key: 'container', label: 'Container', kind: 'text', placeholder: 'web, or * for all', hint: 'Its name or id; * checks every container of the host' },
    { key: 'socket', label: 'Engine API socket', kind: 'text', placeholder: DOCKER_SOCKET, advanced: true,
      hint: 'Podman: /run/podman/podman.sock (podman system service)' },
    { key: 'includeStopped', label: 'With *: stopped containers count too', kind: 'checkbox', advanced: true },
  ],
};
