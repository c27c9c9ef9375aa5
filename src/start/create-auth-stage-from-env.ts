import type { Redis } from "ioredis";
import type { AuthConfig } from "../auth/auth-config.js";
import { type AuthStage, createAuthStage } from "../auth/create-auth-stage.js";

/** The auth stage as both processes build it: keys under QUEUE_PREFIX, GitHub per GHE_HOST. */
export function createAuthStageFromEnv(params: {
  config: AuthConfig & { QUEUE_PREFIX: string };
  redis: Redis;
  env?: NodeJS.ProcessEnv;
}): AuthStage {
  const env = params.env ?? process.env;
  return createAuthStage({
    config: params.config,
    redis: params.redis,
    keyPrefix: `${params.config.QUEUE_PREFIX}:`,
    gheHost: env.GHE_HOST,
    gheProtocol: env.GHE_PROTOCOL || undefined,
  });
}
