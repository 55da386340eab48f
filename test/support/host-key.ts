/** A syntactically valid SSH public key blob of `type`, filled with `fill`: distinct keys for verdict tests. */
import type { OfferedKey } from '../../electron/core/ssh/known-hosts.ts';

export function fakeKey(type: string, fill: number): OfferedKey {
  const name = Buffer.from(type);
  const blob = Buffer.alloc(4 + name.length + 32, fill);
  blob.writeUInt32BE(name.length, 0);
  name.copy(blob, 4);
  return { type, blob };
}
