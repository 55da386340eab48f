/** The host form's model: pasted addresses split into fields, the spec and secret it sends, and its messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HostSpec } from '../../../shared/hosts.ts';
import {
  emptyHostForm, formFromSpec, hasIssues, jumpText, sameConnection, secretKind, secretParam, splitAddress,
  validateHostForm, type HostForm,
} from '../../../renderer/src/views/hosts/hostForm.ts';

const form = (over: Partial<HostForm>): HostForm => ({ ...emptyHostForm(), address: 'web1.example.com', user: 'root', ...over });
const adding = { editing: false, hasSecret: false };

test('a filled-in new form is a host on port 22 polled every 5 s, named after its address', () => {
  const { spec, issues } = validateHostForm(form({}));
  assert.deepEqual(issues, {});
  assert.deepEqual(spec, {
    name: 'web1.example.com', address: 'web1.example.com', port: 22, user: 'root', auth: 'auto', jump: [],
    intervalSeconds: 5, enabled: true, commands: [],
  });
});

test('an empty form asks for the address and the user, not twice for the name', () => {
  const { spec, issues } = validateHostForm(emptyHostForm());
  assert.equal(spec, null);
  assert.equal(issues.address, 'Enter the host name or address');
  assert.equal(issues.user, 'Enter the user to log in as');
  assert.equal(issues.name, undefined);
});

test('a port that is not a number from 1 to 65535 is reported on the port field', () => {
  for (const port of ['0', '65536', 'ssh', '22a', '-1']) {
    assert.equal(validateHostForm(form({ port })).issues.port, 'Ports go from 1 to 65535', port);
  }
  assert.equal(validateHostForm(form({ port: '' })).spec?.port, 22);
  assert.equal(validateHostForm(form({ port: '2222' })).spec?.port, 2222);
});

test('the interval reads "10", "30s" and "1m", and is kept between a second and an hour', () => {
  assert.equal(validateHostForm(form({ interval: '10' })).spec?.intervalSeconds, 10);
  assert.equal(validateHostForm(form({ interval: '30s' })).spec?.intervalSeconds, 30);
  assert.equal(validateHostForm(form({ interval: '1m' })).spec?.intervalSeconds, 60);
  assert.equal(validateHostForm(form({ interval: 'often' })).issues.interval, 'Write it like 5, 30s or 1m');
  assert.equal(validateHostForm(form({ interval: '0' })).issues.interval, 'Poll at most once a second');
  assert.equal(validateHostForm(form({ interval: '2h' })).issues.interval, 'Poll at least once an hour');
});

test('an address or user with shell or URL syntax gets the schema\'s message in the user\'s words', () => {
  assert.equal(validateHostForm(form({ address: 'web1; rm -rf /' })).issues.address,
    'A host name has only letters, digits, dots, dashes and colons');
  assert.equal(validateHostForm(form({ user: '$(id)' })).issues.user,
    'A user name has only letters, digits, dots, dashes and underscores');
});

test('identity authentication needs the identity file', () => {
  assert.equal(validateHostForm(form({ auth: 'identity' })).issues.identityFile, 'Choose the identity file (private key)');
  const { spec } = validateHostForm(form({ auth: 'identity', identityFile: ' ~/.ssh/id_ed25519 ' }));
  assert.equal(spec?.identityFile, '~/.ssh/id_ed25519');
});

test('password authentication needs the password when adding, not when one is stored and kept', () => {
  assert.equal(validateHostForm(form({ auth: 'password' })).issues.secret, 'Enter the password');
  assert.equal(validateHostForm(form({ auth: 'password' }), { editing: true, hasSecret: true }).issues.secret, undefined);
  assert.equal(validateHostForm(form({ auth: 'password', forgetSecret: true }), { editing: true, hasSecret: true }).issues.secret,
    'Enter the password');
  assert.ok(validateHostForm(form({ auth: 'password', secret: 'hunter2' })).spec);
});

test('jump rows parse as user@host:port, empty rows are ignored and a bad row is flagged where it is', () => {
  const { spec } = validateHostForm(form({ jump: ['admin@bastion:2222', '', 'hop2.example.com'] }));
  assert.deepEqual(spec?.jump, [
    { address: 'bastion', port: 2222, user: 'admin' },
    { address: 'hop2.example.com', port: 22 },
  ]);
  const bad = validateHostForm(form({ jump: ['ok.example.com', 'not a host'] }));
  assert.equal(bad.spec, null);
  assert.deepEqual(Object.keys(bad.issues.jumpRows ?? {}), ['1']);
  assert.ok(hasIssues(bad.issues));
  assert.equal(validateHostForm(form({ jump: Array.from({ length: 9 }, (_, i) => `hop${i}`) })).issues.jump, 'At most 8 jump hosts');
});

test('pasting user@host:port, host:port, [v6]:port or ssh:// splits into fields; a plain name or bare IPv6 does not', () => {
  assert.deepEqual(splitAddress('root@web1:2222'), { address: 'web1', port: 2222, user: 'root' });
  assert.deepEqual(splitAddress('deploy@web1.example.com'), { address: 'web1.example.com', user: 'deploy' });
  assert.deepEqual(splitAddress('10.0.0.5:22'), { address: '10.0.0.5', port: 22 });
  assert.deepEqual(splitAddress('ssh://admin@[2001:db8::1]:2200'), { address: '2001:db8::1', port: 2200, user: 'admin' });
  assert.deepEqual(splitAddress(' [fe80::1] '), { address: 'fe80::1' });
  assert.equal(splitAddress('web1.example.com'), null);
  assert.equal(splitAddress('2001:db8::1'), null);
  assert.equal(splitAddress('root@'), null);
  assert.equal(splitAddress('web1:99999'), null);
});

test('the secret is sent only when typed for an authentication that takes one; forgetting sends null', () => {
  assert.equal(secretParam(form({ auth: 'password', secret: 'pw' }), adding), 'pw');
  assert.equal(secretParam(form({ auth: 'agent', secret: 'pw' }), adding), undefined);
  assert.equal(secretParam(form({ auth: 'auto', secret: 'pp' }), adding), undefined);
  assert.equal(secretParam(form({ auth: 'auto', identityFile: '~/.ssh/k', secret: 'pp' }), adding), 'pp');
  const editing = { editing: true, hasSecret: true };
  assert.equal(secretParam(form({ auth: 'password' }), editing), undefined);
  assert.equal(secretParam(form({ auth: 'password', forgetSecret: true }), editing), null);
  assert.equal(secretKind({ auth: 'keyboard-interactive', identityFile: '' }), 'password');
  assert.equal(secretKind({ auth: 'identity', identityFile: '' }), 'passphrase');
});

test('a stored spec becomes a form that validates back to the same spec', () => {
  const specs = fc.record({
    name: fc.constantFrom('web1', 'db primary', 'Ünïcode'),
    address: fc.constantFrom('web1.example.com', '10.1.2.3', '2001:db8::7'),
    port: fc.integer({ min: 1, max: 65535 }),
    user: fc.constantFrom('root', 'deploy', 'svc.mon'),
    auth: fc.constantFrom('auto', 'agent', 'identity', 'keyboard-interactive', 'password'),
    identityFile: fc.constantFrom('~/.ssh/id_ed25519', '/keys/a key'),
    jump: fc.array(fc.record({
      address: fc.constantFrom('bastion', '192.0.2.1', '2001:db8::2'),
      port: fc.integer({ min: 1, max: 65535 }),
      user: fc.option(fc.constantFrom('admin', 'jump'), { nil: undefined }),
    }), { maxLength: 3 }),
    intervalSeconds: fc.integer({ min: 1, max: 3600 }),
    enabled: fc.boolean(),
    commands: fc.uniqueArray(fc.record({
      name: fc.constantFrom('check_disk', 'check-load', 'q.depth'),
      command: fc.constantFrom('/usr/lib/nagios/plugins/check_disk -w 20%', "echo 'OK | x=1'; exit 0"),
    }), { selector: (c) => c.name, maxLength: 3 }),
  });
  fc.assert(fc.property(specs, (raw) => {
    const jump = raw.jump.map(({ user, ...hop }) => (user ? { ...hop, user } : hop));
    const spec = HostSpec.parse({ ...raw, jump });
    const { spec: back, issues } = validateHostForm(formFromSpec(spec), { editing: true, hasSecret: true });
    assert.deepEqual(issues, {});
    assert.deepEqual(back, spec);
  }));
});

test('a hop is written back the way it is typed: port left out when 22, IPv6 in brackets', () => {
  assert.equal(jumpText({ address: 'bastion', port: 22, user: 'admin' }), 'admin@bastion');
  assert.equal(jumpText({ address: '2001:db8::2', port: 2222 }), '[2001:db8::2]:2222');
});

test('a test result stays valid while the connection is the same, not when the address or auth changes', () => {
  const a = validateHostForm(form({})).spec;
  assert.ok(sameConnection(a, validateHostForm(form({ name: 'other', interval: '30' })).spec));
  assert.ok(!sameConnection(a, validateHostForm(form({ port: '2222' })).spec));
  assert.ok(!sameConnection(a, validateHostForm(form({ auth: 'agent' })).spec));
  assert.ok(!sameConnection(a, null));
});

test('commands: empty rows ignored, names checked on their row, the same name twice refused', () => {
  const rows = [{ name: 'check_disk', command: '/usr/lib/nagios/plugins/check_disk -w 20%' }, { name: '', command: '' },
    { name: 'bad name', command: 'true' }, { name: 'check_disk', command: 'false' }, { name: 'empty', command: '  ' }];
  const { spec, issues } = validateHostForm(form({ commands: rows }));
  assert.equal(spec, null);
  assert.deepEqual(Object.keys(issues.commandRows ?? {}).map(Number), [2, 3, 4]);
  assert.match(issues.commandRows![2]!.name!, /only letters, digits/);
  assert.equal(issues.commandRows![3]!.name, 'Another command has this name');
  assert.equal(issues.commandRows![4]!.command, 'Enter the command to run');
  assert.ok(hasIssues(issues));

  const ok = validateHostForm(form({ commands: [rows[0]!, rows[1]!] }));
  assert.deepEqual(ok.issues, {});
  assert.deepEqual(ok.spec!.commands, [rows[0]]);
});
