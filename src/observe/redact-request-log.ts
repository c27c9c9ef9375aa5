import type { LoggerOptions } from "pino";
import { oauthRequestLogRedaction } from "../auth/redact-oauth-request-log.js";

/** Where a request or response carries a credential: `Authorization: Bearer <METRICS_TOKEN>`,
 * Basic ADMIN_TOKEN, the dashboard's session cookie, and the cookies the bot sets. */
const CREDENTIAL_PATHS = [
  "req.headers.authorization",
  'req.headers["proxy-authorization"]',
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];
/** Pages whose query strings carry one-time secrets: GitHub's manifest code, the registration key. */
const SECRET_QUERY_PREFIX = "/probot";

/**
 * pino `redact` settings for the root logger (Probot's access log is its child, and serialises
 * every request's and response's headers): credentials become "[Redacted]", and the query
 * strings of /oauth/ (sign-in code and state) and /probot (registration) URLs are dropped.
 */
export const requestLogRedaction = {
  paths: [...oauthRequestLogRedaction.paths, ...CREDENTIAL_PATHS],
  censor: (value: unknown, path: string[]) => {
    if (path.join(".") !== "req.url") return "[Redacted]";
    if (typeof value === "string" && value.startsWith(SECRET_QUERY_PREFIX))
      return value.split("?")[0];
    return oauthRequestLogRedaction.censor(value);
  },
} satisfies LoggerOptions["redact"];
