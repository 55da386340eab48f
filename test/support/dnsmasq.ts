/**
 * A real dnsmasq for tests: a DNS server on 127.0.0.1 and a free port, in the foreground, with no
 * upstream servers, no /etc/hosts and no config file, answering only the records the test gives.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { promises as dns } from 'node:dns';
import { existsSync } from 'node:fs';
import net from 'node:net';

const DNSMASQ = '/usr/sbin/dnsmasq';

/** Why dnsmasq cannot run here (not installed or not runnable), or null. */
export function dnsmasqSkipReason(): string | null {
  if (!existsSync(DNSMASQ)) return `${DNSMASQ} is not installed`;
  try {
    execFileSync(DNSMASQ, ['--version'], { stdio: 'ignore' });
    return null;
  } catch (error) {
    return `${DNSMASQ} does not run: ${(error as Error).message.split('\n')[0]}`;
  }
}

export interface Dnsmasq {
  /** 127.0.0.1 */
  readonly address: string;
  readonly port: number;
  /** `127.0.0.1:PORT`, as a DNS check's `server`. */
  readonly server: string;
  /** What dnsmasq logged (stderr) so far. */
  log(): string;
  /** Stops it (SIGTERM) and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Starts dnsmasq with `records`: its own options (`--address=/web.test/192.0.2.10`,
 * `--host-record=…`, `--mx-host=…`, `--txt-record=…`, `--cname=…`, `--local=/test/` so that other names
 * of a domain are NXDOMAIN), and resolves once it answers `ready` (a name it has an A record for).
 */
export async function startDnsmasq(records: readonly string[], ready: string): Promise<Dnsmasq> {
  let lastError: Error | undefined;
  // A free port may be taken between the probe and dnsmasq's bind: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeDnsPort();
    try {
      return await launch(port, records, ready);
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw lastError;
}

async function launch(port: number, records: readonly string[], ready: string): Promise<Dnsmasq> {
  const args = [
    '--keep-in-foreground', '--no-resolv', '--no-hosts', '--conf-file=/dev/null', '--pid-file=',
    `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--log-facility=-', ...records,
  ];
  const proc: ChildProcess = spawn(DNSMASQ, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => { log += chunk; });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => { gone = true; });
  const close = async () => {
    if (!gone) proc.kill('SIGTERM');
    await exited;
  };

  const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const deadline = Date.now() + 5000;
  for (;;) {
    if (gone) throw new Error(`dnsmasq exited: ${log.trim()}`);
    try {
      await resolver.resolve4(ready);
      break;
    } catch {
      if (Date.now() > deadline) {
        await close();
        throw new Error(`dnsmasq did not answer ${ready} within 5 s: ${log.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { address: '127.0.0.1', port, server: `127.0.0.1:${port}`, log: () => log, close };
}

/** A port free for both UDP and TCP on 127.0.0.1 (dnsmasq binds both). */
async function freeDnsPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      }).once('error', reject);
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/**
 * A UDP socket on 127.0.0.1 that reads DNS queries and never answers: a server that does not respond
 * (a port nobody listens on would answer with ICMP port unreachable: connection refused instead).
 */
export async function silentDnsServer(): Promise<{ server: string; queries(): number; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  let queries = 0;
  socket.on('message', () => { queries++; });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  return {
    server: `127.0.0.1:${port}`,
    queries: () => queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
