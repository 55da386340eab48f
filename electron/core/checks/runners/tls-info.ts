/**
 * What an HTTPS check shows of the certificate it was given, and why an untrusted one is not trusted,
 * in words. Reads a TLS socket connected with `rejectUnauthorized: false`, so `authorized` and
 * `authorizationError` say what verification found (chain against the trusted CAs, then the host name).
 */
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { CheckCertificate } from '../../../../shared/checks/index.ts';

/** `subjectAltName` as Node prints it (`DNS:a, IP Address:1.2.3.4`) → the DNS names and addresses. */
export function altNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  const names: string[] = [];
  // Values with a comma or quote are JSON-quoted by Node.
  const entry = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/gy;
  for (let m = entry.exec(subjectAltName); m !== null && m[0] !== ''; m = entry.exec(subjectAltName)) {
    const kind = (m[1] ?? '').trim();
    let value = m[2] ?? '';
    if (value.startsWith('"')) {
      try { value = JSON.parse(value) as string; } catch { /* keep it as printed */ }
    }
    if (kind === 'DNS' || kind === 'IP Address') names.push(value.trim());
  }
  return names;
}

/** A distinguished name as Node's X509Certificate prints it (one `K=V` a line) on one line. */
function oneLine(name: string): string {
  return name.split('\n').filter((part) => part !== '').join(', ');
}

/** The code verification failed with (`CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`…), or null. */
export function authorizationCode(socket: TLSSocket): string | null {
  if (socket.authorized) return null;
  // Node sets it to the error's code (a string) despite its declared type.
  const error: unknown = socket.authorizationError;
  if (typeof error === 'string') return error;
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return 'UNKNOWN';
}

/**
 * The certificate `socket` was shown: the leaf's subject, issuer, names and validity (ms since epoch),
 * and `earliestExpiry`, the earliest end of validity over the chain (the peer's chain as
 * `getPeerCertificate(true)` gives it, walked up the issuers until one repeats). Null when there is none.
 */
export function certificateOf(socket: TLSSocket): CheckCertificate | null {
  const peer = socket.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
  if (!peer?.raw) return null;
  const leaf = new X509Certificate(peer.raw);
  let earliestExpiry = leaf.validToDate.getTime();
  const seen = new Set<string>([peer.fingerprint256]);
  for (let issuer = peer.issuerCertificate; issuer?.raw && !seen.has(issuer.fingerprint256); issuer = issuer.issuerCertificate) {
    seen.add(issuer.fingerprint256);
    earliestExpiry = Math.min(earliestExpiry, new X509Certificate(issuer.raw).validToDate.getTime());
  }
  return {
    subject: oneLine(leaf.subject),
    issuer: oneLine(leaf.issuer),
    names: altNames(leaf.subjectAltName),
    validFrom: leaf.validFromDate.getTime(),
    validTo: leaf.validToDate.getTime(),
    earliestExpiry,
    trusted: socket.authorized,
    error: authorizationCode(socket),
  };
}

/** Why a certificate that failed verification with `code` is not accepted for `host`, in words. */
export function untrustedReason(code: string, host: string): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED': return 'certificate has expired';
    case 'CERT_NOT_YET_VALID': return 'certificate is not valid yet';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': return 'certificate is self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN': return 'certificate chain ends in an untrusted root';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': return 'certificate is signed by an unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `certificate is not valid for ${host}`;
    case 'CERT_REVOKED': return 'certificate has been revoked';
    case 'CERT_SIGNATURE_FAILURE': return 'certificate signature is invalid';
    case 'CERT_CHAIN_TOO_LONG': return 'certificate chain is too long';
    case 'INVALID_CA': return 'certificate is issued by something that is not a CA';
    case 'INVALID_PURPOSE': return 'certificate is not for a server';
    default: return `certificate is not trusted (${code})`;
  }
}
