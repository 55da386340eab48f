/**
 * The engine's remote-host abilities over SSH (fleet.ts `RemoteSupport`): turns a host's settings into
 * connect options verified against the host key store, makes SshCollectors, remembers which offered key
 * the user accepted (by its fingerprint) until the host offers it, and runs the stage-by-stage test of
 * settings that are not saved yet.
 */
import { homedir } from 'node:os';
import type { HostKey, HostSpec } from '../../../../shared/hosts.ts';
import type { HostTestResult, RemoteSupport } from '../../fleet.ts';
import type { Database } from '../../store/database.ts';
import { connect } from '../../ssh/connect.ts';
import type { ConnectOptions } from '../../ssh/connect.ts';
import { SshError } from '../../ssh/errors.ts';
import { HostKeyStore } from '../../ssh/host-keys.ts';
import { fingerprint, knownHostsName } from '../../ssh/known-hosts.ts';
import type { HostKeyVerdict, OfferedKey } from '../../ssh/known-hosts.ts';
import { LinuxSnapshotter } from '../snapshotter.ts';
import { SshCollector } from './collector.ts';
import { snapshotSections } from './sections.ts';
import { RemoteSession } from './session.ts';

export interface SshSupportOptions {
  /** The user's known_hosts file, read beside Hostwatch's own store; default ~/.ssh/known_hosts, null for none. */
  knownHostsFile?: string | null;
  /** Time each hop has to connect and authenticate, ms; default 10 000. */
  timeoutMs?: number;
}

/** `~/x` → the home folder's x; anything else unchanged. */
function expandHome(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/**
 * SSH support for the engine whose database is `db` (host keys live in its known_hosts table).
 * `secret` of a host is its password for password and keyboard-interactive logins, else the passphrase of
 * its identity file.
 */
export function createSshSupport(db: Database, options: SshSupportOptions = {}): RemoteSupport {
  const hostKeys = new HostKeyStore(db, options.knownHostsFile === undefined ? {} : { knownHostsFile: options.knownHostsFile });
  /**
   * Fingerprints the user accepted → the hosts (knownHostsName) of the settings they were shown for: the
   * target and its jump hosts, since the key shown may be a jump host's. Kept until a host offers it.
   */
  const accepted = new Map<string, Set<string>>();

  const verify = (address: string, port: number, key: OfferedKey): HostKeyVerdict => {
    const verdict = hostKeys.check(address, port, key);
    if (verdict !== 'unknown' && verdict !== 'changed') return verdict;
    const keyFingerprint = fingerprint(key.blob);
    const hosts = accepted.get(keyFingerprint);
    if (!hosts?.has(knownHostsName(address, port))) return verdict;
    // Exactly the key the user compared and accepted, offered by a host it was shown for: trust it.
    hostKeys.trust(address, port, key);
    accepted.delete(keyFingerprint);
    return 'trusted';
  };

  const connectOptions = (spec: HostSpec, secret: string | undefined): ConnectOptions => {
    const usesPassword = spec.auth === 'password' || spec.auth === 'keyboard-interactive';
    const identityFile = expandHome(spec.identityFile);
    return {
      address: spec.address,
      port: spec.port,
      user: spec.user,
      auth: {
        method: spec.auth,
        ...(identityFile ? { identityFile } : {}),
        ...(secret !== undefined ? (usesPassword ? { password: secret } : { passphrase: secret }) : {}),
      },
      jump: spec.jump,
      verify,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    };
  };

  return {
    collector: (id, spec, secret, onStatus) => new SshCollector(id, connectOptions(spec, secret), { onStatus }),

    acceptKey(spec, keyFingerprint) {
      const hops = [spec, ...spec.jump].map((hop) => knownHostsName(hop.address, hop.port));
      accepted.set(keyFingerprint, new Set(hops));
    },

    async test(spec, secret): Promise<HostTestResult> {
      const stages: HostTestResult['stages'] = [];
      let offeredKey: HostKey | null = null;
      let keyVerdict: HostKeyVerdict | null = null;
      let connection;
      try {
        connection = await connect({
          ...connectOptions(spec, secret),
          // A test never trusts anything by itself, and reports the key whatever the verdict.
          verify: (address, port, key) => {
            const verdict = verify(address, port, key);
            if (address === spec.address && port === spec.port) {
              offeredKey = { type: key.type, fingerprint: fingerprint(key.blob) };
              keyVerdict = verdict;
            }
            return verdict;
          },
          onStage: (stage, ok, ms, message) => stages.push({ stage, ok, ms, message }),
        });
      } catch (error) {
        if (error instanceof SshError && error.offeredKey) {
          // The target's, or a jump host's when that is what stopped the connection.
          offeredKey = { type: error.offeredKey.type, fingerprint: error.offeredKey.fingerprint };
          keyVerdict = error.code === 'host_key_changed' ? 'changed' : error.code === 'host_key_revoked' ? 'revoked' : 'unknown';
        }
        const message = error instanceof Error ? error.message : String(error);
        if (stages.length === 0 || stages.at(-1)!.ok) stages.push({ stage: 'connect', ok: false, ms: 0, message });
        return { stages, offeredKey, keyVerdict };
      }
      const started = performance.now();
      try {
        const session = await RemoteSession.open(connection);
        try {
          const first = new LinuxSnapshotter().snapshot(snapshotSections(await session.request('snapshot')), Date.now());
          const ms = Math.round(performance.now() - started);
          const problems = first.errors.length ? `; not readable: ${first.errors.map((e) => e.source).join(', ')}` : '';
          stages.push({ stage: 'first_poll', ok: first.samples.length > 0, ms, message: `Read ${first.samples.length} values${problems}` });
        } finally {
          session.close();
        }
      } catch (error) {
        stages.push({
          stage: 'first_poll', ok: false, ms: Math.round(performance.now() - started),
          message: error instanceof Error ? error.message : String(error),
        });
      } finally {
        connection.close();
      }
      return { stages, offeredKey, keyVerdict };
    },
  };
}
