// DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse) as trailproof writes and reads it:
// the pre-authentication encoding (PAE) that is signed, an envelope of base64 payload and signatures, and
// signing and verifying through small interfaces, so a local PEM key and an AWS KMS key plug in alike.
// Pure: no fs, no network here (a KMS signer does its network call behind the interface).
import { TrailproofError } from '../errors.js';

export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Bounds on an envelope read back (untrusted input): a signature list and one line's size. */
export const MAX_SIGNATURES_PER_ENVELOPE = 16;
export const MAX_ENVELOPE_LINE_BYTES = 16 * 1024 * 1024;

export interface DsseSignature {
  keyid: string;
  /** base64 signature over PAE(payloadType, payload bytes). */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes (the in-toto Statement as JSON). */
  payload: string;
  signatures: DsseSignature[];
}

/** What signs PAE bytes: a local key or a KMS key. `keyid` is the SHA-256 hex of the public key's SPKI DER. */
export interface Signer {
  keyid: string;
  /** Where the key is, for messages and the predicate: `file` or `kms`, and its name (path or key id/ARN). */
  kind: 'file' | 'kms';
  name: string;
  /** Algorithm as DSSE and openssl know it. */
  algorithm: 'ecdsa-p256-sha256' | 'ed25519';
  sign(pae: Uint8Array): Promise<Uint8Array>;
}

/** What checks a signature over PAE bytes; `keyid` names the key it holds. */
export interface Verifier {
  keyid: string;
  name: string;
  verify(pae: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal of byte counts. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'utf8'), type, Buffer.from(` ${payload.length} `, 'utf8'), payload]);
}

export async function signEnvelope(payload: Uint8Array, signer: Signer, payloadType = DSSE_PAYLOAD_TYPE): Promise<DsseEnvelope> {
  const sig = await signer.sign(pae(payloadType, payload));
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures: [{ keyid: signer.keyid, sig: Buffer.from(sig).toString('base64') }] };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Field(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) throw new TrailproofError('TP_USAGE', `${what} is not base64`);
  return Buffer.from(value, 'base64');
}

/** Parses one line of an attestation file into an envelope, or throws TP_USAGE naming what is wrong. */
export function parseEnvelope(line: string, where: string): { envelope: DsseEnvelope; payload: Buffer; signatures: { keyid: string; sig: Buffer }[] } {
  if (Buffer.byteLength(line, 'utf8') > MAX_ENVELOPE_LINE_BYTES) throw new TrailproofError('TP_USAGE', `${where}: envelope larger than ${MAX_ENVELOPE_LINE_BYTES} bytes (MAX_ENVELOPE_LINE_BYTES)`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `${where}: not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TrailproofError('TP_USAGE', `${where}: not a DSSE envelope (an object with payloadType, payload, signatures)`);
  const env = value as Record<string, unknown>;
  if (env['payloadType'] !== DSSE_PAYLOAD_TYPE) throw new TrailproofError('TP_USAGE', `${where}: payloadType is ${JSON.stringify(env['payloadType'])}, expected ${DSSE_PAYLOAD_TYPE}`);
  const payload = base64Field(env['payload'], `${where}: payload`);
  const list = env['signatures'];
  if (!Array.isArray(list) || list.length === 0) throw new TrailproofError('TP_USAGE', `${where}: no signatures`);
  if (list.length > MAX_SIGNATURES_PER_ENVELOPE) throw new TrailproofError('TP_USAGE', `${where}: ${list.length} signatures, more than ${MAX_SIGNATURES_PER_ENVELOPE} (MAX_SIGNATURES_PER_ENVELOPE)`);
  const signatures = list.map((s: unknown, i) => {
    const entry = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const keyid = typeof entry['keyid'] === 'string' ? entry['keyid'] : '';
    return { keyid, sig: base64Field(entry['sig'], `${where}: signatures[${i}].sig`) };
  });
  return { envelope: { payloadType: DSSE_PAYLOAD_TYPE, payload: env['payload'] as string, signatures: signatures.map((s) => ({ keyid: s.keyid, sig: s.sig.toString('base64') })) }, payload, signatures };
}

/**
 * Whether some signature of the envelope verifies with the verifier's key. A signature whose keyid names
 * another key is not tried (an empty keyid is: DSSE makes keyid optional).
 */
export async function envelopeVerifies(payload: Buffer, signatures: { keyid: string; sig: Buffer }[], verifier: Verifier): Promise<{ ok: boolean; keyids: string[] }> {
  const message = pae(DSSE_PAYLOAD_TYPE, payload);
  for (const s of signatures) {
    if (s.keyid !== '' && s.keyid !== verifier.keyid) continue;
    if (await verifier.verify(message, s.sig)) return { ok: true, keyids: signatures.map((x) => x.keyid) };
  }
  return { ok: false, keyids: signatures.map((x) => x.keyid) };
}
