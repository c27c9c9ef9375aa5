import { readRecordedHistory } from "../../support/history/recorded-repository.js";
import { locateSharedData } from "../../support/locate-shared-data.js";
import { describeRecordedGitHub } from "./support/check-recorded-github.js";

/**
 * `npm run test:data`: the real review history of bitcoin-core/secp256k1 (../shared/data, not
 * copied into the repository), a small slice of it: pull requests opened in 2022 (40 of 464).
 */
describeRecordedGitHub({
  title: "the recorded GitHub, on secp256k1's real history",
  readPulls: () => readRecordedHistory(locateSharedData("data/secp256k1-review-history.jsonl.gz")),
  inSlice: (pull) => pull.created_at.startsWith("2022-"),
  reviewers: ["sipa", "jonasnick"],
});
