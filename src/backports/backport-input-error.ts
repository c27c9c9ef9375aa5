/** Input the backport tools cannot work with; the message names the flag or branch and the fix. */
export class BackportInputError extends Error {
  override name = "BackportInputError";
}
