import type { RecordedPull } from "../../support/history/recorded-repository.js";
import { generateReviewHistory } from "../support/generate-review-history.js";
import { describeRecordedGitHub } from "./support/check-recorded-github.js";

// Two years of a generated history (the real one runs in `npm run test:data`), sliced to one.
const history: RecordedPull[] = generateReviewHistory({
  seed: 22,
  pulls: 80,
  from: "2021-01-04T10:00:00Z",
  reviewers: ["alice", "bob", "erin"],
  authors: ["carol", "dave", "alice", "bob"],
});

describeRecordedGitHub({
  title: "the recorded GitHub, on a generated history",
  readPulls: () => history,
  inSlice: (pull) => pull.created_at.startsWith("2022-"),
  reviewers: ["alice", "bob"],
});
