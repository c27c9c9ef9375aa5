import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  decryptFernet,
  type FernetRejection,
  FernetTokenError,
} from "../../src/auth/decrypt-fernet.js";
import { encryptFernet } from "../../src/auth/encrypt-fernet.js";
import { parseFernetKey } from "../../src/auth/parse-fernet-key.js";
import { readFernetVectors } from "./read-fernet-vectors.js";

const generateSchema = z.array(
  z.object({
    token: z.string(),
    now: z.string(),
    iv: z.array(z.number()),
    src: z.string(),
    secret: z.string(),
  }),
);
const verifySchema = z.array(
  z.object({
    token: z.string(),
    now: z.string(),
    ttl_sec: z.number(),
    src: z.string(),
    secret: z.string(),
  }),
);
const invalidSchema = z.array(
  z.object({
    desc: z.string(),
    token: z.string(),
    now: z.string(),
    ttl_sec: z.number(),
    secret: z.string(),
  }),
);

/** Each invalid case must be caught by the check written for it, not by an accident of another. */
const expectedRejection: Record<string, FernetRejection> = {
  "incorrect mac": "bad-signature",
  "too short": "malformed",
  "invalid base64": "malformed",
  "payload size not multiple of block size": "malformed",
  "payload padding error": "bad-ciphertext",
  "far-future TS (unacceptable clock skew)": "from-the-future",
  "expired TTL": "expired",
  "incorrect IV (causes padding error)": "bad-ciphertext",
};

const generateVectors = generateSchema.parse(readFernetVectors("generate"));
const verifyVectors = verifySchema.parse(readFernetVectors("verify"));
const invalidVectors = invalidSchema.parse(readFernetVectors("invalid"));

describe("official Fernet vectors", () => {
  it("has all the spec's invalid cases", () => {
    expect(invalidVectors).toHaveLength(8);
  });

  it.each(generateVectors)("generates $token", (vector) => {
    const token = encryptFernet({
      key: parseFernetKey(vector.secret),
      plaintext: vector.src,
      now: new Date(vector.now),
      iv: Buffer.from(vector.iv),
    });
    expect(token).toBe(vector.token);
  });

  it.each(verifyVectors)("verifies $token", (vector) => {
    const plaintext = decryptFernet({
      key: parseFernetKey(vector.secret),
      token: vector.token,
      ttlSeconds: vector.ttl_sec,
      now: new Date(vector.now),
    });
    expect(plaintext.toString("utf8")).toBe(vector.src);
  });

  it.each(invalidVectors)("rejects: $desc", (vector) => {
    const attempt = () =>
      decryptFernet({
        key: parseFernetKey(vector.secret),
        token: vector.token,
        ttlSeconds: vector.ttl_sec,
        now: new Date(vector.now),
      });
    expect(attempt).toThrow(FernetTokenError);
    expect(attempt).toThrow(expect.objectContaining({ reason: expectedRejection[vector.desc] }));
  });
});

describe("decryptFernet without a TTL", () => {
  it("accepts an old token: stored secrets stay valid until deleted", () => {
    const [vector] = verifyVectors;
    if (vector === undefined) throw new Error("verify.json is empty");
    const plaintext = decryptFernet({ key: parseFernetKey(vector.secret), token: vector.token });
    expect(plaintext.toString("utf8")).toBe(vector.src);
  });
});
