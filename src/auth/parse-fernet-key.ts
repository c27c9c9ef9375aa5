import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { decodeBase64UrlStrict, encodeBase64UrlPadded } from "./encode-base64url.js";

const KEY_BYTES = 32;

/**
 * A Fernet key split into its two halves (spec: signing key ‖ encryption key).
 * Printing or serialising it shows "[redacted]" so a stray log call cannot leak it.
 */
export class FernetKey {
  readonly signingKey: Buffer;
  readonly encryptionKey: Buffer;

  constructor(keyBytes: Buffer) {
    if (keyBytes.length !== KEY_BYTES) {
      throw new Error(
        `A Fernet key must be ${KEY_BYTES} bytes, got ${keyBytes.length}. Generate one with \`npm run generate-key\`.`,
      );
    }
    this.signingKey = Buffer.from(keyBytes.subarray(0, 16));
    this.encryptionKey = Buffer.from(keyBytes.subarray(16, 32));
  }

  toJSON(): string {
    return "[redacted FernetKey]";
  }

  [inspect.custom](): string {
    return "FernetKey [redacted]";
  }
}

/**
 * Parses one Fernet key given as base64url (with or without `=` padding) of 32 bytes.
 * The error never contains the key text.
 */
export function parseFernetKey(keyText: string): FernetKey {
  const keyBytes = decodeBase64UrlStrict(keyText.trim());
  if (keyBytes === undefined || keyBytes.length !== KEY_BYTES) {
    throw new Error(
      `A Fernet key must be the base64url encoding of ${KEY_BYTES} random bytes (44 characters ending in "="). Generate one with \`npm run generate-key\`.`,
    );
  }
  return new FernetKey(keyBytes);
}

/** Returns a fresh random Fernet key in its text form (base64url, padded, as the spec's tools print it). */
export function generateFernetKeyText(): string {
  return encodeBase64UrlPadded(randomBytes(KEY_BYTES));
}
