import type { LoggerOptions } from "pino";
import { OAUTH_PATH_PREFIX } from "./create-oauth-handler.js";

/**
 * pino `redact` settings that drop the query string of /oauth/ URLs in Probot's access log: the
 * callback's `code` and `state` are short-lived secrets. Probot's http logger serialises the
 * request as it arrives (before any handler runs), and Probot 14.3 ignores `loggingOptions`, so
 * redaction has to sit on the root logger: `pino({ redact: oauthRequestLogRedaction })`, passed
 * to Probot/Server as `log`.
 */
export const oauthRequestLogRedaction = {
  paths: ["req.url"],
  censor: (value: unknown) => stripOAuthQuery(value),
} satisfies LoggerOptions["redact"];

function stripOAuthQuery(url: unknown): unknown {
  if (typeof url !== "string" || !url.startsWith(OAUTH_PATH_PREFIX)) return url;
  const queryStart = url.indexOf("?");
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
