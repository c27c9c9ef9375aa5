const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*={0,2}$/;

/** base64url with `=` padding, the form Fernet tokens and keys use on the wire. */
export function encodeBase64UrlPadded(bytes: Buffer): string {
  const unpadded = bytes.toString("base64url");
  return unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4);
}

/**
 * Decodes base64url strictly: only the URL-safe alphabet, padding only at the end and only as
 * much as the length needs, and no stray bits in the last character. Node's own decoder skips
 * bad characters silently, which would let a mangled token through. Returns `undefined` when the
 * text is not canonical base64url so callers can word their own error.
 */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  if (text.length === 0 || !BASE64URL_PATTERN.test(text)) {
    return undefined;
  }
  const unpadded = text.replace(/=+$/, "");
  const hasPadding = unpadded.length !== text.length;
  if (unpadded.length % 4 === 1 || (hasPadding && text.length % 4 !== 0)) {
    return undefined;
  }
  const bytes = Buffer.from(unpadded, "base64url");
  // Round-tripping rejects non-zero trailing bits, so each token has exactly one spelling.
  if (bytes.toString("base64url") !== unpadded) {
    return undefined;
  }
  return bytes;
}
