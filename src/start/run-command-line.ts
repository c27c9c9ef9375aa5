/**
 * The main of an `npm run` command: parses the arguments, prints the usage for --help or runs
 * the command. Any error, from the parse or the run, goes to `fail`, which writes what the user
 * reads on stderr and returns the exit code.
 */
export async function runCommandLine<Args extends { help: boolean }>(params: {
  parse: (argv: string[]) => Args;
  usage: string;
  run: (args: Args) => Promise<void>;
  fail: (error: unknown) => number;
}): Promise<void> {
  try {
    const args = params.parse(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(params.usage);
    } else {
      await params.run(args);
    }
  } catch (error) {
    process.exitCode = params.fail(error);
  }
}

/** A long command's progress line: on stderr, so that stdout holds only what the command says at the end. */
export function writeProgress(message: string): void {
  process.stderr.write(`${message}\n`);
}
