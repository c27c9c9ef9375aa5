import { parseArgs } from "node:util";
import { loadBackportPrompts } from "../src/backports/ask-llm-for-verdict.js";
import { backportsLlmConfigSchema } from "../src/backports/backports-llm-config.js";
import { backportsWorkerConfigSchema } from "../src/backports/backports-worker-config.js";
import { readCommitsFile } from "../src/backports/commits-file.js";
import { createBenchLlm } from "../src/backports/create-bench-llm.js";
import { describeFailure } from "../src/backports/describe-failure.js";
import { fitVerdictModel, learnerCommand } from "../src/backports/fit-verdict-model.js";
import { type BenchJudgement, runBackportsBench } from "../src/backports/run-backports-bench.js";
import { scoreF1 } from "../src/backports/score-f1.js";
import { parseEnv } from "../src/config/parse-env.js";

// `npm run bench:backports -- --commits <file.jsonl.gz> [--slices 5] [--wait-days 14] [--llm]`
const USAGE = `Usage: npm run bench:backports -- --commits <file.jsonl.gz> [--slices <n>] [--wait-days <days>]
         [--llm [--model <name>]]

Judges every commit of the file in time order: the commits are cut into --slices (at least 4,
default 5) consecutive slices, and slice k is judged by a model fitted only on the commits that
landed before it, with the labels known then (the first slice, without history, by the keyword
rule). Prints one line per commit, one per slice, the baselines, then the scores. --llm adds the
LLM's own verdict as a column (LLM_BASE_URL, LLM_API_KEY, BASE_MODEL_NAME or --model).
`;

const fixed = (value: number) => value.toFixed(3);
const mark = (value: boolean) => (value ? "B" : "-");

function describeJudgement(judgement: BenchJudgement): string {
  const p = judgement.pBackport === null ? "  n/a" : judgement.pBackport.toFixed(3);
  return [
    `slice=${judgement.slice}`,
    judgement.record.sha.slice(0, 10),
    judgement.record.stable_branch,
    `actual=${mark(judgement.actual)}`,
    `model=${judgement.model.padEnd(4)} p=${p}`,
    `keyword=${mark(judgement.keyword)}`,
    `bugfix=${mark(judgement.bugfix)}`,
    ...(judgement.llm ? [`llm=${judgement.llm.padEnd(9)}`] : []),
    judgement.record.subject.slice(0, 100),
  ].join(" ");
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
};

/** How late the found and the missed backports were picked: the reading of the errors starts here. */
function describeMisses(judgements: BenchJudgement[]): string {
  const describe = (name: string, group: BenchJudgement[]) => {
    const days = group.map((judgement) => judgement.record.days_to_backport ?? 0);
    const late = days.filter((value) => value > 90).length;
    return `${name}=${group.length} (median ${median(days).toFixed(1)} days to backport, ${group.length === 0 ? 0 : Math.round((100 * late) / group.length)}% after 90 days)`;
  };
  const backported = judgements.filter((judgement) => judgement.actual);
  const falseYes = judgements.filter((judgement) => !judgement.actual && judgement.model !== "no");
  return `learned slices: ${describe(
    "found",
    backported.filter((judgement) => judgement.model !== "no"),
  )}, ${describe(
    "missed",
    backported.filter((judgement) => judgement.model === "no"),
  )}, false_yes=${falseYes.length}`;
}

try {
  const { values } = parseArgs({
    options: {
      commits: { type: "string" },
      slices: { type: "string", default: "5" },
      "wait-days": { type: "string", default: "14" },
      llm: { type: "boolean", default: false },
      model: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help || !values.commits) {
    process.stdout.write(USAGE);
    if (!values.help) process.exitCode = 2;
  } else {
    const sliceCount = Number(values.slices);
    if (!Number.isInteger(sliceCount) || sliceCount < 4) {
      throw new Error(`--slices must be a whole number of at least 4, got "${values.slices}"`);
    }
    const waitDays = Number(values["wait-days"]);
    if (!(waitDays >= 0)) {
      throw new Error(`--wait-days must be a number of days, got "${values["wait-days"]}"`);
    }
    const records = await readCommitsFile(values.commits);
    const config = {
      llm: parseEnv(backportsLlmConfigSchema, process.env),
      python: parseEnv(backportsWorkerConfigSchema.pick({ BACKPORTS_PYTHON: true }), process.env)
        .BACKPORTS_PYTHON,
    };
    const askLlm = values.llm
      ? createBenchLlm({
          config: config.llm,
          model: values.model,
          prompts: await loadBackportPrompts(),
        })
      : undefined;
    const result = await runBackportsBench({
      records,
      sliceCount,
      waitDays,
      fit: (rows) => fitVerdictModel({ rows, command: learnerCommand(config.python) }),
      ...(askLlm ? { askLlm } : {}),
      onSlice: (slice) =>
        process.stderr.write(`slice ${slice.index}: ${slice.commits} commits judged\n`),
    });
    for (const judgement of result.judgements) {
      process.stdout.write(`${describeJudgement(judgement)}\n`);
    }
    for (const slice of result.slices) {
      const judged = result.judgements.filter((judgement) => judgement.slice === slice.index);
      const actual = judged.map((judgement) => judgement.actual);
      const model = scoreF1(
        judged.map((judgement) => judgement.model !== "no"),
        actual,
      );
      const keyword = scoreF1(
        judged.map((judgement) => judgement.keyword),
        actual,
      );
      const bugfix = scoreF1(
        judged.map((judgement) => judgement.bugfix),
        actual,
      );
      process.stdout.write(
        `slice ${slice.index}: ${slice.from}..${slice.to} commits=${slice.commits} backported=${model.actualPositives} ` +
          `${slice.learned ? `model trained on ${slice.trainedOn} earlier commits` : "no learned history: the keyword rule judges it"} ` +
          `f1_model=${fixed(model.f1)} (${model.truePositives}/${model.predictedPositives} right) f1_keyword=${fixed(keyword.f1)} f1_bugfix=${fixed(bugfix.f1)}\n`,
      );
    }
    const actual = result.judgements.map((judgement) => judgement.actual);
    const everything = scoreF1(
      actual.map(() => true),
      actual,
    );
    const learned = result.judgements.filter(
      (judgement) => result.slices[judgement.slice - 1]?.learned,
    );
    const modelLearned = scoreF1(
      learned.map((judgement) => judgement.model !== "no"),
      learned.map((judgement) => judgement.actual),
    );
    process.stdout.write(
      `baseline "backport everything": f1=${fixed(everything.f1)}; model over the slices with learned history only: f1=${fixed(modelLearned.f1)} precision=${fixed(modelLearned.precision)} recall=${fixed(modelLearned.recall)} (${learned.length} commits)\n`,
    );
    process.stdout.write(`${describeMisses(learned)}\n`);
    if (result.llm) {
      process.stdout.write(
        `f1_llm=${fixed(result.llm.f1)} precision_llm=${fixed(result.llm.precision)} recall_llm=${fixed(result.llm.recall)}\n`,
      );
    }
    const backported = actual.filter(Boolean).length;
    process.stdout.write(
      `commits=${result.judgements.length} backported=${backported} f1_model=${fixed(result.model.f1)} f1_keyword=${fixed(result.keyword.f1)} f1_bugfix=${fixed(result.bugfix.f1)} precision_model=${fixed(result.model.precision)} recall_model=${fixed(result.model.recall)}\n`,
    );
  }
} catch (error) {
  process.stderr.write(`bench:backports failed: ${describeFailure(error)}\n`);
  process.exitCode = 1;
}
