import { parseArgs } from "node:util";
import { readCommitsFile } from "../src/backports/commits-file.js";
import { describeFailure } from "../src/backports/describe-failure.js";
import { fitVerdictModel } from "../src/backports/fit-verdict-model.js";
import { type BenchJudgement, runBackportsBench } from "../src/backports/run-backports-bench.js";

// `npm run bench:backports -- --commits <file.jsonl.gz> [--slices 5] [--wait-days 14]`
const USAGE = `Usage: npm run bench:backports -- --commits <file.jsonl.gz> [--slices <n>] [--wait-days <days>]

Judges every commit of the file in time order: the commits are cut into --slices (at least 4,
default 5) consecutive slices, and slice k is judged by a model fitted only on the commits that
landed before it. Prints one line per commit, one per slice, then the scores.
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
    judgement.record.subject.slice(0, 100),
  ].join(" ");
}

try {
  const { values } = parseArgs({
    options: {
      commits: { type: "string" },
      slices: { type: "string", default: "5" },
      "wait-days": { type: "string", default: "14" },
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
    if (!(waitDays >= 0))
      throw new Error(`--wait-days must be a number of days, got "${values["wait-days"]}"`);
    const records = await readCommitsFile(values.commits);
    const result = await runBackportsBench({
      records,
      sliceCount,
      waitDays,
      fit: (rows) => fitVerdictModel({ rows }),
      onSlice: (slice) =>
        process.stderr.write(`slice ${slice.index}: ${slice.commits} commits judged\n`),
    });
    for (const judgement of result.judgements)
      process.stdout.write(`${describeJudgement(judgement)}\n`);
    for (const slice of result.slices) {
      const judged = result.judgements.filter((judgement) => judgement.slice === slice.index);
      const sliceModel = judged.filter((j) => j.model !== "no");
      const hits = sliceModel.filter((j) => j.actual).length;
      const actual = judged.filter((j) => j.actual).length;
      process.stdout.write(
        `slice ${slice.index}: ${slice.from}..${slice.to} commits=${slice.commits} backported=${actual} ` +
          `${slice.learned ? `model trained on ${slice.trainedOn} earlier commits` : "no learned history: the keyword rule judges it"} ` +
          `model_yes=${sliceModel.length} model_hits=${hits}\n`,
      );
    }
    const backported = result.judgements.filter((judgement) => judgement.actual).length;
    process.stdout.write(
      `commits=${result.judgements.length} backported=${backported} f1_model=${fixed(result.model.f1)} f1_keyword=${fixed(result.keyword.f1)} f1_bugfix=${fixed(result.bugfix.f1)} precision_model=${fixed(result.model.precision)} recall_model=${fixed(result.model.recall)}\n`,
    );
  }
} catch (error) {
  process.stderr.write(`bench:backports failed: ${describeFailure(error)}\n`);
  process.exitCode = 1;
}
