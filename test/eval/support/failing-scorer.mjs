// Stands in for a scorer that crashes: a message on stderr and a non-zero exit.
process.stderr.write(
  "Traceback (most recent call last):\nMemoryError: embedding batch too large\n",
);
process.exit(3);
