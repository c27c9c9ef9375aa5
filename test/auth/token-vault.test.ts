import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFernetKeyring, parseFernetKeyList } from "../../src/auth/create-fernet-keyring.js";
import { generateFernetKeyText } from "../../src/auth/parse-fernet-key.js";
import { createTokenVault, type StoredUserToken } from "../../src/auth/token-vault.js";
import { connectTestRedis, deleteKeys } from "../../support/redis.js";

const aliceToken: StoredUserToken = {
  userId: 1001,
  login: "alice",
  accessToken: "ghu_vaultTestAccessToken",
  accessTokenExpiresAt: "2030-01-01T08:00:00.000Z",
  refreshToken: "ghr_vaultTestRefreshToken",
  refreshTokenExpiresAt: "2030-07-01T00:00:00.000Z",
};

let redis: Redis;
let keyPrefix: string;
beforeEach(async () => {
  redis = await connectTestRedis();
  keyPrefix = `test-vault-${randomUUID()}:`;
});
afterEach(async () => {
  await deleteKeys(redis, `${keyPrefix}*`);
  redis.disconnect();
});

function vaultWithKeys(keysText: string) {
  return createTokenVault({
    redis,
    keyPrefix,
    keyring: createFernetKeyring(parseFernetKeyList(keysText)),
  });
}

describe("token vault", () => {
  it("round-trips a user's pair, stored as a Fernet token without a TTL", async () => {
    const vault = vaultWithKeys(generateFernetKeyText());
    await vault.save(aliceToken);
    expect(await vault.load(aliceToken.userId)).toEqual(aliceToken);

    const key = `${keyPrefix}auth:user-token:${aliceToken.userId}`;
    const raw = (await redis.get(key)) ?? "";
    expect(raw).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
    expect(raw).not.toContain("ghu_");
    expect(await redis.pttl(key)).toBe(-1);
  });

  it("returns undefined for someone who never signed in, and after delete", async () => {
    const vault = vaultWithKeys(generateFernetKeyText());
    expect(await vault.load(999)).toBeUndefined();
    await vault.save(aliceToken);
    await vault.delete(aliceToken.userId);
    expect(await vault.load(aliceToken.userId)).toBeUndefined();
  });

  it("deletes on a 401 only while the rejected token is still the stored one", async () => {
    const vault = vaultWithKeys(generateFernetKeyText());
    await vault.save(aliceToken);
    expect(await vault.deleteIfCurrent({ userId: 1001, accessToken: "ghu_other" })).toBe(false);
    expect(await vault.load(1001)).toBeDefined();
    expect(await vault.deleteIfCurrent({ userId: 1001, accessToken: aliceToken.accessToken })).toBe(
      true,
    );
    expect(await vault.load(1001)).toBeUndefined();
  });

  it("reads pairs written with the old key after rotation, and writes with the new key", async () => {
    const oldKey = generateFernetKeyText();
    const newKey = generateFernetKeyText();
    await vaultWithKeys(oldKey).save(aliceToken);

    const rotated = vaultWithKeys(`${newKey},${oldKey}`);
    expect(await rotated.load(aliceToken.userId)).toEqual(aliceToken);

    await rotated.save({ ...aliceToken, accessToken: "ghu_afterRotation" });
    expect((await vaultWithKeys(newKey).load(aliceToken.userId))?.accessToken).toBe(
      "ghu_afterRotation",
    );
    await expect(vaultWithKeys(oldKey).load(aliceToken.userId)).rejects.toThrow(
      /TOKEN_ENCRYPTION_KEYS still lists the key/,
    );
  });
});
