/**
 * Containers for the tests: Debian's podman with runc, everything private to the test — its config
 * named by CONTAINERS_CONF (runc, cgroupfs, default ulimits: this machine's cgroups are hybrid and it
 * has no systemd), its storage named by CONTAINERS_STORAGE_CONF in a temporary folder, an image made
 * locally with `podman import` from a root holding only a static busybox (no registry needed), and
 * `podman system service` serving the Docker Engine API on a socket of the test's. Nothing in /etc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUSYBOX = '/bin/busybox';
export const TEST_IMAGE = 'localhost/hwtest-busybox';

/**
 * Why podman cannot run here, or null when it can. Under CI it returns null whatever the machine, so a
 * missing piece fails the test instead of skipping it.
 */
export function podmanSkipReason(): string | null {
  if (process.env.CI) return null;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'the podman tests need Linux and root';
  for (const [file, pkg] of [['/usr/bin/podman', 'podman'], ['/usr/sbin/runc', 'runc'], [BUSYBOX, 'busybox-static']] as const) {
    if (!existsSync(file)) return `${file} is missing (apt-get install ${pkg})`;
  }
  return null;
}

export interface Podman {
  /** The Docker Engine API's socket (mode 0666 in a 0755 folder, so a test's SSH user reaches it too). */
  readonly socket: string;
  /** Runs podman with the private config; returns its stdout. Throws with its stderr when it fails. */
  run(...args: string[]): string;
  /** Stops the service, removes every container and the folder. */
  close(): Promise<void>;
}

/** Sets up the private podman, imports the busybox image and starts the API service (about 2 s). */
export async function startPodman(): Promise<Podman> {
  const dir = mkdtempSync(join(tmpdir(), 'hwtest-podman-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'containers.conf'), [
    // No ulimits of podman's own: setting RLIMIT_NPROC is refused here ("error setting rlimit type 6").
    '[containers]', 'default_ulimits = []', 'netns = "none"',
    '[engine]', 'runtime = "runc"', 'cgroup_manager = "cgroupfs"', 'events_logger = "file"', `events_logfile_path = "${dir}/events.log"`, '',
  ].join('\n'));
  writeFileSync(join(dir, 'storage.conf'), ['[storage]', 'driver = "vfs"', `runroot = "${dir}/run"`, `graphroot = "${dir}/root"`, ''].join('\n'));
  const env = { ...process.env, CONTAINERS_CONF: join(dir, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf') };
  const run = (...args: string[]) => {
    try {
      return execFileSync('podman', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    } catch (error) {
      throw new Error(`podman ${args.join(' ')}: ${(error as { stderr?: string }).stderr ?? String(error)}`);
    }
  };

  const root = join(dir, 'image');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(BUSYBOX, join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  for (const applet of ['sh', 'sleep', 'true', 'false', 'echo', 'cat']) symlinkSync('busybox', join(root, 'bin', applet));
  execFileSync('tar', ['-C', root, '-cf', join(dir, 'image.tar'), '.']);
  run('import', join(dir, 'image.tar'), TEST_IMAGE);

  const socket = join(dir, 'podman.sock');
  const service: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env, stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!existsSync(socket)) {
    service.kill('SIGKILL');
    throw new Error('podman system service did not open its socket within 10 s');
  }
  chmodSync(socket, 0o666);
  return {
    socket, run,
    async close() {
      try {
        run('rm', '--force', '--all', '--time', '0');
      } finally {
        const exited = new Promise((resolve) => service.once('exit', resolve));
        service.kill('SIGTERM');
        const timer = setTimeout(() => service.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    },
  };
}
