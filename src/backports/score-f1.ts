/** Precision, recall and F1 of "backported" predictions (0 where undefined). */
export interface BinaryScores {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  predictedPositives: number;
  actualPositives: number;
}

/** Scores predictions against the truth, element by element. */
export function scoreF1(predicted: boolean[], actual: boolean[]): BinaryScores {
  let truePositives = 0;
  let predictedPositives = 0;
  let actualPositives = 0;
  for (const [index, guess] of predicted.entries()) {
    const truth = actual[index] === true;
    if (guess) predictedPositives += 1;
    if (truth) actualPositives += 1;
    if (guess && truth) truePositives += 1;
  }
  const precision = predictedPositives === 0 ? 0 : truePositives / predictedPositives;
  const recall = actualPositives === 0 ? 0 : truePositives / actualPositives;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePositives, predictedPositives, actualPositives };
}
