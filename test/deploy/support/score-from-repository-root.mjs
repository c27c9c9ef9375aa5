// Stands in for `python3 -m trainer score` in the compiled scorer test: started by a path relative
// to the repository root, it runs only where `-m trainer` would find the package, and prints a
// score summary as the real scorer's last line.
process.stdout.write(
  `${JSON.stringify({ n: 0, n_bleu: 0, bleu: null, n_text: 0, chrf: null, rouge_l: null, embed_sim: null, embed_sim_floor: null })}\n`,
);
