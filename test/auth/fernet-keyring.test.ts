import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createFernetKeyring, parseFernetKeyList } from "../../src/auth/create-fernet-keyring.js";
import { FernetTokenError } from "../../src/auth/decrypt-fernet.js";
import { generateFernetKeyText, parseFernetKey } from "../../src/auth/parse-fernet-key.js";

describe("parseFernetKey", () => {
  const validKey = generateFernetKeyText();

  it.each([
    ["a padded key", validKey],
    ["an unpadded key", validKey.replace(/=$/, "")],
  ])("accepts %s", (_label, keyText) => {
    expect(() => parseFernetKey(keyText)).not.toThrow();
  });

  it.each([
    ["standard base64 characters", validKey.replace(/[-_]/g, "+").replace(/^./, "+")],
    ["a 16-byte key", Buffer.alloc(16, 1).toString("base64url")],
    ["a 33-byte key", Buffer.alloc(33, 1).toString("base64url")],
    ["an empty string", ""],
    ["padding in the middle", `${validKey.slice(0, 10)}=${validKey.slice(11)}`],
  ])("rejects %s and says how to make a key, without echoing it", (_label, keyText) => {
    expect(() => parseFernetKey(keyText)).toThrow(/npm run generate-key/);
    try {
      parseFernetKey(keyText);
    } catch (error) {
      if (keyText !== "") expect((error as Error).message).not.toContain(keyText);
    }
  });

  it("never prints its bytes", () => {
    const key = parseFernetKey(validKey);
    const keyHex = Buffer.from(validKey, "base64url").toString("hex");
    expect(inspect(key)).not.toContain(keyHex.slice(0, 8));
    expect(JSON.stringify({ key })).toBe('{"key":"[redacted FernetKey]"}');
  });
});

describe("parseFernetKeyList", () => {
  it("names the position of a bad key", () => {
    expect(() => parseFernetKeyList(`${generateFernetKeyText()}, not-a-key`)).toThrow(/Key #2/);
  });

  it("rejects an empty list", () => {
    expect(() => parseFernetKeyList(" , ")).toThrow(/npm run generate-key/);
  });
});

describe("createFernetKeyring: rotation", () => {
  const oldKeyText = generateFernetKeyText();
  const newKeyText = generateFernetKeyText();
  const oldRing = createFernetKeyring(parseFernetKeyList(oldKeyText));
  const rotatedRing = createFernetKeyring(parseFernetKeyList(`${newKeyText},${oldKeyText}`));
  const newOnlyRing = createFernetKeyring(parseFernetKeyList(newKeyText));

  it("still decrypts a value written with the old key", () => {
    const written = oldRing.encrypt("gho_secret");
    expect(rotatedRing.decrypt(written)).toBe("gho_secret");
  });

  it("writes new values with the new key", () => {
    const written = rotatedRing.encrypt("gho_secret");
    expect(newOnlyRing.decrypt(written)).toBe("gho_secret");
    expect(() => oldRing.decrypt(written)).toThrow(FernetTokenError);
  });

  it("uses a fresh IV for every value", () => {
    expect(rotatedRing.encrypt("same")).not.toBe(rotatedRing.encrypt("same"));
  });

  it("rejects a value altered after writing", () => {
    const written = rotatedRing.encrypt("gho_secret");
    const bytes = Buffer.from(written, "base64url");
    bytes[30] = (bytes[30] ?? 0) ^ 1;
    const altered = bytes.toString("base64url");
    expect(() => rotatedRing.decrypt(altered)).toThrow(/No key in TOKEN_ENCRYPTION_KEYS/);
  });
});
