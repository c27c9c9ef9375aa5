import { type ParseArgsConfig, parseArgs } from "node:util";

/** A parsed command line of --options: the raw values and readers for the string options. */
export interface CommandLine {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** A string option's value (trimmed when the parse asked for it); undefined when absent or empty. */
  text(name: string): string | undefined;
  /** `text(name)`; a usage error "--name is required, e.g. --name <example>" when it is absent. */
  required(name: string, example: string): string;
  /** Throws the command's usage error with `message`. */
  fail(message: string): never;
}

/**
 * Parses the options of a command line (`npm run x -- --flag value`); positionals, unknown
 * options and missing values are refused.
 *
 * @param usageError the command's usage error (its entry point prints the message and the usage).
 * @param trim whether `text` trims values (a value of spaces then counts as absent).
 * @throws the usage error, with the parser's message and the parser's error as its cause.
 */
export function parseCommandLine(params: {
  argv: readonly string[];
  options: NonNullable<ParseArgsConfig["options"]>;
  usageError: new (message: string, options?: ErrorOptions) => Error;
  trim?: boolean;
}): CommandLine {
  const { usageError } = params;
  let values: CommandLine["values"];
  try {
    ({ values } = parseArgs({
      args: [...params.argv],
      options: params.options,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new usageError((error as Error).message, { cause: error });
  }
  const text = (name: string): string | undefined => {
    const raw = values[name];
    const value = typeof raw === "string" && params.trim ? raw.trim() : raw;
    return typeof value === "string" && value.length > 0 ? value : undefined;
  };
  const fail = (message: string): never => {
    throw new usageError(message);
  };
  const required = (name: string, example: string): string =>
    text(name) ?? fail(`--${name} is required, e.g. --${name} ${example}`);
  return { values, text, required, fail };
}
