import { z } from "zod";
import { parseFernetKeyList } from "./create-fernet-keyring.js";

const GENERATE_KEY_HINT = "Generate a key with `npm run generate-key`.";

/**
 * Environment for the requester's OAuth sign-in and the token vault. Parse once at start-up; a
 * missing or malformed value stops the process with a message naming the variable and the fix.
 * Parsed keys print as "[redacted]".
 */
export const authConfigSchema = z.object({
  GITHUB_CLIENT_ID: z
    .string({
      error: "GITHUB_CLIENT_ID is missing: copy the Client ID from the GitHub App's settings page.",
    })
    .trim()
    .min(1, "GITHUB_CLIENT_ID is empty: copy the Client ID from the GitHub App's settings page.")
    .describe("The GitHub App's OAuth client ID (Settings → Developer settings → your app)."),
  GITHUB_CLIENT_SECRET: z
    .string({
      error:
        "GITHUB_CLIENT_SECRET is missing: generate a client secret on the GitHub App's settings page.",
    })
    .min(
      1,
      "GITHUB_CLIENT_SECRET is empty: generate a client secret on the GitHub App's settings page.",
    )
    .describe("The GitHub App's OAuth client secret."),
  TOKEN_ENCRYPTION_KEYS: z
    .string({ error: `TOKEN_ENCRYPTION_KEYS is missing. ${GENERATE_KEY_HINT}` })
    .transform((keysText, context) => {
      try {
        return parseFernetKeyList(keysText);
      } catch (error) {
        context.addIssue({
          code: "custom",
          message: `TOKEN_ENCRYPTION_KEYS is invalid: ${(error as Error).message} It holds one or more comma-separated keys, the first encrypts.`,
        });
        return z.NEVER;
      }
    })
    .describe(
      "Comma-separated Fernet keys (base64url, 32 bytes each); the first encrypts, all decrypt. Rotate by putting a new key first.",
    ),
  PUBLIC_URL: z
    .url({
      protocol: /^https?$/,
      error:
        "PUBLIC_URL must be the http(s) URL people reach the bot at, e.g. https://bot.example.com",
    })
    .transform((url) => url.replace(/\/+$/, ""))
    .describe(
      "Base URL users reach the bot at; sign-in links and the OAuth callback (PUBLIC_URL/oauth/callback) use it.",
    ),
  OAUTH_STATE_TTL_SECONDS: z.coerce
    .number({ error: "OAUTH_STATE_TTL_SECONDS must be a whole number of seconds, e.g. 600." })
    .int("OAUTH_STATE_TTL_SECONDS must be a whole number of seconds, e.g. 600.")
    .min(60, "OAUTH_STATE_TTL_SECONDS must be at least 60: people need time to click the link.")
    .max(86_400, "OAUTH_STATE_TTL_SECONDS must be at most 86400 (a day).")
    .default(600)
    .describe("How long a sign-in link stays valid, in seconds."),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;
