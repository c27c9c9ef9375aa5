/**
 * `npm run bench:feedback -- --history ../shared/data/secp256k1-review-history.jsonl.gz`
 *
 * Prints, for the real reviewers of a repository's history, how often their own top-level
 * comments were addressed before merge (the rate a perfect persona would earn; rules in
 * decideHumanAddressed), and the similarity distribution the suppression threshold was chosen
 * from. Last line: `reviewers=<n> human_addressed_rate_<login>=<x> ...` for the top three.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { measureSimilarity } from "../src/feedback/measure-similarity.js";
import { PRECEDENT_THRESHOLD, SUPPRESSION_THRESHOLD } from "../src/feedback/screen-candidates.js";
import {
  type HistoryPull,
  measureHumanAddressedRates,
} from "../src/history/measure-human-addressed-rate.js";

const { values } = parseArgs({ options: { history: { type: "string" } } });
if (!values.history) {
  process.stderr.write(
    "usage: npm run bench:feedback -- --history ../shared/data/secp256k1-review-history.jsonl.gz\n",
  );
  process.exit(2);
}
const raw = readFileSync(values.history);
const text = values.history.endsWith(".gz")
  ? gunzipSync(raw).toString("utf8")
  : raw.toString("utf8");
const pulls = text
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as HistoryPull);

const rates = measureHumanAddressedRates(pulls);
const similarity = measureSimilarity({
  pulls,
  thresholds: [0.2, 0.25, SUPPRESSION_THRESHOLD, 0.4, PRECEDENT_THRESHOLD],
});
const out = (line: string) => process.stdout.write(`${line}\n`);
out(
  `pull requests: ${pulls.length}, merged with final diff: ${pulls.filter((p) => p.merged_at && p.files).length}`,
);
for (const rate of rates.slice(0, 5)) {
  out(
    `${rate.login}: ${rate.topLevelComments} top-level comments, ${rate.decided} decidable, ${rate.addressed} addressed (${(rate.rate * 100).toFixed(1)}%)`,
  );
}
out(`similarity, unrelated pairs: ${JSON.stringify(similarity.unrelated)}`);
out(`similarity, same reviewer and review: ${JSON.stringify(similarity.sameReview)}`);
out(`thresholds: suppression ${SUPPRESSION_THRESHOLD}, precedent ${PRECEDENT_THRESHOLD}`);
const top = rates.slice(0, 3).map((rate) => `human_addressed_rate_${rate.login}=${rate.rate}`);
out(`reviewers=${rates.length} ${top.join(" ")}`);
