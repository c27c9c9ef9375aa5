/** Identifiers and words: a letter or underscore, then letters, digits or underscores. */
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Where an identifier splits into words: snake_case underscores and camelCase humps. */
const WORD_BOUNDARY = /_+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/;

/**
 * The tokens code is matched on: every identifier, lowercased, and — for compound names — each of
 * its words (`secp256k1_fe_mul` → `secp256k1_fe_mul`, `secp256k1`, `fe`, `mul`; `parseDiffHunks`
 * → `parsediffhunks`, `parse`, `diff`, `hunks`), so a hunk about `fe_mul` finds one about
 * `fe_mul_inner`. Tokens shorter than two characters say nothing and are dropped. Language-agnostic
 * on purpose: the bot reviews repositories in any language.
 */
export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const identifier of text.match(IDENTIFIER) ?? []) {
    const whole = identifier.replace(/^_+|_+$/g, "").toLowerCase();
    if (whole.length >= 2) tokens.push(whole);
    const words = identifier.split(WORD_BOUNDARY).filter((word) => word.length >= 2);
    if (words.length > 1) for (const word of words) tokens.push(word.toLowerCase());
  }
  return tokens;
}
