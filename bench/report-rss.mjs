// Preloaded into a measured process (node --import): at exit, write its peak RSS (MB) to
// the file named by LMI_BENCH_RSS_FILE, so the benchmark can report whole-process memory.
import { writeFileSync } from 'node:fs';

const file = process.env.LMI_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(Math.round(process.resourceUsage().maxRSS / 1024))));
