import { createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import { decodeBase64UrlStrict } from "./encode-base64url.js";
import { FERNET_IV_BYTES, FERNET_VERSION } from "./encrypt-fernet.js";
import type { FernetKey } from "./parse-fernet-key.js";

const HEADER_BYTES = 1 + 8;
const HMAC_BYTES = 32;
const BLOCK_BYTES = 16;
/** The spec's allowance for clocks that disagree, applied only with a TTL (as the reference does). */
const MAX_CLOCK_SKEW_SECONDS = 60;

export type FernetRejection =
  | "malformed"
  | "bad-version"
  | "bad-signature"
  | "expired"
  | "from-the-future"
  | "bad-ciphertext";

/** A token that is not a valid Fernet token for the key. The message never contains the token. */
export class FernetTokenError extends Error {
  readonly reason: FernetRejection;

  constructor(reason: FernetRejection, message: string) {
    super(message);
    this.name = "FernetTokenError";
    this.reason = reason;
  }
}

export interface DecryptFernetParams {
  key: FernetKey;
  token: string;
  /** Reject tokens older than this. Omitted = no age limit (stored secrets stay valid until deleted). */
  ttlSeconds?: number;
  /** The clock used for the TTL check. */
  now?: Date;
}

/** Verifies and decrypts a Fernet token; throws {@link FernetTokenError} for anything the spec rejects. */
export function decryptFernet({
  key,
  token,
  ttlSeconds,
  now = new Date(),
}: DecryptFernetParams): Buffer {
  const bytes = decodeBase64UrlStrict(token);
  if (bytes === undefined) {
    throw new FernetTokenError("malformed", "Fernet token is not valid base64url.");
  }
  const ciphertextBytes = bytes.length - HEADER_BYTES - FERNET_IV_BYTES - HMAC_BYTES;
  if (ciphertextBytes < BLOCK_BYTES || ciphertextBytes % BLOCK_BYTES !== 0) {
    throw new FernetTokenError(
      "malformed",
      "Fernet token has the wrong length: its ciphertext must be a non-empty multiple of 16 bytes.",
    );
  }
  if (bytes[0] !== FERNET_VERSION) {
    throw new FernetTokenError("bad-version", "Fernet token has an unknown version byte.");
  }

  const signedEnd = bytes.length - HMAC_BYTES;
  const expectedHmac = createHmac("sha256", key.signingKey)
    .update(bytes.subarray(0, signedEnd))
    .digest();
  if (!timingSafeEqual(expectedHmac, bytes.subarray(signedEnd))) {
    throw new FernetTokenError(
      "bad-signature",
      "Fernet token signature does not match this key (wrong key, or the token was altered).",
    );
  }

  if (ttlSeconds !== undefined) {
    const issuedAtSeconds = Number(bytes.readBigUInt64BE(1));
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (issuedAtSeconds + ttlSeconds < nowSeconds) {
      throw new FernetTokenError("expired", "Fernet token is older than its allowed lifetime.");
    }
    if (issuedAtSeconds > nowSeconds + MAX_CLOCK_SKEW_SECONDS) {
      throw new FernetTokenError(
        "from-the-future",
        "Fernet token is dated in the future beyond the allowed clock skew.",
      );
    }
  }

  const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + FERNET_IV_BYTES);
  const ciphertext = bytes.subarray(HEADER_BYTES + FERNET_IV_BYTES, signedEnd);
  try {
    const decipher = createDecipheriv("aes-128-cbc", key.encryptionKey, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // OpenSSL's padding error text is not useful to a reader; the reason is.
    throw new FernetTokenError("bad-ciphertext", "Fernet token ciphertext has invalid padding.");
  }
}
