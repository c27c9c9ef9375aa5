const placeholderPattern = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

/**
 * Replaces every `{{name}}` in a template with its value. Values are inserted verbatim and not
 * scanned again, so a diff that happens to contain `{{path}}` stays as it is.
 *
 * @throws Error naming the placeholder when the template uses one that has no value.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(placeholderPattern, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(
        `Prompt template uses {{${name}}} but no value was given for it (known: ${Object.keys(values).join(", ")})`,
      );
    }
    return value;
  });
}
