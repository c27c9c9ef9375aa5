/**
 * The recorded GitHub (a review-history file served through GitHub's GraphQL and REST shapes)
 * for benches: the stand-ins in support/history, imported from this one place.
 */
export { startGithubStandIn } from "../../support/history/github-stand-in.js";
export {
  type RecordedPull,
  readRecordedHistory,
  recordedRepository,
} from "../../support/history/recorded-repository.js";
