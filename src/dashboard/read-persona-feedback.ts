/** What happened to a persona's comments (see DESIGN.md, "What happens after a review"). */
export interface PersonaFeedback {
  addressed: number;
  resolved: number;
  thumbsUp: number;
  thumbsDown: number;
  /** Comments posted, the denominator of the figures above. */
  posted: number;
}

/**
 * Reads a persona's feedback figures, or undefined when none are recorded. The feedback stage
 * (issue 14) owns these figures; until it is merged the dashboard's default reader finds none.
 * Swap the reader passed to the dashboard for the feedback module's own function.
 */
export type PersonaFeedbackReader = (subject: {
  owner: string;
  repo: string;
  reviewerLogin: string;
}) => Promise<PersonaFeedback | undefined>;

/** The reader used until the feedback stage provides one: no figures recorded anywhere yet. */
export const readNoPersonaFeedback: PersonaFeedbackReader = async () => undefined;
