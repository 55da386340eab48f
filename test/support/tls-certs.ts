/**
 * Throwaway TLS certificates for tests, made with the real `openssl` CLI in a temp dir at test time: a
 * test CA, and server certificates (one EC P-256 key for all) valid a year, expiring in 2 days,
 * expired, self-signed, and issued for another host name. Exact validity dates come from `openssl ca
 * -startdate/-enddate` (OpenSSL 3.0 has no `x509 -not_after`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OPENSSL = 'openssl';
const DAY_MS = 86_400_000;

/** Why the certificates cannot be made here (no openssl, or one that fails), or null. */
export function opensslSkipReason(): string | null {
  try {
    const version = execFileSync(OPENSSL, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /^OpenSSL [3-9]\./.test(version) ? null : `needs OpenSSL 3 or later, found ${version.trim()}`;
  } catch (error) {
    return `openssl is not available (${error instanceof Error ? error.message : String(error)})`;
  }
}

export interface TestCerts {
  /** The temp dir the files live in. */
  readonly dir: string;
  /** The CA certificate (PEM): trust it to make the `valid`, `expiringSoon`, `expired` and `wrongName` ones trusted. */
  readonly ca: string;
  /** The private key (PEM) of every server certificate below. */
  readonly key: string;
  /** Signed by the CA for DNS:localhost and IP:127.0.0.1, valid from a day ago for a year. */
  readonly valid: string;
  /** Like `valid`, but its validity ends exactly 2 days after it was made. */
  readonly expiringSoon: string;
  /** Like `valid`, but valid from 30 days ago to 3 days ago (exactly). */
  readonly expired: string;
  /** Self-signed (no CA) for localhost and 127.0.0.1, valid a year. */
  readonly selfSigned: string;
  /** Signed by the CA, valid a year, but for DNS:wrong.example only. */
  readonly wrongName: string;
  /** When they were made (ms): `expiringSoon` ends at madeAt + 2 days, `expired` at madeAt − 3 days (to the second). */
  readonly madeAt: number;
  /** Removes the temp dir. */
  cleanup(): void;
}

/** `at` as OpenSSL's GeneralizedTime for -startdate/-enddate: YYYYMMDDHHMMSSZ. */
function asn1Time(at: number): string {
  return new Date(at).toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** Makes the certificates (about 0.2 s); throws when openssl fails. */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'hostwatch-tls-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    mkdirSync(path('newcerts'));
    writeFileSync(path('index.txt'), '');
    writeFileSync(path('serial'), '1000\n');
    writeFileSync(path('openssl.cnf'), `
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ self_signed ]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:localhost, IP:127.0.0.1
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ leaf_localhost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
authorityKeyIdentifier = keyid
[ leaf_wrong ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
authorityKeyIdentifier = keyid
`);
    const config = path('openssl.cnf');
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key');
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'server.key');
    openssl('req', '-x509', '-config', config, '-extensions', 'v3_ca', '-key', 'ca.key',
      '-subj', '/CN=Hostwatch Test CA', '-days', '3650', '-out', 'ca.pem');
    openssl('req', '-x509', '-config', config, '-extensions', 'self_signed', '-key', 'server.key',
      '-subj', '/CN=localhost', '-days', '365', '-out', 'self-signed.pem');

    const madeAt = Math.floor(Date.now() / 1000) * 1000;
    const sign = (name: string, cn: string, extensions: string, from: number, to: number) => {
      openssl('req', '-new', '-config', config, '-key', 'server.key', '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
      openssl('ca', '-batch', '-config', config, '-extensions', extensions, '-notext',
        '-startdate', asn1Time(from), '-enddate', asn1Time(to), '-in', `${name}.csr`, '-out', `${name}.pem`);
      return readFileSync(path(`${name}.pem`), 'utf8');
    };
    const valid = sign('valid', 'localhost', 'leaf_localhost', madeAt - DAY_MS, madeAt + 365 * DAY_MS);
    const expiringSoon = sign('expiring', 'localhost', 'leaf_localhost', madeAt - DAY_MS, madeAt + 2 * DAY_MS);
    const expired = sign('expired', 'localhost', 'leaf_localhost', madeAt - 30 * DAY_MS, madeAt - 3 * DAY_MS);
    const wrongName = sign('wrong-name', 'wrong.example', 'leaf_wrong', madeAt - DAY_MS, madeAt + 365 * DAY_MS);
    return {
      dir, madeAt, valid, expiringSoon, expired, wrongName,
      ca: readFileSync(path('ca.pem'), 'utf8'),
      key: readFileSync(path('server.key'), 'utf8'),
      selfSigned: readFileSync(path('self-signed.pem'), 'utf8'),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl failed making test certificates${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}
