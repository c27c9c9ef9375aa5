// Stands in for a SCORER_COMMAND that runs but is not the scorer: no JSON summary at the end.
process.stdout.write("scored everything, trust me\n");
