/**
 * Feature hashing of the identifiers in changed lines: each token lands in one of
 * `HASH_BUCKETS` buckets (32-bit FNV-1a of its lower-case text), so the model's size does not
 * grow with the vocabulary and unseen words still map somewhere. Changing the tokeniser or the
 * hash changes every feature name: bump `WHERE_FEATURE_SPEC` (compute-where-features.ts).
 */
export const HASH_BUCKETS = 4096;

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The tokens of one line: every identifier of two or more characters, lower-cased, and, for
 * compound ones (`snake_case`, `camelCase`), each of their parts too.
 */
export function tokeniseLine(line: string): string[] {
  const tokens: string[] = [];
  for (const match of line.matchAll(IDENTIFIER)) {
    const word = match[0];
    if (word.length < 2) continue;
    tokens.push(word.toLowerCase());
    const parts = word
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .split("_")
      .filter((part) => part.length >= 2);
    if (parts.length > 1) for (const part of parts) tokens.push(part.toLowerCase());
  }
  return tokens;
}

/** The bucket of a token. */
export function tokenBucket(token: string): number {
  return fnv1a(token) % HASH_BUCKETS;
}

/**
 * Hashed bag of tokens for some lines: `tok:<bucket>` → 1/√(distinct buckets), a binary bag
 * scaled to unit length so a long hunk does not outweigh the other features.
 */
export function hashLineTokens(lines: readonly string[]): Record<string, number> {
  const buckets = new Set<number>();
  for (const line of lines) for (const token of tokeniseLine(line)) buckets.add(tokenBucket(token));
  const value = buckets.size > 0 ? 1 / Math.sqrt(buckets.size) : 0;
  const features: Record<string, number> = {};
  for (const bucket of [...buckets].sort((left, right) => left - right)) {
    features[`tok:${bucket}`] = value;
  }
  return features;
}
