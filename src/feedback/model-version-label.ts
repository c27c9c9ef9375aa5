import type { ReviewModel } from "../review/review-model.js";

/** How a persona's comments are grouped by model: "v3" for adapter version 3, else "few-shot". */
export function modelVersionLabel(model: ReviewModel): string {
  return model.kind === "adapter" ? `v${model.version}` : "few-shot";
}
