/**
 * `hostwatch hosts add | list | edit | remove | restrict-key | import-ssh-config`: remote hosts from the command line,
 * written to the same database a running `serve` or app reads (they pick changes up at once).
 * `add` connects first, as ssh does: it verifies the host key (an unknown key needs `--accept-new` or
 * `--fingerprint SHA256:…`; a changed key is always refused), logs in and takes a first snapshot, and
 * saves the host only when all of that worked. `import-ssh-config` does the same for each new host of an
 * OpenSSH client config.
 */
import { readFileSync } from 'node:fs';
import { HostSpec, parseJump, parseSshUrl } from '../../../shared/hosts.ts';
import type { HostCommand, HostSpecInput } from '../../../shared/hosts.ts';
import { formatDuration } from '../../../shared/format.ts';
import { restrictedKeyLine } from '../collectors/ssh/loop.ts';
import { createSshSupport } from '../collectors/ssh/support.ts';
import type { HostTestResult } from '../fleet.ts';
import { SecretBox, loadOrCreateKeyFile } from '../secrets.ts';
import { alreadyWatched, localUserName, readSshConfigFile, readSshConfigHosts, sshConfigPath } from '../ssh/ssh-config.ts';
import type { HostRecord } from '../store/hosts.ts';
import type { CliOptions } from '../cli.ts';
import { printJson, table } from './output.ts';
import { openCliStore } from './store.ts';
import type { CliStore } from './store.ts';
import { UsageError } from './usage.ts';
import { z } from 'zod';

const STAGE_WORDS: Record<HostTestResult['stages'][number]['stage'], string> = {
  resolve: 'resolving', connect: 'connecting', host_key: 'host key', auth: 'authentication', first_poll: 'first poll',
};

export async function runHosts(args: readonly string[], options: CliOptions): Promise<number> {
  const [sub = 'list', ...rest] = args;
  switch (sub) {
    case 'list': return list(options);
    case 'add': return add(rest, options);
    case 'edit': return edit(rest, options);
    case 'remove': return remove(rest, options);
    case 'restrict-key': return restrictKey(rest, options);
    case 'import-ssh-config': return importSshConfig(rest, options);
    default: throw new UsageError(`hosts takes list, add, edit, remove, restrict-key or import-ssh-config, not '${sub}'`);
  }
}

function list(options: CliOptions): number {
  const store = openCliStore(options.dataDir, true);
  try {
    const hosts = store.hosts.list().map(({ sealedSecret, ...host }) => ({ ...host, hasSecret: sealedSecret !== null }));
    if (options.json) {
      printJson(hosts);
      return 0;
    }
    console.log(table(['ID', 'NAME', 'ADDRESS', 'AUTH', 'INTERVAL', 'ENABLED'], hosts.map((h) => [
      h.id, h.name,
      h.spec ? `${h.spec.user}@${h.spec.address}:${h.spec.port}${h.spec.jump.length ? ` via ${h.spec.jump.map((j) => `${j.user ? `${j.user}@` : ''}${j.address}:${j.port}`).join(',')}` : ''}` : 'this machine',
      h.spec ? `${h.spec.auth}${h.spec.identityFile ? ` ${h.spec.identityFile}` : ''}${h.hasSecret ? ' (secret stored)' : ''}` : '—',
      formatDuration(h.intervalSeconds ?? h.spec?.intervalSeconds ?? 1),
      h.enabled ? 'yes' : 'no',
    ])));
    return 0;
  } finally {
    store.close();
  }
}

/** The host named or with the id `nameOrId`; throws a clear error when there is none. */
/** The host named `nameOrId` (its name or id). Throws a UsageError without one, an Error when none matches. */
export function findHost(store: CliStore, nameOrId: string | undefined): HostRecord {
  if (!nameOrId) throw new UsageError('name the host (its name or id; see `hostwatch hosts list`)');
  const host = store.hosts.list().find((h) => h.id === nameOrId || h.name === nameOrId);
  if (!host) throw new Error(`no host named ${nameOrId} (see \`hostwatch hosts list\`)`);
  return host;
}

/** The spec the flags describe, over `base` (an existing host's settings when editing). */
function specFromFlags(base: Partial<HostSpecInput>, url: string | undefined, options: CliOptions): HostSpec {
  const input: Partial<HostSpecInput> = { ...base };
  if (url !== undefined) {
    const parsed = parseSshUrl(url);
    if (!parsed) throw new UsageError(`'${url}' is not ssh://user@host:port`);
    input.address = parsed.address;
    input.port = parsed.port;
    if (parsed.user) input.user = parsed.user;
  }
  input.user ??= process.env.USER;
  if (options.hostName !== undefined) input.name = options.hostName;
  input.name ??= input.address;
  if (options.identity !== undefined) {
    input.identityFile = options.identity;
    if (options.auth === undefined && (input.auth === undefined || input.auth === 'auto')) input.auth = 'identity';
  }
  if (options.auth !== undefined) input.auth = options.auth as HostSpecInput['auth'];
  if (options.jump.length > 0) {
    input.jump = options.jump.map((text) => {
      const hop = parseJump(text);
      if (!hop) throw new UsageError(`--jump takes user@host:port, not '${text}'`);
      return hop;
    });
  }
  if (options.intervalSeconds !== undefined) input.intervalSeconds = options.intervalSeconds;
  input.commands = withCommands(input.commands ?? [], options.commands);
  const spec = HostSpec.safeParse(input);
  if (!spec.success) throw new Error(`the host's settings are not valid:\n${z.prettifyError(spec.error)}`);
  return spec.data;
}

/**
 * The host's commands (for its command checks) after --command NAME=COMMAND (added, or replacing the
 * one of that name) and --no-command NAME (removed; an unknown name is an error).
 */
function withCommands(commands: readonly HostCommand[], flags: CliOptions['commands']): HostCommand[] {
  const out = new Map(commands.map((c) => [c.name, c.command]));
  for (const name of flags.remove) {
    if (!out.delete(name)) throw new UsageError(`--no-command ${name}: the host has no command named ${name}`);
  }
  for (const text of flags.set) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--command takes NAME=COMMAND, not '${text}'`);
    out.set(text.slice(0, eq).trim(), text.slice(eq + 1));
  }
  return [...out].map(([name, command]) => ({ name, command }));
}

/** The password or passphrase given on stdin (`--password-stdin`), without its final newline. */
function secretFromStdin(options: CliOptions): string | undefined {
  if (!options.passwordStdin) return undefined;
  const text = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (text === '') throw new Error('--password-stdin read nothing');
  return text;
}

function sealer(options: CliOptions, secret: string | undefined): SecretBox | null {
  if (secret === undefined) return null;
  if (!options.secretKeyFile) {
    throw new Error('a password or passphrase is stored only encrypted: give --secret-key-file FILE ' +
      '(the same file `hostwatch serve --secret-key-file` uses), or use the agent or a key without passphrase');
  }
  return new SecretBox(loadOrCreateKeyFile(options.secretKeyFile));
}

function printStages(result: HostTestResult): void {
  for (const stage of result.stages) {
    console.error(`  ${stage.ok ? '✓' : '✗'} ${STAGE_WORDS[stage.stage].padEnd(15)} ${stage.message}${stage.ms ? ` (${stage.ms} ms)` : ''}`);
  }
}

/**
 * Connects with `spec` as ssh does: trusts an unknown host key only with --accept-new or a matching
 * --fingerprint, never a changed one; resolves when every stage passed, else throws with the stages shown.
 */
async function verifyConnection(store: CliStore, spec: HostSpec, secret: string | undefined, options: CliOptions): Promise<void> {
  const ssh = createSshSupport(store.db);
  let result = await ssh.test(spec, secret);
  const key = result.offeredKey;
  if (key && (result.keyVerdict === 'unknown' || result.keyVerdict === 'changed')) {
    const trust = result.keyVerdict === 'unknown' && (options.acceptNew || options.fingerprint === key.fingerprint);
    if (!trust) {
      printStages(result);
      if (result.keyVerdict === 'changed') {
        throw new Error(`the host key of ${spec.address} (${key.type} ${key.fingerprint}) differs from the one trusted ` +
          `for it. If you reinstalled the server, remove the old key first (ssh-keygen -R); otherwise do not connect.`);
      }
      throw new Error(`the host key of ${spec.address} is not known yet: ${key.type} ${key.fingerprint}. ` +
        `Check it on the server (ssh-keygen -lf /etc/ssh/ssh_host_${key.type.replace(/^ssh-/, '')}_key.pub), ` +
        `then add --fingerprint ${key.fingerprint} (or --accept-new to trust it on first use).`);
    }
    ssh.acceptKey(spec, key.fingerprint);
    result = await ssh.test(spec, secret);
  }
  if (!result.stages.every((s) => s.ok) || result.stages.at(-1)?.stage !== 'first_poll') {
    printStages(result);
    const failed = result.stages.find((s) => !s.ok);
    throw new Error(`cannot watch ${spec.address}, nothing was saved${failed ? `: ${STAGE_WORDS[failed.stage]}: ${failed.message}` : ''}`);
  }
  if (!options.json) printStages(result);
}

async function add(args: readonly string[], options: CliOptions): Promise<number> {
  if (args.length !== 1) throw new UsageError('hosts add takes one ssh://user@host:port');
  const secret = secretFromStdin(options);
  const spec = specFromFlags({}, args[0], options);
  const store = openCliStore(options.dataDir, true);
  try {
    const box = sealer(options, secret);
    if (store.hosts.list().some((h) => h.name.toLowerCase() === spec.name.toLowerCase())) {
      throw new Error(`a host named ${spec.name} exists already: choose another --name`);
    }
    await verifyConnection(store, spec, secret, options);
    const record = store.hosts.addRemote(spec, box && secret !== undefined ? box.seal(secret) : null);
    if (options.json) printJson({ id: record.id, name: record.name });
    else console.log(`Added ${record.name} (id ${record.id}); a running Hostwatch watches it from now on.`);
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Adds the hosts of an ssh client config (default ~/.ssh/config) that are not watched yet, each verified
 * as `hosts add` does; prints one line per alias. Fails (1) when a host could not be added.
 */
async function importSshConfig(args: readonly string[], options: CliOptions): Promise<number> {
  if (args.length > 1) throw new UsageError('hosts import-ssh-config takes at most one FILE');
  const file = sshConfigPath(args[0]);
  const text = await readSshConfigFile(file);
  if (text === null) {
    if (args[0] !== undefined) throw new Error(`${file} does not exist`);
    if (options.json) printJson({ path: file, hosts: [] });
    else console.log(`No ${file}: nothing to import.`);
    return 0;
  }
  const user = localUserName();
  const { candidates, skipped } = readSshConfigHosts(text, user !== undefined ? { defaultUser: user } : {});
  type Outcome = { name: string; result: 'added' | 'exists' | 'failed' | 'skipped'; reason?: string; id?: string };
  const outcomes: Outcome[] = [];
  const report = (outcome: Outcome) => {
    outcomes.push(outcome);
    if (!options.json) {
      console.log(`${outcome.name}: ${outcome.result}${outcome.reason ? `: ${outcome.reason}` : outcome.id ? ` (id ${outcome.id})` : ''}`);
    }
  };
  const store = openCliStore(options.dataDir, true);
  try {
    for (const { alias, spec } of candidates) {
      if (alreadyWatched(spec, store.hosts.list())) {
        report({ name: alias, result: 'exists' });
        continue;
      }
      if (!options.json) console.error(`${alias} (${spec.user}@${spec.address}:${spec.port}):`);
      try {
        await verifyConnection(store, spec, undefined, options);
        const record = store.hosts.addRemote(spec, null);
        report({ name: alias, result: 'added', id: record.id });
      } catch (error) {
        report({ name: alias, result: 'failed', reason: error instanceof Error ? error.message : String(error) });
      }
    }
    for (const { pattern, reason } of skipped) report({ name: pattern, result: 'skipped', reason });
    if (options.json) printJson({ path: file, hosts: outcomes });
    return outcomes.some((o) => o.result === 'failed') ? 1 : 0;
  } finally {
    store.close();
  }
}

async function edit(args: readonly string[], options: CliOptions): Promise<number> {
  if (args.length < 1 || args.length > 2) throw new UsageError('hosts edit takes NAME [ssh://user@host:port]');
  const secret = secretFromStdin(options);
  const store = openCliStore(options.dataDir, false);
  try {
    const host = findHost(store, args[0]);
    if (!host.spec) throw new Error('this machine has no connection settings');
    const spec = specFromFlags(host.spec, args[1], options);
    const box = sealer(options, secret);
    const current = secret ?? (host.sealedSecret && options.secretKeyFile
      ? new SecretBox(loadOrCreateKeyFile(options.secretKeyFile)).open(host.sealedSecret) : undefined);
    await verifyConnection(store, spec, current, options);
    store.db.transaction(() => {
      store.hosts.updateRemote(host.id, spec); // the spec carries --interval
      if (box && secret !== undefined) store.hosts.setSecret(host.id, box.seal(secret));
    })();
    console.log(`Saved ${spec.name}.`);
    return 0;
  } finally {
    store.close();
  }
}

async function remove(args: readonly string[], options: CliOptions): Promise<number> {
  if (args.length !== 1) throw new UsageError('hosts remove takes one NAME');
  const store = openCliStore(options.dataDir, false);
  try {
    const host = findHost(store, args[0]);
    if (host.kind === 'local') throw new Error('this machine cannot be removed');
    store.db.transaction(() => {
      store.hosts.remove(host.id);
      if (!options.keepHistory) store.alerts.deleteHost(host.id);
    })();
    if (!options.keepHistory) await store.samples().deleteHost(host.id, async () => {});
    console.log(`Removed ${host.name}${options.keepHistory ? '; its history is kept' : ' and its history'}.`);
    return 0;
  } finally {
    store.close();
  }
}

function restrictKey(args: readonly string[], options: CliOptions): number {
  if (args.length !== 1) throw new UsageError('hosts restrict-key takes one NAME');
  const store = openCliStore(options.dataDir, false);
  try {
    const host = findHost(store, args[0]);
    if (!host.spec?.identityFile) {
      throw new Error(`${host.name} has no identity file: restrict-key pins that key (its .pub beside it) to the report loop`);
    }
    const publicFile = `${host.spec.identityFile.replace(/^~(?=\/|$)/, process.env.HOME ?? '~')}.pub`;
    let publicKey: string;
    try {
      publicKey = readFileSync(publicFile, 'utf8').trim();
    } catch (error) {
      throw new Error(`cannot read the public key ${publicFile}: ${(error as Error).message}`);
    }
    console.log(restrictedKeyLine(publicKey));
    console.error(`# Replace ${host.name}'s line for this key in ~${host.spec.user}/.ssh/authorized_keys with the line above:`);
    console.error('# the key can then do nothing but report to Hostwatch.');
    return 0;
  } finally {
    store.close();
  }
}
