import fs from 'node:fs';
import os from 'node:os';
import type { Machine } from './types.ts';

/** cgroup v2 (or v1) memory limit of this process, when there is a finite one. */
function memoryLimit(): number | null {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      const n = Number(text);
      if (Number.isFinite(n) && n > 0 && n < os.totalmem()) return n;
    } catch {
      // Not on this system.
    }
  }
  return null;
}

export function describeMachine(): Machine {
  return {
    cpus: os.availableParallelism(),
    cpuModel: (os.cpus()[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim(),
    memoryBytes: os.totalmem(),
    memoryLimitBytes: memoryLimit(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** CPU ticks of the whole machine and of this process and its reaped children (Linux /proc). */
export interface CpuSnapshot {
  busy: number;
  total: number;
  ours: number;
}

export function cpuSnapshot(): CpuSnapshot | null {
  try {
    const cpu = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const idle = cpu[3]! + cpu[4]!;
    const self = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = self
      .slice(self.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // utime, stime, cutime, cstime: fields 14-17 of proc(5), 11-14 after the command name.
    const ours = f[11]! + f[12]! + f[13]! + f[14]!;
    if (![total, idle, ours].every(Number.isFinite)) return null;
    return { busy: total - idle, total, ours };
  } catch {
    return null;
  }
}

/**
 * CPUs kept busy on average by everything but this benchmark (its children included) between two
 * snapshots: other work on the machine that competed with the timings. Null off Linux.
 */
export function otherLoad(a: CpuSnapshot | null, b: CpuSnapshot | null): number | null {
  if (a === null || b === null || b.total <= a.total) return null;
  const cpus = os.cpus().length;
  const other = b.busy - a.busy - (b.ours - a.ours);
  return Math.max(0, (other / (b.total - a.total)) * cpus);
}
