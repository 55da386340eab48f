/**
 * The fixed, read-only POSIX `sh` loop that runs on a remote host for the whole life of its session, and
 * the `authorized_keys` line that pins a key to it. Hostwatch sends the loop on the stdin of a session
 * whose command is `sh`, or sshd runs it as a key's forced command; either way nothing from a user or a
 * host is ever part of it: it is one constant string.
 *
 * Protocol (all lines end in `\n`):
 * - the loop prints `@@hostwatch ready` once it runs;
 * - each request is one line `<verb> <nonce>`: a verb of LOOP_VERBS and a nonce of 16–64 ASCII letters
 *   and digits. The first request that passes the loop's check fixes the session's nonce; lines with
 *   another verb (the script text itself, when the loop is a forced command), another nonce or more
 *   words are ignored;
 * - each answer is `@@hostwatch <nonce> begin`, then parts, each a line `@@hostwatch <nonce> <part>`
 *   followed by its text, then `@@hostwatch <nonce> end`. A part's text never holds such a line: a host
 *   cannot know the nonce.
 *
 * Answers, by verb (parts in order):
 * - snapshot: `files` (`head -n 100000` of /proc/{stat,meminfo,loadavg,uptime,net/dev,diskstats,
 *   self/mountinfo} and the sensor files, with head's `==> path <==` headers), `proc` (the pid names of
 *   /proc, space-separated, from a glob: no fork), `df` (`df -kP`);
 * - processes: `stat` (`grep -H ''` of every /proc/PID/stat: each line carries its file's name, so a
 *   process name holding a newline cannot pass for another process), `status` (their Uid and VmRSS lines);
 * - inventory: `arch` (`uname -m`), `files` (hostname, kernel release, /etc/os-release, /proc/meminfo),
 *   `cpuinfo` (its processor and model lines), `sys` (`grep -H .` of disk sizes and models, interface
 *   MAC addresses);
 * - passwd: `passwd` (/etc/passwd, for user names of processes).
 *
 * Cost on the host: a snapshot is one subshell, one `head` and one `df` (three forks), and the answer is
 * written in one write so that sshd sends it in as few packets as it can (many small writes meet Nagle's
 * algorithm on sshd's socket and the client's delayed ACK: tens of ms each).
 *
 * Why it is written the way it is:
 * - one line, without `'`, `\` or `!`: it must survive `exec sh -c '…'` under any login shell sshd may
 *   run a forced command with (in fish only `\` and `'` are special between single quotes; tcsh expands
 *   `!`), and authorized_keys options are one line; `"` is escaped by restrictedKeyLine;
 * - the nonce is checked character by character with `case` (`[!…]` would need a `!`); the pattern
 *   lists the ranges under LC_ALL=C, where they are ASCII;
 * - `printf %s` prints the answer, never `echo`: dash's echo would turn mountinfo's `\040` into a space;
 *   the `.` the subshell prints last keeps the answer's final newline from command substitution;
 * - LC_ALL=C makes df print its header in English, which its parser needs;
 * - stderr goes to /dev/null: a file a host lacks (a sensor, diskstats in a container) is simply absent
 *   from the answer, and the client never has to drain a second stream.
 */

/** The requests the loop answers. */
export const LOOP_VERBS = ['snapshot', 'processes', 'inventory', 'passwd'] as const;
export type LoopVerb = (typeof LOOP_VERBS)[number];

/** The line the loop prints when it is ready for requests. */
export const READY_LINE = '@@hostwatch ready';

/** What starts every delimiter line; the nonce follows. */
export const DELIMITER_PREFIX = '@@hostwatch ';

/** The files of a snapshot's `files` part that are not sensors, as head names them in its headers. */
export const SNAPSHOT_FILES = [
  '/proc/stat', '/proc/meminfo', '/proc/loadavg', '/proc/uptime', '/proc/net/dev', '/proc/diskstats',
  '/proc/self/mountinfo',
] as const;

/** The sensor files of a snapshot (globs the remote sh expands; one that matches nothing is skipped). */
const SENSOR_GLOBS = [
  '/sys/class/thermal/thermal_zone*/type', '/sys/class/thermal/thermal_zone*/temp',
  '/sys/class/hwmon/hwmon*/name', '/sys/class/hwmon/hwmon*/temp*_input', '/sys/class/hwmon/hwmon*/temp*_label',
];

/** The files of an inventory's `files` part. */
export const INVENTORY_FILES = [
  '/proc/sys/kernel/hostname', '/proc/sys/kernel/osrelease', '/etc/os-release', '/proc/meminfo',
] as const;

/** Nonce lengths the loop accepts. */
export const NONCE_MIN = 16;
export const NONCE_MAX = 64;

const part = (name: string): string => `echo @@hostwatch $k ${name}`;

/** The loop's check of a nonce: 16–64 characters, each an ASCII letter or digit. */
const NONCE_CHECK = `ok() { case $1 in ${'?'.repeat(NONCE_MAX + 1)}*) return 1;; ${'?'.repeat(NONCE_MIN)}*) ;; `
  + '*) return 1;; esac; t=$1; while :; do case $t in "") return 0;; [0-9A-Za-z]*) t=${t#?};; '
  + '*) return 1;; esac; done; }';

const ANSWERS: Record<LoopVerb, string> = {
  snapshot: [part('files'), `head -n 100000 ${SNAPSHOT_FILES.join(' ')} ${SENSOR_GLOBS.join(' ')}`,
    part('proc'), 'echo [0-9]*', part('df'), 'df -kP'].join('; '),
  processes: [part('stat'), 'grep -H "" /proc/[0-9]*/stat',
    part('status'), 'grep -H -e ^Uid: -e ^VmRSS: /proc/[0-9]*/status'].join('; '),
  inventory: [part('arch'), 'uname -m', part('files'), `head -n 100000 ${INVENTORY_FILES.join(' ')}`,
    part('cpuinfo'), 'grep -e ^processor -e "^model name" -e ^Hardware -e "^cpu model" /proc/cpuinfo',
    part('sys'), 'grep -H . /sys/block/*/size /sys/block/*/device/model /sys/class/net/*/address'].join('; '),
  passwd: [part('passwd'), 'cat /etc/passwd'].join('; '),
};

const CASES = LOOP_VERBS.map((verb) =>
  `${verb}) a=$(echo @@hostwatch $k begin; ${ANSWERS[verb]}; echo @@hostwatch $k end; echo .);;`).join(' ');

/**
 * The loop, one line without a trailing newline. Send it followed by `\n` on the stdin of `sh`, then
 * wait for READY_LINE before the first request (dash reads its script in blocks, so a request written
 * earlier could be taken for script).
 */
export const LOOP = [
  'exec 2>/dev/null',
  'export LC_ALL=C',
  'cd /proc || exit 1',
  'k=',
  NONCE_CHECK,
  `echo ${READY_LINE}`,
  'while read -r v n x; do '
    + `case $v in ${LOOP_VERBS.join('|')}) ;; *) continue;; esac; `
    + 'case $x in "") ;; *) continue;; esac; '
    + 'case $k in "") ok "$n" || continue; k=$n;; esac; '
    + 'case $n in "$k") ;; *) continue;; esac; '
    + `case $v in ${CASES} esac; `
    + 'printf %s "${a%.}"; done',
].join('; ');

/** Whether `nonce` is one the loop accepts. */
export function isValidNonce(nonce: string): boolean {
  return new RegExp(`^[A-Za-z0-9]{${NONCE_MIN},${NONCE_MAX}}$`).test(nonce);
}

/** The request line for `verb`, newline included: written in one write. */
export function requestLine(verb: LoopVerb, nonce: string): string {
  if (!isValidNonce(nonce)) throw new Error('invalid nonce');
  return `${verb} ${nonce}\n`;
}

/** The forced command that runs the loop under whatever login shell sshd starts it with. */
export const FORCED_COMMAND = `exec sh -c '${LOOP}'`;

/**
 * The authorized_keys line (sshd(8), "AUTHORIZED_KEYS FILE FORMAT") that lets `publicKey` do nothing but
 * run the loop: `restrict` (no pty, no forwarding, no agent, no X11, no user rc) and the loop as its
 * forced command, whatever command the client asks for. `publicKey` is an OpenSSH public key line
 * (`ssh-ed25519 AAAA… comment`); throws when it is not one (it must be one line, and its options are
 * ours to set).
 */
export function restrictedKeyLine(publicKey: string): string {
  const key = publicKey.trim();
  if (!/^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/.test(key)) {
    throw new Error('not an OpenSSH public key line');
  }
  // Within an option's double quotes sshd reads \" as ", and nothing else is special.
  return `restrict,command="${FORCED_COMMAND.replaceAll('"', '\\"')}" ${key}`;
}
