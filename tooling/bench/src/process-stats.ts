// Resource use of a process by PID from /proc (Linux): resident set size and CPU time (user+system),
// so every system in a comparison is measured the same way from the outside.
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat utime/stime (getconf CLK_TCK is 100 on Linux x86-64). */
const CLK_TCK = 100;

export interface ProcSample {
  readonly rssBytes: number;
  /** Peak RSS so far (VmHWM). */
  readonly peakRssBytes: number;
  readonly cpuMs: number;
}

export function sampleProcess(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return m === null ? 0 : Number(m[1]) * 1024;
  };
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM'), cpuMs: ((utime + stime) * 1000) / CLK_TCK };
}
