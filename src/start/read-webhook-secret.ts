import { ConfigError } from "../config/config-error.js";

/** The secret Probot verifies webhooks against when none is given: known to everyone. */
const PROBOT_DEVELOPMENT_SECRET = "development";

/**
 * The secret webhooks are verified against (WEBHOOK_SECRET). Without one, Probot would accept
 * deliveries signed with the well-known secret "development", so anyone who reaches the server
 * could forge them: that fallback needs DEVELOPMENT_MODE=true, and never with
 * NODE_ENV=production. Otherwise a ConfigError says what to set.
 */
export function readWebhookSecret(env: NodeJS.ProcessEnv = process.env): {
  secret: string;
  development: boolean;
} {
  const secret = env.WEBHOOK_SECRET ?? "";
  if (secret !== "") return { secret, development: false };
  const mode = (env.DEVELOPMENT_MODE ?? "").trim().toLowerCase();
  if (mode !== "" && mode !== "true" && mode !== "false") {
    throw new ConfigError(
      `DEVELOPMENT_MODE must be true or false (it is "${env.DEVELOPMENT_MODE}"); leave it unset outside local development.`,
    );
  }
  if (mode === "true" && env.NODE_ENV !== "production") {
    return { secret: PROBOT_DEVELOPMENT_SECRET, development: true };
  }
  throw new ConfigError(
    [
      "WEBHOOK_SECRET is not set: set it to the webhook secret of your GitHub App (its settings page, “Webhook secret”; the registration page writes it into .env).",
      env.NODE_ENV === "production"
        ? "  NODE_ENV=production: the server never starts without it."
        : '  Only to try the bot locally, DEVELOPMENT_MODE=true accepts webhooks signed with Probot\'s well-known secret "development" instead (anyone who reaches the server could forge them).',
    ].join("\n"),
  );
}
