// Stands in for `python3 -m trainer score` where a test needs figures fast and exactly
// reproducible: the same summary shape, computed from the pairs file it is given. The comment-where
// figures are the real ones (precision, recall, F1 over the labelled pairs); `embed_sim` is the share
// of compared pairs whose prediction equals the gold; `chrf` is a fingerprint of every prediction
// (any change of one text changes it), so two runs with equal figures read the same predictions.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const system = option("--system");
const pairs = readFileSync(option("--pairs"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line))
  .filter((pair) => system === undefined || pair.system === system);
const compared = pairs.filter((pair) => pair.pred !== "" && pair.gold !== "");
let fingerprint = 0;
for (const [index, pair] of pairs.entries()) {
  for (const char of `${index}:${pair.pred}`)
    fingerprint = (fingerprint * 31 + char.charCodeAt(0)) % 99991;
}
const labelled = pairs.filter((pair) => typeof pair.gold_commented === "boolean");
const both = labelled.filter((pair) => pair.gold_commented && pair.pred_commented).length;
const said = labelled.filter((pair) => pair.pred_commented).length;
const real = labelled.filter((pair) => pair.gold_commented).length;
const share = (part, whole) => (whole === 0 ? null : (100 * part) / whole);
const precision = share(both, said);
const recall = share(both, real);
process.stdout.write(
  `${JSON.stringify({
    n: pairs.length,
    n_bleu: 0,
    bleu: null,
    n_text: compared.length,
    chrf: fingerprint / 1000,
    rouge_l: null,
    embed_sim:
      compared.length === 0
        ? null
        : compared.filter((pair) => pair.pred === pair.gold).length / compared.length,
    embed_sim_floor: null,
    ...(labelled.length === 0
      ? {}
      : {
          n_labelled: labelled.length,
          comment_precision: precision,
          comment_recall: recall,
          comment_f1:
            precision === null || recall === null || precision + recall === 0
              ? 0
              : (2 * precision * recall) / (precision + recall),
        }),
  })}\n`,
);
