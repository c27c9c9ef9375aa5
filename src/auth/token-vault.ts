import type { Redis } from "ioredis";
import { z } from "zod";
import { RedisKeys } from "../store/redis-keys.js";
import type { FernetKeyring } from "./create-fernet-keyring.js";

export const storedUserTokenSchema = z.object({
  userId: z.number().int().positive(),
  login: z.string().min(1),
  accessToken: z.string().min(1),
  /** ISO time; null when the GitHub App's user tokens do not expire. */
  accessTokenExpiresAt: z.string().nullable(),
  refreshToken: z.string().nullable(),
  refreshTokenExpiresAt: z.string().nullable(),
});
export type StoredUserToken = z.infer<typeof storedUserTokenSchema>;

/** Deletes only if the value is still the one we read, so a pair refreshed meanwhile survives. */
const DELETE_IF_UNCHANGED = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`;

export interface TokenVault {
  save(token: StoredUserToken): Promise<void>;
  /**
   * The user's pair, or `undefined` when they never signed in, it was deleted, or the pair under
   * their key names another user (then it is deleted too).
   */
  load(userId: number): Promise<StoredUserToken | undefined>;
  delete(userId: number): Promise<void>;
  /** Deletes the pair only while its access token is `accessToken` (the one GitHub rejected). */
  deleteIfCurrent(params: { userId: number; accessToken: string }): Promise<boolean>;
}

export interface CreateTokenVaultParams {
  redis: Redis;
  keyring: FernetKeyring;
  keyPrefix: string;
}

/**
 * Users' GitHub tokens at rest: one Fernet token per user in Redis, with no TTL (a stored pair is
 * valid until we delete it: on revoke, on a 401, or when its refresh token is refused).
 */
export function createTokenVault({
  redis,
  keyring,
  keyPrefix,
}: CreateTokenVaultParams): TokenVault {
  const keyFor = (userId: number) => new RedisKeys(keyPrefix).userToken(userId);
  const decode = (stored: string, userId: number): StoredUserToken => {
    let plaintext: string;
    try {
      plaintext = keyring.decrypt(stored);
    } catch (error) {
      throw new Error(
        `Cannot decrypt the stored GitHub token of user ${userId}: check that TOKEN_ENCRYPTION_KEYS still lists the key it was written with.`,
        { cause: error },
      );
    }
    const parsed = storedUserTokenSchema.safeParse(safeJsonParse(plaintext));
    if (!parsed.success) {
      // No cause: JSON.parse quotes its input in errors, and the input is a secret.
      throw new Error(
        `The stored GitHub token of user ${userId} has an unexpected shape; delete it so they sign in again.`,
      );
    }
    return parsed.data;
  };
  /**
   * The pair filed under `userId`, or undefined. A pair that names another user (sealed in the
   * ciphertext, so it cannot be forged without the key) was copied or filed under the wrong key:
   * it is deleted and never handed out, and this user signs in again.
   */
  const loadOwn = async (userId: number): Promise<StoredUserToken | undefined> => {
    const stored = await redis.get(keyFor(userId));
    if (stored === null) return undefined;
    const token = decode(stored, userId);
    if (token.userId === userId) return token;
    await redis.eval(DELETE_IF_UNCHANGED, 1, keyFor(userId), stored);
    return undefined;
  };

  return {
    save: async (token) => {
      const valid = storedUserTokenSchema.parse(token);
      await redis.set(keyFor(valid.userId), keyring.encrypt(JSON.stringify(valid)));
    },
    load: loadOwn,
    delete: async (userId) => {
      await redis.del(keyFor(userId));
    },
    deleteIfCurrent: async ({ userId, accessToken }) => {
      const stored = await redis.get(keyFor(userId));
      if (stored === null) return false;
      const token = decode(stored, userId);
      if (token.userId === userId && token.accessToken !== accessToken) return false;
      return (await redis.eval(DELETE_IF_UNCHANGED, 1, keyFor(userId), stored)) === 1;
    },
  };
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
