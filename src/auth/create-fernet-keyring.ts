import { decryptFernet, FernetTokenError } from "./decrypt-fernet.js";
import { encryptFernet } from "./encrypt-fernet.js";
import { type FernetKey, parseFernetKey } from "./parse-fernet-key.js";

/** Encrypts with the current key and decrypts with any key still accepted, so keys rotate without re-login. */
export interface FernetKeyring {
  encrypt(plaintext: string): string;
  decrypt(token: string): string;
}

/**
 * Builds a keyring: the first key encrypts, every key decrypts. Put a new key first and keep the
 * old ones after it until every stored value has been rewritten (or has expired by deletion).
 */
export function createFernetKeyring(keys: readonly FernetKey[]): FernetKeyring {
  const [currentKey] = keys;
  if (currentKey === undefined) {
    throw new Error(
      "A Fernet keyring needs at least one key. Generate one with `npm run generate-key`.",
    );
  }
  return {
    encrypt: (plaintext) => encryptFernet({ key: currentKey, plaintext }),
    decrypt: (token) => {
      for (const key of keys) {
        try {
          return decryptFernet({ key, token }).toString("utf8");
        } catch (error) {
          // Only a signature mismatch means "try the next key"; a malformed token is malformed for all.
          if (error instanceof FernetTokenError && error.reason === "bad-signature") {
            continue;
          }
          throw error;
        }
      }
      throw new FernetTokenError(
        "bad-signature",
        "No key in TOKEN_ENCRYPTION_KEYS can decrypt this value: was a key removed before stored values were rewritten?",
      );
    },
  };
}

/**
 * Parses a comma-separated list of keys (first = current). Errors name the position, never the key.
 */
export function parseFernetKeyList(keysText: string): FernetKey[] {
  const parts = keysText.split(",").map((part) => part.trim());
  if (parts.length === 0 || parts.every((part) => part === "")) {
    throw new Error("No Fernet key given. Generate one with `npm run generate-key`.");
  }
  return parts.map((part, index) => {
    try {
      return parseFernetKey(part);
    } catch (error) {
      throw new Error(`Key #${index + 1}: ${(error as Error).message}`);
    }
  });
}
