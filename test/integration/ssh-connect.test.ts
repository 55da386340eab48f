/**
 * connect() against a real OpenSSH sshd started by the test (test/support/sshd.ts): every way to
 * authenticate, host keys unknown, trusted, changed and from a hashed known_hosts file, failures in the
 * user's words, and a target reachable only through a jump host in network namespaces of the test's own.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../electron/core/store/database.ts';
import { connect, type ConnectOptions, type Stage } from '../../electron/core/ssh/connect.ts';
import { SshError } from '../../electron/core/ssh/errors.ts';
import { HostKeyStore } from '../../electron/core/ssh/host-keys.ts';
import { makeJumpNetwork, netnsSkipReason, sshdSkipReason, startSshd, type JumpNetwork, type Sshd } from '../support/sshd.ts';

const USER = 'hwtest-sh';

/** Runs `command` on the connection and returns its stdout. */
function run(connection: { client: import('ssh2').Client }, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    connection.client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let out = '';
      channel.on('data', (data: Buffer) => { out += data.toString(); });
      channel.on('close', () => resolve(out));
    });
  });
}

/** The SshError connect() rejects with (fails the test if it connects). */
async function failure(options: ConnectOptions): Promise<SshError> {
  try {
    const connection = await connect(options);
    connection.close();
  } catch (error) {
    assert.ok(error instanceof SshError, `an SshError, not ${String(error)}`);
    return error;
  }
  assert.fail('connect() should have failed');
}

/** A fresh sshd for the test user, its keys trusted in a fresh store, and connect options that use them. */
async function trustedServer(prefix: string) {
  const sshd = await startSshd({ users: [{ name: USER }] });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = openDatabase(join(dir, 'hostwatch.db'));
  const store = new HostKeyStore(db, { knownHostsFile: null });
  for (const key of sshd.hostKeys) store.trust(sshd.address, sshd.port, key);
  const base: ConnectOptions = {
    address: sshd.address,
    port: sshd.port,
    user: USER,
    auth: { method: 'identity', identityFile: sshd.users[USER]!.privateKeyPath },
    jump: [],
    verify: (address, port, key) => store.check(address, port, key),
    timeoutMs: 5000,
  };
  return { sshd, dir, db, base };
}

describe('connect() to a real sshd', { skip: sshdSkipReason() ?? false }, () => {
  let sshd: Sshd;
  let dir: string;
  let db: Database;
  let base: ConnectOptions;

  before(async () => {
    ({ sshd, dir, db, base } = await trustedServer('hostwatch-ssh-connect-'));
  });
  after(async () => {
    await sshd?.close();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an identity file authenticates, every stage is reported in order, and close() settles closed with null', async () => {
    const stages: [Stage, boolean][] = [];
    const connection = await connect({ ...base, onStage: (stage, ok, ms) => { stages.push([stage, ok]); assert.ok(ms >= 0); } });
    assert.deepEqual(stages, [['resolve', true], ['connect', true], ['host_key', true], ['auth', true]]);
    assert.equal((await run(connection, 'id -un')).trim(), USER);
    connection.close();
    assert.equal(await connection.closed, null);
  });

  test('an identity file with a passphrase authenticates with the right one, and fails clearly with a wrong or missing one', async () => {
    const keyFile = join(dir, 'id_passphrase');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-C', 'passphrase key', '-f', keyFile]);
    appendFileSync(sshd.users[USER]!.authorizedKeysFile, execFileSync('cat', [`${keyFile}.pub`]));
    const withKey = (passphrase?: string): ConnectOptions => ({ ...base, auth: { method: 'identity', identityFile: keyFile, ...(passphrase ? { passphrase } : {}) } });

    const connection = await connect(withKey('correct horse'));
    assert.equal((await run(connection, 'id -un')).trim(), USER);
    connection.close();

    const wrong = await failure(withKey('battery staple'));
    assert.equal(wrong.code, 'auth_failed');
    assert.match(wrong.message, /passphrase of the identity file .* is wrong/);
    assert.doesNotMatch(wrong.message, /battery staple/, 'the passphrase never appears in a message');

    const missing = await failure(withKey());
    assert.equal(missing.code, 'auth_failed');
    assert.match(missing.message, /protected by a passphrase/);
  });

  test('a password authenticates', async () => {
    const connection = await connect({ ...base, auth: { method: 'password', password: sshd.users[USER]!.password } });
    assert.equal((await run(connection, 'id -un')).trim(), USER);
    connection.close();
  });

  test('keyboard-interactive authenticates by answering the prompts with the password', async () => {
    const mark = sshd.log().length;
    const connection = await connect({ ...base, auth: { method: 'keyboard-interactive', password: sshd.users[USER]!.password } });
    assert.equal((await run(connection, 'id -un')).trim(), USER);
    connection.close();
    assert.match(sshd.log().slice(mark), /Accepted keyboard-interactive\/pam for hwtest-sh/);
  });

  test('a wrong password is "authentication failed"', async () => {
    const error = await failure({ ...base, auth: { method: 'password', password: 'not the password' } });
    assert.equal(error.code, 'auth_failed');
    assert.match(error.message, /refused hwtest-sh's credentials \(tried password\)/);
  });

  test('the agent authenticates with a key it holds (a real ssh-agent)', async (t) => {
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    t.after(() => { agent.kill('SIGTERM'); });
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', ['-q', sshd.users[USER]!.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });

    const mark = sshd.log().length;
    const viaAgent = await connect({ ...base, auth: { method: 'agent', agent: socket } });
    assert.equal((await run(viaAgent, 'id -un')).trim(), USER);
    viaAgent.close();
    const viaAuto = await connect({ ...base, auth: { method: 'auto', agent: socket } });
    viaAuto.close();
    // sshd writes its log line a moment after the session starts: wait for it.
    const accepted = () => sshd.log().slice(mark).match(/Accepted publickey for hwtest-sh/g)?.length ?? 0;
    for (let i = 0; i < 100 && accepted() < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(accepted(), 2);
  });

  test('a key the server does not know is "authentication failed"', async () => {
    const keyFile = join(dir, 'id_stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const error = await failure({ ...base, auth: { method: 'identity', identityFile: keyFile } });
    assert.equal(error.code, 'auth_failed');
    assert.match(error.message, /tried identity file/);
  });

  test('an unknown host key is refused with its fingerprint as ssh-keygen -lf prints it, and accepted once trusted', async (t) => {
    const freshDb = openDatabase(join(dir, 'fresh.db'));
    t.after(() => freshDb.close());
    const fresh = new HostKeyStore(freshDb, { knownHostsFile: null });
    const options: ConnectOptions = { ...base, verify: (address, port, key) => fresh.check(address, port, key) };
    const stages: Stage[] = [];
    const error = await failure({ ...options, onStage: (stage) => stages.push(stage) });
    assert.equal(error.code, 'host_key_unknown');
    const served = sshd.hostKeys.find((k) => k.type === error.offeredKey!.type)!;
    assert.equal(error.offeredKey!.fingerprint, served.fingerprint);
    assert.match(error.message, new RegExp(served.fingerprint.replace(/[+/]/g, '\\$&')));
    assert.ok(!stages.includes('auth'), 'nothing was authenticated');

    fresh.trust(sshd.address, sshd.port, error.offeredKey!);
    const connection = await connect(options);
    connection.close();
  });

  test('a known_hosts file hashed by ssh-keygen -H is recognised', async (t) => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `${sshd.knownHostsLine()}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    assert.match(readFileSync(file, 'utf8'), /^\|1\|/);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /127\.0\.0\.1/);
    const emptyDb = openDatabase(join(dir, 'other.db'));
    t.after(() => emptyDb.close());
    const userFile = new HostKeyStore(emptyDb, { knownHostsFile: file });
    const connection = await connect({ ...base, verify: (address, port, key) => userFile.check(address, port, key) });
    connection.close();
  });

  test('a listener that never speaks SSH times out during the handshake', async (t) => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    const started = Date.now();
    const error = await failure({ ...base, port: (silent.address() as net.AddressInfo).port, timeoutMs: 500 });
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /did not answer within 0.5 s during the SSH handshake/);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('connect() when the server changes or goes away', { skip: sshdSkipReason() ?? false }, () => {
  let sshd: Sshd;
  let dir: string;
  let db: Database;
  let base: ConnectOptions;

  before(async () => {
    ({ sshd, dir, db, base } = await trustedServer('hostwatch-ssh-restart-'));
  });
  after(async () => {
    await sshd?.close();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an open connection settles closed with an SshError when sshd stops, and connecting then fails', async () => {
    const connection = await connect(base);
    await sshd.stop();
    const ended = await connection.closed;
    assert.ok(ended instanceof SshError);
    assert.equal(ended.code, 'closed');
    const error = await failure(base);
    assert.equal(error.code, 'connect');
    assert.match(error.message, /refused/);
    await sshd.start();
  });

  test('a server that stops answering is cut off by keepalives: closed settles with a timeout', async (t) => {
    const connection = await connect({ ...base, keepaliveIntervalMs: 200 });
    const frozen = sshd.sessionPids();
    assert.ok(frozen.length > 0);
    // A process of an earlier session may exit meanwhile: that one needs no signal.
    const signal = (pid: number, name: NodeJS.Signals) => {
      try { process.kill(pid, name); } catch (error) { if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; }
    };
    t.after(() => { for (const pid of frozen) signal(pid, 'SIGCONT'); });
    for (const pid of frozen) signal(pid, 'SIGSTOP');
    const started = Date.now();
    const ended = await connection.closed;
    assert.ok(ended instanceof SshError);
    assert.equal(ended.code, 'timeout');
    assert.match(ended.message, /stopped answering keepalives/);
    assert.ok(Date.now() - started < 3000, 'cut off within about 3 keepalive intervals');
    for (const pid of frozen) signal(pid, 'SIGCONT');
  });

  test('a changed host key is refused before anything is authenticated', async () => {
    const old = sshd.hostKeys;
    await sshd.stop();
    await sshd.start({ newHostKeys: true });
    const mark = sshd.log().length;
    const stages: Stage[] = [];
    const error = await failure({ ...base, onStage: (stage) => stages.push(stage) });
    assert.equal(error.code, 'host_key_changed');
    const offered = sshd.hostKeys.find((k) => k.type === error.offeredKey!.type)!;
    assert.equal(error.offeredKey!.fingerprint, offered.fingerprint);
    assert.notEqual(offered.fingerprint, old.find((k) => k.type === offered.type)!.fingerprint);
    assert.match(error.message, /changed since it was trusted/);
    assert.ok(!stages.includes('auth'));
    await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(sshd.log().slice(mark), /Accepted|Failed|Postponed|userauth/i, 'sshd saw no authentication');
  });
});

describe('connect() through a jump host', { skip: netnsSkipReason() ?? false }, () => {
  let network: JumpNetwork;
  let jump: Sshd;
  let target: Sshd;
  let dir: string;
  let db: Database;
  let base: ConnectOptions;
  const JUMP_USER = 'hwtest-jump';

  before(async () => {
    network = makeJumpNetwork();
    jump = await startSshd({ users: [{ name: JUMP_USER }], netns: network.jump.netns, listen: network.jump.address });
    target = await startSshd({ users: [{ name: JUMP_USER }], netns: network.target.netns, listen: network.target.address });
    // The same key authenticates both hops, as ssh -J with one identity file does.
    appendFileSync(jump.users[JUMP_USER]!.authorizedKeysFile, `${target.users[JUMP_USER]!.publicKey}\n`);
    dir = mkdtempSync(join(tmpdir(), 'hostwatch-ssh-jump-'));
    db = openDatabase(join(dir, 'hostwatch.db'));
    const store = new HostKeyStore(db, { knownHostsFile: null });
    for (const key of jump.hostKeys) store.trust(jump.address, jump.port, key);
    for (const key of target.hostKeys) store.trust(target.address, target.port, key);
    base = {
      address: target.address,
      port: target.port,
      user: JUMP_USER,
      auth: { method: 'identity', identityFile: target.users[JUMP_USER]!.privateKeyPath },
      jump: [{ address: jump.address, port: jump.port }],
      verify: (address, port, key) => store.check(address, port, key),
      timeoutMs: 5000,
    };
  });
  after(async () => {
    await target?.close();
    await jump?.close();
    network?.remove();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the target cannot be reached directly', async () => {
    const error = await failure({ ...base, jump: [], timeoutMs: 1500 });
    assert.ok(['timeout', 'connect'].includes(error.code), error.message);
  });

  test('the target is reached through the jump host, both host keys verified, and close() closes both', async () => {
    const verified: string[] = [];
    const stages: string[] = [];
    const connection = await connect({
      ...base,
      verify: (address, port, key) => { verified.push(`${address}:${port}`); return base.verify(address, port, key); },
      onStage: (stage, ok, _ms, message) => stages.push(`${stage} ${ok} ${message}`),
    });
    assert.deepEqual(verified, [`${jump.address}:22`, `${target.address}:22`]);
    // sshd on the target sees the connection come from the jump host's inner address.
    const [from, , to] = (await run(connection, 'echo $SSH_CONNECTION')).trim().split(' ');
    assert.equal(from, network.jump.address.replace(/\.2$/, '.5'));
    assert.equal(to, target.address);
    assert.equal(stages.filter((s) => s.startsWith('auth true')).length, 2);
    connection.close();
    assert.equal(await connection.closed, null);
  });

  test('a jump host with an unknown key is refused, naming the jump host', async (t) => {
    const emptyDb = openDatabase(join(dir, 'empty.db'));
    t.after(() => emptyDb.close());
    const empty = new HostKeyStore(emptyDb, { knownHostsFile: null });
    const error = await failure({ ...base, verify: (address, port, key) => empty.check(address, port, key) });
    assert.equal(error.code, 'host_key_unknown');
    assert.deepEqual(error.host, { address: jump.address, port: 22 });
    assert.match(error.message, /jump host/);
  });

  test('a jump host that cannot reach the target says so', async () => {
    const error = await failure({ ...base, port: 2999 });
    assert.equal(error.code, 'connect');
    assert.match(error.message, /jump host cannot reach/);
  });
});
