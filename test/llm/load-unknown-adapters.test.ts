import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { askModelForHunk } from "../../src/llm/ask-model-for-hunk.js";
import { createLlmClient } from "../../src/llm/create-llm-client.js";
import { startFakeOpenAiServer } from "../../support/llm/fake-openai-server.js";

const BASE_MODEL = "/models/smollm2-135m";
const ADAPTER = "octo-widgets-alice-v3";
const messages = [{ role: "user" as const, content: "File: a.ts\nR1 + x" }];

let adaptersDir: string;
let servers: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  adaptersDir = await mkdtemp(join(tmpdir(), "adapters-"));
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  await rm(adaptersDir, { recursive: true, force: true });
});

async function publishAdapter(name: string): Promise<void> {
  await mkdir(join(adaptersDir, name));
  await writeFile(join(adaptersDir, name, "adapter_config.json"), JSON.stringify({ r: 8 }));
}

async function startVllm(runtimeLoraUpdating = true) {
  const server = await startFakeOpenAiServer(() => ({ text: "R1: Why?" }), {
    baseModel: BASE_MODEL,
    runtimeLoraUpdating,
  });
  servers.push(server);
  return server;
}

function clientFor(baseUrl: string, options: { withoutAdaptersDir?: boolean } = {}) {
  return createLlmClient({
    baseUrl,
    apiKey: "not-needed",
    timeoutMs: 5_000,
    maxRetries: 2,
    adaptersDir: options.withoutAdaptersDir ? undefined : adaptersDir,
  });
}

describe("an adapter vLLM does not know yet", () => {
  it("is loaded from ADAPTERS_DIR once, however many hunks ask at once, and the hunks answered", async () => {
    await publishAdapter(ADAPTER);
    const vllm = await startVllm();
    const client = clientFor(vllm.baseUrl);

    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        askModelForHunk({ client, model: ADAPTER, messages, maxTokens: 8 }),
      ),
    );

    expect(answers.map((answer) => answer.text)).toEqual(Array(5).fill("R1: Why?"));
    expect(vllm.loadRequests).toEqual([
      { lora_name: ADAPTER, lora_path: join(adaptersDir, ADAPTER) },
    ]);
    // Five refused, then five answered; a later hunk goes straight through.
    expect(vllm.requests).toHaveLength(10);
    await askModelForHunk({ client, model: ADAPTER, messages, maxTokens: 8 });
    expect(vllm.loadRequests).toHaveLength(1);
    expect(vllm.requests).toHaveLength(11);
  });

  it("counts an adapter another process loaded meanwhile as loaded (same name, same weights)", async () => {
    await publishAdapter(ADAPTER);
    const vllm = await startVllm();
    // Another bot process has loaded it, and this one still holds vLLM's 404 in hand: its own
    // load gets "already been loaded", which must not fail the hunk.
    await askModelForHunk({
      client: clientFor(vllm.baseUrl),
      model: ADAPTER,
      messages,
      maxTokens: 8,
    });
    const stale = clientFor(vllm.baseUrl);
    const response = await fetch(`${vllm.baseUrl}/load_lora_adapter`, {
      method: "POST",
      body: JSON.stringify({ lora_name: ADAPTER, lora_path: join(adaptersDir, ADAPTER) }),
    });
    expect(response.status).toBe(400);
    await expect(
      askModelForHunk({ client: stale, model: ADAPTER, messages, maxTokens: 8 }),
    ).resolves.toMatchObject({ text: "R1: Why?" });
  });

  it("fails with vLLM's reason and the path when the adapter folder is not there", async () => {
    const vllm = await startVllm();
    await expect(
      askModelForHunk({ client: clientFor(vllm.baseUrl), model: ADAPTER, messages, maxTokens: 8 }),
    ).rejects.toThrow(
      new RegExp(
        `refused to load adapter "${ADAPTER}" .*No adapter found for ${join(adaptersDir, ADAPTER)}`,
      ),
    );
    // Not retried: a missing folder does not appear by asking again.
    expect(vllm.requests).toHaveLength(1);
    expect(vllm.loadRequests).toHaveLength(1);
  });

  it("says to set ADAPTERS_DIR when the bot does not know where adapters are", async () => {
    const vllm = await startVllm();
    await expect(
      askModelForHunk({
        client: clientFor(vllm.baseUrl, { withoutAdaptersDir: true }),
        model: ADAPTER,
        messages,
        maxTokens: 8,
      }),
    ).rejects.toThrow(/set ADAPTERS_DIR to the folder vLLM reads adapters from/);
    expect(vllm.loadRequests).toHaveLength(0);
  });

  it("says to start vLLM with VLLM_ALLOW_RUNTIME_LORA_UPDATING when it cannot load at run time", async () => {
    await publishAdapter(ADAPTER);
    const vllm = await startVllm(false);
    await expect(
      askModelForHunk({ client: clientFor(vllm.baseUrl), model: ADAPTER, messages, maxTokens: 8 }),
    ).rejects.toThrow(/VLLM_ALLOW_RUNTIME_LORA_UPDATING=true/);
  });

  it("never tries to load a name that is not a versioned adapter name", async () => {
    const vllm = await startVllm();
    await expect(
      askModelForHunk({
        client: clientFor(vllm.baseUrl),
        model: "meta-llama/Meta-Llama-3-8B-Instruct",
        messages,
        maxTokens: 8,
      }),
    ).rejects.toThrow(/does not exist/);
    expect(vllm.loadRequests).toHaveLength(0);
  });
});
