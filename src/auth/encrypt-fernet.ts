import { createCipheriv, createHmac, randomBytes } from "node:crypto";
import { encodeBase64UrlPadded } from "./encode-base64url.js";
import type { FernetKey } from "./parse-fernet-key.js";

export const FERNET_VERSION = 0x80;
export const FERNET_IV_BYTES = 16;

export interface EncryptFernetParams {
  key: FernetKey;
  plaintext: string | Buffer;
  /** Token timestamp; the clock by default. Injected by the spec's test vectors. */
  now?: Date;
  /** 16-byte IV; random by default. Only tests pass one: a reused IV weakens CBC. */
  iv?: Buffer;
}

/**
 * Encrypts per the Fernet spec (https://github.com/fernet/spec): base64url(0x80 ‖ u64 BE seconds ‖
 * IV ‖ AES-128-CBC/PKCS7 ciphertext ‖ HMAC-SHA256 of everything before it).
 */
export function encryptFernet({
  key,
  plaintext,
  now = new Date(),
  iv = randomBytes(FERNET_IV_BYTES),
}: EncryptFernetParams): string {
  if (iv.length !== FERNET_IV_BYTES) {
    throw new Error(`A Fernet IV must be ${FERNET_IV_BYTES} bytes, got ${iv.length}.`);
  }
  const header = Buffer.alloc(1 + 8);
  header.writeUInt8(FERNET_VERSION, 0);
  header.writeBigUInt64BE(BigInt(Math.floor(now.getTime() / 1000)), 1);

  const cipher = createCipheriv("aes-128-cbc", key.encryptionKey, iv);
  const ciphertext = Buffer.concat([
    cipher.update(typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext),
    cipher.final(),
  ]);

  const signed = Buffer.concat([header, iv, ciphertext]);
  const hmac = createHmac("sha256", key.signingKey).update(signed).digest();
  return encodeBase64UrlPadded(Buffer.concat([signed, hmac]));
}
