// Preloaded into a measured child process (`node --import ./bench/support/peak-memory.mjs …`): on exit it
// writes the process's own peak resident set (VmHWM from /proc/self/status, else resourceUsage().maxRSS)
// in KiB, and its CPU seconds (user + system), as JSON to the file named by BALLOU_BENCH_PEAK_FILE, so the parent reads the run's peak, not its own.
import fs from 'node:fs';

const file = process.env.BALLOU_BENCH_PEAK_FILE;
if (file) {
  process.on('exit', () => {
    let kib = process.resourceUsage().maxRSS;
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      if (match) kib = Number(match[1]);
    } catch {
      // not Linux: maxRSS is the same figure
    }
    const cpu = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ peakKiB: kib, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  });
}
