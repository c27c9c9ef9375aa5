import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Queue, Worker, WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import { type ApplicationFunctionOptions, Probot, ProbotOctokit } from "probot";
import { createQueueNames, type QueueNames } from "../jobs/queue-names.js";
import { type AuthStage, createAuthStage } from "../src/auth/create-auth-stage.js";
import { generateFernetKeyText } from "../src/auth/parse-fernet-key.js";
import type { RunStage } from "../src/run/stage-contract.js";
import { createApp } from "../src/start/create-app.js";
import { type Config, loadConfig } from "../src/start/load-config.js";
import { openQueues } from "../src/start/open-queues.js";
import { startFeedbackWorker } from "../src/start/start-feedback-worker.js";
import { startCommandWorker, startPersonaWorker } from "../src/start/start-workers.js";
import { captureLog } from "./capture-log.js";
import { type FakeGitHub, startFakeGitHub } from "./fake-github.js";
import { connectTestRedis, deleteKeys, uniqueName } from "./redis.js";

import { TEST_WEBHOOK_SECRET, testPrivateKey } from "./webhooks.js";

type Handler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

/**
 * The server side of the bot, as `npm start` wires it, against a stand-in GitHub and the real
 * Redis, with queues and keys of this test's own.
 */
export interface AppHarness {
  github: FakeGitHub;
  redis: Redis;
  probot: Probot;
  config: Config;
  names: QueueNames;
  commandQueue: Queue;
  personaQueue: Queue;
  trainQueue: Queue;
  pushQueue: Queue;
  logLines: string[];
  /** Origin of the bot's own HTTP routes (those mounted with addHandler). */
  httpOrigin: string;
  startIntake(): Worker;
  /** A persona worker running `stages`, as `npm run worker` wires it. */
  startPersona(stages: RunStage[], workerOptions?: Partial<WorkerOptions>): Worker;
  /** The feedback worker, as `npm start` wires it. */
  startFeedback(): Worker;
  feedbackQueue: Queue;
  auth: AuthStage;
  close(): Promise<void>;
}

/**
 * Probot's Octokit without retries and write throttling (which spaces writes 1 s apart). The
 * object form `defaults({ throttle: { enabled: false } })` does not stick: Probot passes its
 * own `throttle` options per instance and they replace the object wholesale; the function form
 * runs last.
 */
export function testOctokit(): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: { ...(options.throttle as object), enabled: false },
    retry: { enabled: false },
  }));
}

export const TEST_CLIENT_ID = "Iv1.testclientid";
export const TEST_CLIENT_SECRET = "test-client-secret-4f1c";
const testEncryptionKey = generateFernetKeyText();

/** The variables a deployment must set, with test values (the LLM URL is replaced where a test serves one). */
export function testDeploymentEnv(publicUrl: string): Record<string, string> {
  return {
    GITHUB_CLIENT_ID: TEST_CLIENT_ID,
    GITHUB_CLIENT_SECRET: TEST_CLIENT_SECRET,
    TOKEN_ENCRYPTION_KEYS: testEncryptionKey,
    PUBLIC_URL: publicUrl,
    LLM_BASE_URL: "http://127.0.0.1:9/v1",
  };
}

export async function startAppHarness(
  env: Record<string, string> = {},
  options: {
    redisUrl?: string;
    /** The Octokit class Probot uses; default: retries and write throttling off. */
    octokit?: typeof ProbotOctokit;
    /**
     * The queue names `npm run worker` uses (no namespace suffix), for tests that run the real
     * worker process; the test's own QUEUE_PREFIX still keeps its queues apart.
     */
    deployedQueueNames?: boolean;
  } = {},
): Promise<AppHarness> {
  const github = await startFakeGitHub();
  const redis = await connectTestRedis(options.redisUrl);
  const namespace = uniqueName("app");
  // The routes the app mounts with addHandler, served by a real HTTP server like Probot's;
  // started first because PUBLIC_URL (sign-in links) points at it.
  const handlers: Handler[] = [];
  const httpServer = createServer(async (req, res) => {
    for (const handler of handlers) if (await handler(req, res)) return;
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const httpOrigin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const config = loadConfig({ ...testDeploymentEnv(httpOrigin), QUEUE_PREFIX: namespace, ...env });
  const names = createQueueNames(options.deployedQueueNames ? "" : namespace);
  const { log, lines } = captureLog();
  const queues = openQueues({ redis, names, prefix: config.QUEUE_PREFIX, log });
  const {
    commands: commandQueue,
    personaRuns: personaQueue,
    trainAdapters: trainQueue,
    pushSummaries: pushQueue,
  } = queues;
  // A fresh Probot per test: it caches installation tokens.
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: TEST_WEBHOOK_SECRET,
    baseUrl: github.apiBaseUrl,
    log,
    Octokit: options.octokit ?? testOctokit(),
  });
  const auth = createAuthStage({
    config,
    redis,
    keyPrefix: `${namespace}:`,
    gheHost: github.host,
    gheProtocol: "http",
  });
  const feedbackQueue = queues.feedback;
  await probot.load(
    createApp({ config, redis, commandQueue, personaQueue, feedbackQueue, pushQueue, auth }),
    {
      cwd: process.cwd(),
      addHandler: (handler: Handler) => handlers.push(handler),
    },
  );
  const workers: Worker[] = [];
  return {
    github,
    redis,
    probot,
    config,
    names,
    commandQueue,
    personaQueue,
    trainQueue,
    pushQueue,
    logLines: lines,
    httpOrigin,
    startIntake() {
      const worker = startCommandWorker({
        config,
        queueName: names.commands,
        connection: redis.duplicate(),
        redis,
        personaQueue,
        trainQueue,
        auth: (installationId) => probot.auth(installationId),
        log,
      });
      workers.push(worker);
      return worker;
    },
    startPersona(stages, workerOptions) {
      const worker = startPersonaWorker({
        config,
        queueName: names.personaRuns,
        connection: redis.duplicate(),
        redis,
        auth: (installationId) => probot.auth(installationId),
        stages,
        personaQueue,
        ...(workerOptions ? { workerOptions } : {}),
        log,
      });
      workers.push(worker);
      return worker;
    },
    feedbackQueue,
    startFeedback() {
      const worker = startFeedbackWorker({
        queueName: names.feedback,
        keyPrefix: config.QUEUE_PREFIX,
        connection: redis.duplicate(),
        redis,
        auth: (installationId) => probot.auth(installationId),
        feedbackQueue,
        log,
      });
      workers.push(worker);
      return worker;
    },
    auth,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      await deleteKeys(redis, `${namespace}:*`);
      await redis.quit();
      await github.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}
