/** How many hashed feature slots a model has (2^20: few collisions for a repository's words). */
export const FEATURE_DIMENSION = 1 << 20;

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Hashes named features into slots: the slot of a name is its FNV-1a hash modulo the dimension;
 * names that share a slot add up. Keys are decimal slot numbers (the trainer's row format).
 */
export function hashFeatures(features: Map<string, number>): Record<string, number> {
  const slots: Record<string, number> = {};
  for (const [name, value] of features) {
    const slot = String(fnv1a(name) % FEATURE_DIMENSION);
    slots[slot] = (slots[slot] ?? 0) + value;
  }
  return slots;
}
