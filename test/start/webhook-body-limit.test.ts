import { request } from "node:http";
import { createServer } from "node:net";
import { sign } from "@octokit/webhooks-methods";
import { Probot, Server } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCommentEventProblems } from "../../src/command/read-comment-event.js";
import { MAX_WEBHOOK_BYTES, withGuardedWebhooks } from "../../src/start/guard-webhook-payloads.js";
import { captureLog } from "../../support/capture-log.js";
import { testPrivateKey } from "../../support/webhooks.js";

/**
 * Webhook bodies are read into memory before the signature can be checked: anyone who reaches
 * the server could otherwise send an endless body. GitHub caps payloads at 25 MB, so the server
 * answers 413 past that, whether the size is declared (Content-Length) or streamed (chunked).
 */
const SECRET = "body-limit-secret";
const MIB = 1024 * 1024;
let server: Server;
let port: number;

beforeAll(async () => {
  const { log } = captureLog("warn");
  port = await freePort();
  // As src/start/server.ts wires it: Probot's server with the guarded webhook middleware.
  server = new Server({
    host: "127.0.0.1",
    port,
    log,
    Probot: withGuardedWebhooks(
      Probot.defaults({ appId: 1, privateKey: testPrivateKey(), secret: SECRET, log }),
      { findProblems: findCommentEventProblems, log },
    ),
  });
  await server.load(() => {});
  await server.start();
});

afterAll(async () => {
  await server.stop();
});

/**
 * POSTs `bytes` of body to the webhook path in 1 MiB chunks, declared or chunked, and resolves
 * with the status of the answer (which may come before the whole body is sent).
 */
function postBody(params: {
  bytes: number;
  declareLength: boolean;
  headers?: Record<string, string>;
  body?: Buffer;
}): Promise<{ status: number; sent: number }> {
  const body = params.body ?? Buffer.alloc(params.bytes, 0x20);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/github/webhooks",
        headers: {
          "content-type": "application/json",
          "x-github-event": "ping",
          "x-github-delivery": "size-test",
          "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
          ...params.headers,
          ...(params.declareLength ? { "content-length": String(body.length) } : {}),
        },
      },
      (res) => {
        answered = true;
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, sent }));
      },
    );
    // Once the server has answered it may close the connection under a body still being sent.
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const writeNext = () => {
      while (sent < body.length && !answered) {
        const chunk = body.subarray(sent, sent + MIB);
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", writeNext);
      }
      if (!answered) req.end();
    };
    writeNext();
  });
}

describe("webhook body size", () => {
  it("is capped at GitHub's 25 MB", () => {
    expect(MAX_WEBHOOK_BYTES).toBe(25 * MIB);
  });

  it("answers 413 to a declared Content-Length over the cap", async () => {
    const { status } = await postBody({ bytes: 40 * MIB, declareLength: true });
    expect(status).toBe(413);
  });

  it("answers 413 to a chunked body that runs past the cap", async () => {
    const { status } = await postBody({ bytes: 40 * MIB, declareLength: false });
    expect(status).toBe(413);
  });

  it("answers 413 to an oversized body without a signature too", async () => {
    const { status } = await postBody({
      bytes: 26 * MIB,
      declareLength: true,
      headers: { "x-hub-signature-256": "" },
    });
    expect(status).toBe(413);
  });

  it("still takes a signed payload just under the cap", async () => {
    const payload = JSON.stringify({
      zen: "x".repeat(MAX_WEBHOOK_BYTES - 200),
      hook_id: 1,
    });
    const body = Buffer.from(payload);
    expect(body.length).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES);
    const { status } = await postBody({
      bytes: body.length,
      body,
      declareLength: false,
      headers: { "x-hub-signature-256": await sign(SECRET, payload) },
    });
    expect(status).toBe(200);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}
