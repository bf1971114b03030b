// Preloaded into the measured process (node -r): prints its peak resident set size in KB to
// stderr at exit, as the last line, so the benchmark needs no external tool.
process.on('exit', () => process.stderr.write(`\npeak-rss-kb ${process.resourceUsage().maxRSS}\n`));
