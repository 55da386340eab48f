/**
 * Reads an HTTP response body, bounded: at most `capBytes` from the wire and at most `capBytes` after
 * decompression (gzip, deflate, br, zstd per Content-Encoding, RFC 9110 §8.4), so neither a huge body
 * nor a decompression bomb holds more than that in memory. Reading stops at the cap and the response
 * (its connection) is destroyed; what was read is judged.
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

export interface BodyRead {
  /** The body as read (decompressed), at most the cap. */
  readonly bytes: Buffer;
  /** The body went on past the cap (on the wire or decompressed): `bytes` is its beginning. */
  readonly truncated: boolean;
  /** Why the body could not be (fully) decompressed, or null; `bytes` holds what was decoded until then. */
  readonly decodeError: string | null;
}

/** The decompressor for a Content-Encoding value; null for none/identity; a string when unsupported. */
function decoderFor(encoding: string): Transform | null | string {
  // Lenient with truncated input, as browsers are: what was decoded is kept.
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case '':
    case 'identity': return null;
    case 'gzip':
    case 'x-gzip': return zlib.createGunzip(flush);
    // "deflate" means zlib-wrapped (RFC 9110 §8.4.1.2), but servers sending raw deflate exist: Unzip-like sniffing below.
    case 'deflate': return zlib.createInflate(flush);
    case 'br': return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    case 'zstd': return typeof zlib.createZstdDecompress === 'function' ? zlib.createZstdDecompress() : 'zstd';
    default: return encoding;
  }
}

/**
 * Reads `response`'s body up to `capBytes` (see the module comment). Rejects on `signal` (with its
 * reason) and when the connection fails before the body is complete; a body that cannot be
 * decompressed resolves with `decodeError`.
 */
export function readBody(response: IncomingMessage, capBytes: number, signal: AbortSignal): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
    let decoder = decoderFor(encoding);
    const chunks: Buffer[] = [];
    let size = 0;
    let wire = 0;
    let truncated = false;
    let settled = false;
    /** Done with the response (its end came, or the wire cap was reached): its errors no longer matter. */
    let wireDone = false;

    const stop = () => {
      settled = true;
      signal.removeEventListener('abort', onAbort);
      response.destroy();
      if (typeof decoder === 'object' && decoder !== null) decoder.destroy();
    };
    const finish = (decodeError: string | null) => {
      if (settled) return;
      stop();
      resolve({ bytes: Buffer.concat(chunks, size), truncated, decodeError });
    };
    const fail = (error: unknown) => {
      if (settled) return;
      stop();
      reject(error);
    };
    const onAbort = () => fail(signal.reason);
    if (signal.aborted) return fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });

    /** Keeps decoded bytes up to the cap; past it, stops reading. */
    const collect = (chunk: Buffer) => {
      if (settled) return;
      const room = capBytes - size;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size = capBytes;
        truncated = true;
        finish(null);
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    };

    response.on('error', (error) => { if (!wireDone) fail(error); });
    // A connection that closes before the body is complete (Node destroys the response with ECONNRESET "aborted").
    response.on('close', () => {
      if (!wireDone) fail(Object.assign(new Error('connection closed before the body was complete'), { code: 'ECONNRESET' }));
    });

    if (typeof decoder === 'string') {
      // Unknown encoding: keep the bytes as they came, and say so.
      const unsupported = `content-encoding "${decoder}" is not supported`;
      decoder = null;
      response.on('data', collect);
      response.on('end', () => { wireDone = true; finish(unsupported); });
      return;
    }
    if (decoder === null) {
      response.on('data', collect);
      response.on('end', () => { wireDone = true; finish(null); });
      return;
    }

    const inflate = decoder;
    let sniffed = encoding !== 'deflate';
    inflate.on('data', collect);
    inflate.on('end', () => finish(null));
    inflate.on('error', (error) => finish(`${encoding}: ${error.message}`));
    inflate.on('drain', () => { if (!wireDone) response.resume(); });
    const feed = (chunk: Buffer) => {
      if (!sniffed) {
        sniffed = true;
        // A zlib header is CMF (low nibble 8 = deflate) then FLG, with CMF*256+FLG a multiple of 31.
        const zlibWrapped = chunk.length < 2 || ((chunk[0] ?? 0) & 0x0f) === 8 && (((chunk[0] ?? 0) << 8) | (chunk[1] ?? 0)) % 31 === 0;
        if (!zlibWrapped) {
          inflate.removeAllListeners();
          inflate.destroy();
          const raw = zlib.createInflateRaw({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
          decoder = raw;
          raw.on('data', collect);
          raw.on('end', () => finish(null));
          raw.on('error', (error) => finish(`${encoding}: ${error.message}`));
          raw.on('drain', () => { if (!wireDone) response.resume(); });
          return raw.write(chunk);
        }
      }
      return (decoder as Transform).write(chunk);
    };
    response.on('data', (chunk: Buffer) => {
      if (settled || wireDone) return;
      const room = capBytes - wire;
      if (chunk.length > room) {
        // The wire cap: decode what fits, then close the connection.
        wireDone = true;
        truncated = true;
        if (room > 0) feed(chunk.subarray(0, room));
        response.destroy();
        (decoder as Transform).end();
        return;
      }
      wire += chunk.length;
      if (!feed(chunk)) response.pause();
    });
    response.on('end', () => {
      if (wireDone) return;
      wireDone = true;
      (decoder as Transform).end();
    });
  });
}
