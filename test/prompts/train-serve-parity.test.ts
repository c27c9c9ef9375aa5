import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildDataset } from "../../src/history/build-dataset.js";
import type { CleanComment } from "../../src/history/clean-comments.js";
import { keepSystemTurn } from "../../src/prompts/keep-system-turn.js";
import { augmentTrainingSet } from "../../src/retrieval/augment-training-set.js";
import { buildPrecedentIndex } from "../../src/retrieval/precedent-index.js";
import { buildModelMessages } from "../../src/review/build-model-messages.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";
import type { ReviewModel } from "../../src/review/review-model.js";

const templates = await loadReviewPrompts();
const subject = { owner: "bitcoin-core", repo: "secp256k1", reviewerLogin: "sipa" };

const comment = (id: string, pullNumber: number, day: number, target: string): CleanComment => ({
  id,
  pullNumber,
  path: "src/field_impl.h",
  diffHunk: [
    "@@ -10,4 +10,5 @@ static void secp256k1_fe_mul(secp256k1_fe *r) {",
    " secp256k1_fe_verify(a);",
    "-secp256k1_fe_normalize(r);",
    "+secp256k1_fe_normalize_var(r);",
    "+VERIFY_CHECK(r->magnitude <= 1);",
  ].join("\n"),
  side: "RIGHT",
  line: 11,
  createdAt: `2024-03-0${day}T12:00:00Z`,
  text: target,
  target,
});

/**
 * The trainer's rendering of a training chat and the chat template's rendering of what the
 * review sends (what vLLM applies), both with the real SmolLM2 tokenizer (trainer/tests).
 */
function renderWithTrainer(params: {
  train: { role: string; content: string }[];
  serve: { role: string; content: string }[];
  systemTurn: string;
}): { trainTokens: number[]; serveTokens: number[]; answer: string } {
  const script = [
    "import json, os, sys",
    "os.environ['HF_HUB_OFFLINE'] = '1'",
    "from transformers import AutoTokenizer",
    "from trainer.chatml_tokenizer import ChatMLTokenizer",
    "from trainer.cpu_budget import ChatMessage",
    "from trainer.tests.smollm2_run import prepared_smollm2",
    "job = json.load(sys.stdin)",
    "base = prepared_smollm2()",
    "trainer = ChatMLTokenizer(str(base / 'tokenizer.json'), system_turn=job['systemTurn'])",
    "train, mask = trainer.tokenize_messages([ChatMessage(m['role'], m['content']) for m in job['train']])",
    "serve = AutoTokenizer.from_pretrained(base).apply_chat_template(job['serve'], add_generation_prompt=True, tokenize=True)",
    "serve = serve['input_ids'] if hasattr(serve, 'keys') else serve",
    "answer = trainer.decode([t for t, masked in zip(train, mask) if not masked])",
    "print(json.dumps({'trainTokens': list(train), 'serveTokens': list(serve), 'answer': answer}))",
  ].join("\n");
  const stdout = execFileSync("sh", ["scripts/python.sh", "-c", script], {
    input: JSON.stringify(params),
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
}

describe("an adapter is asked exactly as it was trained, precedents included", () => {
  const comments = [
    comment("C1", 1, 1, "Use the _var variant only when the input is not secret."),
    comment("C2", 2, 2, "Add a VERIFY_CHECK on the magnitude."),
    comment("C3", 3, 3, "Why normalize here at all?"),
  ];
  const dataset = buildDataset({ templates, subject, comments, negatives: [], maxHunkLines: 40 });
  const { train } = augmentTrainingSet({
    examples: dataset,
    targets: new Map(comments.map((entry) => [entry.id, entry.target])),
    pullCreatedAt: new Map(),
    templates,
    reviewerLogin: subject.reviewerLogin,
    builtAt: "2024-03-04T00:00:00Z",
  });
  const last = train.at(-1);
  const lastSource = dataset.at(-1)?.source;
  if (!last || !lastSource) throw new Error("the dataset has examples");
  // Serving C3's hunk with the index as it stood before C3 was written (C1 and C2).
  const indexBefore = buildPrecedentIndex({
    comments: dataset.slice(0, 2).map((example, position) => ({
      id: example.source.commentId ?? "",
      pullNumber: example.pullNumber,
      path: example.source.path,
      createdAt: example.source.at ?? "",
      hunk: example.source.hunk,
      target: comments[position]?.target ?? "",
    })),
    builtAt: "2024-03-03T00:00:00Z",
  });
  const hunk = {
    ...lastSource.hunk,
    path: lastSource.path,
    oldPath: lastSource.path,
    indexInFile: 0,
  };
  const serve = (systemTurn: "full" | "first_paragraph") => {
    const model: ReviewModel = {
      kind: "adapter",
      name: "bitcoin-core-secp256k1-sipa-v1",
      version: 1,
      trainedOn: 3,
      systemTurn,
      precedents: indexBefore,
    };
    return buildModelMessages({
      templates,
      model,
      reviewerLogin: subject.reviewerLogin,
      repoFullName: "bitcoin-core/secp256k1",
      hunk,
    });
  };

  it.each(["full", "first_paragraph"] as const)(
    "sends the training example's turns (%s system turn, the Llama-3-8B and SmolLM2 profiles)",
    (systemTurn) => {
      const [system, user, answer] = last.chat.messages;
      expect(user.content).toContain("Add a VERIFY_CHECK on the magnitude.");
      expect(user.content).toContain("Use the _var variant only when the input is not secret.");
      expect(serve(systemTurn)).toEqual([
        { role: "system", content: keepSystemTurn(system.content, systemTurn) },
        { role: "user", content: user.content },
      ]);
      expect(answer.content).toBe("R11: Why normalize here at all?");
    },
  );

  it("renders to the same tokens in the trainer as the chat template vLLM applies", () => {
    const rendered = renderWithTrainer({
      train: last.chat.messages,
      serve: serve("first_paragraph"),
      systemTurn: "first_paragraph",
    });
    expect(rendered.serveTokens.length).toBeGreaterThan(100);
    expect(rendered.trainTokens.slice(0, rendered.serveTokens.length)).toEqual(
      rendered.serveTokens,
    );
    expect(rendered.answer).toBe("R11: Why normalize here at all?<|im_end|>");
  }, 120_000);
});
