/**
 * A real systemd for the tests: a minimal Debian root made by debootstrap (built once per machine into
 * a cache folder outside the clone, then reused), booted with `systemd-nspawn -b --register=no
 * --keep-unit` (the machine has no systemd of its own to register with) and `--volatile=overlay`, so
 * what a test does inside lands in memory and the cached root stays as built. The container shares the
 * host's network; its sshd listens on 127.0.0.1 on a port of the test's, and lets root in with a key
 * made for the test, checked against a host key made for the test.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the root is kept between runs (HOSTWATCH_NSPAWN_CACHE overrides). */
const CACHE = process.env.HOSTWATCH_NSPAWN_CACHE ?? '/var/cache/hostwatch-test';
const ROOT_NAME = 'nspawn-bookworm-1';
const MIRROR = 'http://deb.debian.org/debian';
const PACKAGES = ['systemd', 'systemd-sysv', 'dbus', 'openssh-server'];

/**
 * Why a booted systemd cannot be had here, or null when it can. Under CI it returns null whatever the
 * machine, so a missing piece fails the test instead of skipping it.
 */
export function nspawnSkipReason(): string | null {
  if (process.env.CI) return null;
  if (process.platform !== 'linux') return 'systemd-nspawn needs Linux';
  if (process.getuid?.() !== 0) return 'systemd-nspawn needs root';
  if (!existsSync('/usr/bin/systemd-nspawn')) return 'systemd-nspawn is not installed (apt-get install systemd-container)';
  if (!existsSync(join(CACHE, ROOT_NAME)) && !existsSync('/usr/sbin/debootstrap')) return 'debootstrap is not installed (apt-get install debootstrap)';
  return null;
}

/**
 * The cached root, built first when missing (about 40 s and 260 MB from Debian's mirror): into a
 * temporary folder renamed when complete, so an interrupted build is never taken for a root.
 */
export function bookwormRoot(): string {
  const root = join(CACHE, ROOT_NAME);
  if (existsSync(join(root, 'usr/lib/systemd/systemd'))) return root;
  mkdirSync(CACHE, { recursive: true });
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  execFileSync('debootstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, 'bookworm', partial, MIRROR],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15 * 60_000 });
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  return root;
}

/** Files a test puts into the machine, by absolute path inside it (read-only). */
export type MachineFiles = Record<string, string>;

export interface Machine {
  /** The port of its sshd on 127.0.0.1. */
  readonly port: number;
  /** root's private key (ed25519, no passphrase). */
  readonly keyPath: string;
  /** The known_hosts line of its host key (`[127.0.0.1]:port ssh-ed25519 …`). */
  readonly knownHostsLine: string;
  /** What systemd and the container printed (console and nspawn's own lines). */
  log(): string;
  /** Shuts it down (SIGTERM to nspawn: an orderly poweroff), killing it after 20 s; removes its files. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves when 127.0.0.1:`port` answers with an SSH banner; rejects after `ms`. */
async function waitForSsh(port: number, ms: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !exited()) {
    const banner = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let got = '';
      socket.setTimeout(1000, () => socket.destroy());
      socket.on('data', (d) => { got += d.toString(); socket.destroy(); });
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(''));
    });
    if (banner.startsWith('SSH-2.0-')) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(exited() ? 'the container stopped before its sshd answered' : `its sshd did not answer within ${ms / 1000} s`);
}

/**
 * Boots the cached root with `files` placed in it, and resolves once its sshd answers (usually 2–5 s).
 * Throws with the container's output when it does not within 60 s.
 */
export async function bootMachine(files: MachineFiles = {}): Promise<Machine> {
  const root = bookwormRoot();
  const dir = mkdtempSync(join(tmpdir(), 'hwtest-nspawn-'));
  const port = await freePort();
  const keyPath = join(dir, 'root_key');
  const hostKey = join(dir, 'host_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hwtest-root', '-f', keyPath]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hwtest-host', '-f', hostKey]);
  const all: MachineFiles = {
    '/etc/ssh/sshd_config': [
      `Port ${port}`, 'ListenAddress 127.0.0.1', 'HostKey /etc/ssh/hwtest_host_key', 'PermitRootLogin prohibit-password',
      'AuthorizedKeysFile /etc/ssh/hwtest_authorized_keys', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
      'UsePAM yes', 'AllowStreamLocalForwarding yes', 'AllowTcpForwarding yes', '',
    ].join('\n'),
    '/etc/ssh/hwtest_authorized_keys': readFileSync(`${keyPath}.pub`, 'utf8'),
    ...files,
  };
  const binds: string[] = [];
  let i = 0;
  for (const [inside, content] of Object.entries(all)) {
    const file = join(dir, `file-${i++}`);
    writeFileSync(file, content);
    binds.push(`--bind-ro=${file}:${inside}`);
  }
  chmodSync(hostKey, 0o600);
  binds.push(`--bind-ro=${hostKey}:/etc/ssh/hwtest_host_key`);

  let output = '';
  const child: ChildProcess = spawn('systemd-nspawn', [
    '-D', root, '-b', '--register=no', '--keep-unit', '--volatile=overlay', '--console=pipe', `--machine=hwtest-${process.pid}-${port}`,
    ...binds,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  const done = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (d: Buffer) => { if (output.length < 1 << 20) output += d.toString(); });
  }
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForSsh(port, 60_000, () => exited);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; the container said:\n${output.slice(-4000)}`);
  }
  const publicHostKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return { port, keyPath, knownHostsLine: `[127.0.0.1]:${port} ${publicHostKey}`, log: () => output, stop };
}
