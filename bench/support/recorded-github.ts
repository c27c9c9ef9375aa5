/**
 * The recorded GitHub (a review-history file served through GitHub's GraphQL and REST shapes)
 * for benches. The stand-ins live with the history tests today; this is the one place benches
 * import them from, so moving them changes one line here.
 */
export { startGithubStandIn } from "../../support/history/github-stand-in.js";
export {
  type RecordedPull,
  readRecordedHistory,
  recordedRepository,
} from "../../support/history/recorded-repository.js";
