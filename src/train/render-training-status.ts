import type { TrainProgress } from "../../jobs/train-job.js";

const BAR_WIDTH = 20;

/** What the status comment says about one training job, for one run. */
export interface TrainingStatus {
  headline: string;
  details: string[];
}

/** `████░░░░ 40%` in a code span, so it renders in a monospace font. */
export function renderProgressBar(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * BAR_WIDTH);
  return `\`${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}\` ${Math.floor(clamped * 100)}%`;
}

/** "about 2 min", "about 40 s", "about 1 h 5 min". */
export function describeDuration(seconds: number): string {
  const rounded = Math.max(0, Math.round(seconds));
  if (rounded < 60) return `about ${rounded} s`;
  const minutes = Math.round(rounded / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The status of a run waiting for a training job, from the job's latest progress. */
export function renderTrainingStatus(params: {
  reviewerLogin: string;
  version: number;
  progress: TrainProgress;
}): TrainingStatus {
  const adapter = `\`${params.reviewerLogin}\`'s adapter (v${params.version})`;
  const { progress } = params;
  if (progress.phase === "started") {
    return {
      headline: `🏋️ A training worker started training ${adapter}.`,
      details: [progress.attempt > 1 ? `Attempt ${progress.attempt}.` : "Progress shows here."],
    };
  }
  if (progress.phase === "retrying") {
    return {
      headline: `⚠️ Training ${adapter} failed on attempt ${progress.attempt} of ${progress.maxAttempts}; it will be retried.`,
      details: [`What went wrong: ${progress.message}`],
    };
  }
  const figures = [
    progress.loss === null ? undefined : `loss ${progress.loss.toFixed(2)}`,
    // TorchTune counts only the tokens the loss reads (the comments), not the prompt's.
    progress.tokensPerSecond === null
      ? undefined
      : `${Math.round(progress.tokensPerSecond).toLocaleString("en-US")} learned tokens/s`,
    progress.etaSeconds === null ? undefined : `${describeDuration(progress.etaSeconds)} left`,
    progress.epochs ? describeEpochs(progress.epochs) : undefined,
  ].filter((figure) => figure !== undefined);
  return {
    headline: `🏋️ Training ${adapter}: step ${progress.step} of ${progress.totalSteps}.`,
    details: [
      renderProgressBar(progress.step / progress.totalSteps),
      ...(figures.length > 0 ? [figures.join(" · ")] : []),
      ...(progress.budget ? [describeBudget(progress.budget, progress.epochs?.planned)] : []),
    ],
  };
}

/** "0.4 of 1.3 epochs": how much of the reviewer's history the run has read, and will have. */
export function describeEpochs(epochs: { reached: number; planned?: number | undefined }): string {
  const one = (value: number) => value.toFixed(1);
  if (epochs.planned === undefined) return `${one(epochs.reached)} epochs`;
  return `${one(epochs.reached)} of ${one(epochs.planned)} epochs`;
}

/** The CPU profile's cap, so nobody waits for a full epoch that will not happen. */
function describeBudget(
  budget: { tokens: number; minutes: number },
  plannedEpochs?: number,
): string {
  const time = budget.minutes > 0 ? `${describeDuration(budget.minutes * 60)}, ` : "";
  const rest =
    plannedEpochs !== undefined && plannedEpochs >= 1
      ? "the whole history fits"
      : "older history waits for the next version";
  return `CPU training budget: ${time}at most ${budget.tokens.toLocaleString("en-US")} tokens; ${rest}.`;
}
