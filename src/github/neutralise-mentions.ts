/**
 * Stops `@name` and `@org/team` in text we post from notifying anyone: a zero-width joiner
 * after the `@` keeps the text readable while GitHub no longer sees a mention.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, "@\u200d");
}
