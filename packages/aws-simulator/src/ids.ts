import { createHash } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Bytes derived from a seed string: the same seed always gives the same bytes. */
function seededBytes(seed: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) {
    chunks.push(createHash('sha256').update(`${i}:${seed}`).digest());
  }
  return Buffer.concat(chunks).subarray(0, length);
}

function fromAlphabet(seed: string, length: number, alphabet: string): string {
  let out = '';
  for (const byte of seededBytes(seed, length)) {
    out += alphabet[byte % alphabet.length];
  }
  return out;
}

/** Deterministic ids in the formats AWS uses, so estates need not spell every id out. */
export const ids = {
  /** REST/HTTP API ids, domain name ids: 10 lowercase alphanumerics. */
  api: (seed: string) => fromAlphabet(seed, 10, LOWER_ALNUM),
  /** Resource, authorizer, deployment, VPC link, mapping ids: 6 lowercase alphanumerics. */
  short: (seed: string) => fromAlphabet(seed, 6, LOWER_ALNUM),
  /** v2 integration and route ids: 7 lowercase alphanumerics. */
  v2: (seed: string) => fromAlphabet(seed, 7, LOWER_ALNUM),
  hex: (seed: string, length: number) =>
    seededBytes(seed, Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length),
  /** `{prefix}-` + 17 hex digits: vpc-, vpce-, subnet-, sg-, eni-. */
  resource: (prefix: string, seed: string) =>
    `${prefix}-${seededBytes(seed, 9).toString('hex').slice(0, 17)}`,
  upper: (seed: string, length: number) =>
    fromAlphabet(seed, length, UPPER_ALNUM),
  /** A number in [0, 1) derived from the seed. */
  unit: (seed: string) => seededBytes(seed, 4).readUInt32BE(0) / 2 ** 32,
};

/**
 * mulberry32: a small seeded PRNG. Used where a sequence of draws must repeat run after
 * run (fault rates, the scale-estate generator).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
