/**
 * Which authentication attempts a connection makes, in order, as ssh orders them: the agent, then the
 * identity file, then the default identities; or a password, or keyboard-interactive. Identity files are
 * read and decrypted before connecting, so a missing file or a wrong passphrase is a clear message
 * instead of a silent skip.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AnyAuthMethod as AuthAttempt, type AuthHandlerMiddleware as AuthHandler, type ParsedKey } from 'ssh2';
import type { AuthMethod } from '../../../shared/hosts.ts';

/** How to authenticate, with the secrets the user gave (never logged, never put in a message). */
export interface AuthOptions {
  readonly method: AuthMethod;
  /** A private key file; `~/` is the home folder. Required for `identity`, tried after the agent by `auto`. */
  readonly identityFile?: string;
  /** The identity file's passphrase, if it has one. */
  readonly passphrase?: string;
  /** For `password` and `keyboard-interactive` (every prompt is answered with it). */
  readonly password?: string;
  /** The agent's socket; default SSH_AUTH_SOCK. */
  readonly agent?: string;
}

/** One attempt, and how to name it in a message. */
export interface PlannedAttempt {
  /** The SSH method the server must allow (`publickey` for agent and identity files). */
  readonly method: 'publickey' | 'password' | 'keyboard-interactive';
  /** `agent`, `identity file ~/.ssh/id_ed25519`, `password`, `keyboard-interactive`. */
  readonly label: string;
  readonly attempt: (user: string) => AuthAttempt;
}

/** The attempts to make, and why some wanted ones cannot be made (shown if authentication fails). */
export interface AuthPlan {
  readonly attempts: readonly PlannedAttempt[];
  readonly problems: readonly string[];
}

/** Identity files ssh tries when none is given, in its order (ssh_config(5) IdentityFile). */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** A private key file larger than this is not one (an RSA 16384 key is about 12 KiB). */
const MAX_KEY_BYTES = 64 * 1024;

/** Builds the attempts for `auth`. Reads identity files; never throws (file problems go to `problems`). */
export async function planAuth(auth: AuthOptions): Promise<AuthPlan> {
  const attempts: PlannedAttempt[] = [];
  const problems: string[] = [];
  const agentSocket = auth.agent ?? process.env.SSH_AUTH_SOCK;
  const addAgent = () => {
    if (agentSocket) {
      attempts.push({ method: 'publickey', label: 'agent', attempt: (username) => ({ type: 'agent', username, agent: agentSocket }) });
    } else {
      problems.push('No ssh-agent is running (SSH_AUTH_SOCK is not set)');
    }
  };
  const addIdentity = async (file: string, required: boolean) => {
    const key = await loadIdentity(file, auth.passphrase, required);
    if (typeof key === 'string') problems.push(key);
    else if (key) attempts.push({ method: 'publickey', label: `identity file ${file}`, attempt: (username) => ({ type: 'publickey', username, key }) });
  };
  const needPassword = (what: string) => {
    if (auth.password === undefined || auth.password === '') problems.push(`Enter the password for ${what}`);
    return auth.password ?? '';
  };

  switch (auth.method) {
    case 'auto':
      if (agentSocket) addAgent();
      if (auth.identityFile) await addIdentity(auth.identityFile, true);
      for (const name of DEFAULT_IDENTITIES) await addIdentity(join('~', '.ssh', name), false);
      break;
    case 'agent':
      addAgent();
      break;
    case 'identity':
      if (auth.identityFile) await addIdentity(auth.identityFile, true);
      else problems.push('Choose the identity file (private key)');
      break;
    case 'password': {
      const password = needPassword('password authentication');
      if (password) attempts.push({ method: 'password', label: 'password', attempt: (username) => ({ type: 'password', username, password }) });
      break;
    }
    case 'keyboard-interactive': {
      const password = needPassword('keyboard-interactive authentication');
      if (password) {
        attempts.push({
          method: 'keyboard-interactive',
          label: 'keyboard-interactive',
          attempt: (username) => ({
            type: 'keyboard-interactive',
            username,
            prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
          }),
        });
      }
      break;
    }
  }
  return { attempts, problems };
}

/**
 * The private key in `file` (`~/` expanded), decrypted with `passphrase` if it is encrypted; a sentence
 * saying what is wrong otherwise; undefined for an absent optional file (a default identity).
 */
async function loadIdentity(file: string, passphrase: string | undefined, required: boolean): Promise<ParsedKey | string | undefined> {
  const path = file.startsWith('~/') ? join(homedir(), file.slice(2)) : file;
  let data: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_KEY_BYTES) return `The identity file ${file} is not a private key file`;
    data = await readFile(path);
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `Cannot read the identity file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const parsed = ssh2.utils.parseKey(data, passphrase || undefined);
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) return `The identity file ${file} is protected by a passphrase: enter it`;
    if (/passphrase|integrity check failed|decrypt/i.test(parsed.message)) return `The passphrase of the identity file ${file} is wrong`;
    return `The identity file ${file} is not a private key Hostwatch can read`;
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) return `The identity file ${file} holds no private key (is it the .pub file?)`;
  return key;
}

/** What an authentication did, for the message when it fails. */
export interface AuthRecord {
  /** Labels of the attempts made, in order. */
  readonly tried: string[];
  /** The methods the server said it accepts (null until it said). */
  offered: readonly string[] | null;
}

/**
 * An ssh2 authHandler making `plan`'s attempts as `user`, in order, skipping those whose method the server
 * does not accept; it notes what it did in `record`.
 */
export function authHandler(plan: AuthPlan, user: string, record: AuthRecord): AuthHandler {
  let next = 0;
  return (methodsLeft, _partialSuccess, done) => {
    if (methodsLeft !== null) record.offered = methodsLeft;
    while (next < plan.attempts.length) {
      const planned = plan.attempts[next++]!;
      if (methodsLeft !== null && !methodsLeft.includes(planned.method)) continue;
      record.tried.push(planned.label);
      done(planned.attempt(user));
      return;
    }
    // ssh2 reads `false` as "no more methods"; @types/ssh2 leaves it out.
    done(false as unknown as AuthAttempt);
  };
}
