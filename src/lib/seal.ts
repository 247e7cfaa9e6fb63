/**
 * Encryption at rest for short-lived text (forms kept after a session expired, drafts): AES-256-GCM
 * with a key derived (HKDF-SHA256) from the session key for one purpose, and associated data that ties
 * the sealed text to its owner, so a row copied to another user does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;

export function sealKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `stafett:${purpose}`, 32));
}

export function seal(key: Buffer, plaintext: string, associated: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** The text, or null when it does not open (other key, other owner, tampered). */
export function unseal(key: Buffer, sealed: Buffer, associated: string): string | null {
  if (sealed.length < 29 || sealed[0] !== VERSION) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
