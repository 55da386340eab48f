/**
 * A small client of the Docker Engine API (v1.41; Podman's compatible API answers it too) over a Unix
 * socket opened through the check's context: on this machine, or on the host through SSH streamlocal
 * forwarding. One GET per connection, the answer read up to a cap and parsed as JSON.
 */
import http from 'node:http';
import { CheckUnavailableError, RESPONSE_CAP_BYTES, type CheckContext } from '../runner.ts';

/** The API version asked for: Docker 20.10+ and Podman 3+ serve it. */
const API_VERSION = 'v1.41';

/** The answer to one GET: its status code and its body as JSON (null when empty or not JSON). */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** The engine could not be asked (no socket, refused, garbage); the message says so in words. */
export class EngineUnreachableError extends Error {
  override name = 'EngineUnreachableError';
}

/**
 * GETs `path` (e.g. `/containers/json?all=1`) from the Engine API at Unix socket `socket` of the check's
 * host. Rejects with EngineUnreachableError when the socket cannot be opened or the answer is not HTTP,
 * too large (over 1 MiB) or not JSON; with the context's CheckUnavailableError when the host cannot be
 * reached; with the signal's reason at the timeout.
 */
export async function engineGet(context: CheckContext, socket: string, path: string): Promise<ApiAnswer> {
  let stream;
  try {
    stream = await context.connectSocket(socket);
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    if (error instanceof CheckUnavailableError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    // Over SSH, sshd says only that the channel could not open: no such socket, or forwarding not allowed.
    const why = code === 'ENOENT' ? 'no such socket' : code === 'EACCES' ? 'permission denied' : code === 'ECONNREFUSED' ? 'refused'
      : /Channel open failure/.test(message) ? 'no such socket, or the host does not allow forwarding to it'
        : message.replace(/^the host could not connect to [^:]+: /, '');
    throw new EngineUnreachableError(`no Docker Engine API at ${socket} (${why}): is docker or \`podman system service\` running?`);
  }
  return new Promise<ApiAnswer>((resolve, reject) => {
    const fail = (message: string) => {
      request.destroy();
      stream.destroy();
      reject(new EngineUnreachableError(message));
    };
    const request = http.request({
      createConnection: () => stream as never, path: `/${API_VERSION}${path}`, method: 'GET',
      headers: { host: 'docker', accept: 'application/json' },
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > RESPONSE_CAP_BYTES) return fail(`the Engine API at ${socket} answered more than 1 MiB`);
        chunks.push(chunk);
      });
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        stream.destroy();
        let body: unknown = null;
        if (text.trim() !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            return fail(`the Engine API at ${socket} answered something else than JSON (HTTP ${response.statusCode})`);
          }
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on('error', (error) => fail(`the Engine API at ${socket} broke off: ${error.message}`));
    });
    const onAbort = () => {
      request.destroy();
      stream.destroy();
      reject(context.signal.reason);
    };
    if (context.signal.aborted) return onAbort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    request.on('close', () => context.signal.removeEventListener('abort', onAbort));
    request.on('error', (error) => fail(`the Engine API at ${socket} did not answer in HTTP: ${error.message}`));
    request.end();
  });
}
