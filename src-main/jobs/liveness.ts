import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a job's worker process is alive, decided by the process itself and never by how
 * recently it wrote progress: the heartbeat is for progress only. A worker is known by its PID
 * and, where the OS tells, its start time (Linux: /proc/<pid>/stat field 22, clock ticks after
 * boot), stored with its claim, so a recycled PID is not taken for the worker that died.
 *
 * On Linux a worker counts as dead the moment it cannot run another instruction of its own:
 * - no /proc entry (reaped), or state Z (zombie: killed, not yet reaped by its parent — what
 *   `process.kill(pid, 0)` still answers "alive" for) or X (being torn down);
 * - PF_EXITING in its flags (stat field 9): it is inside the kernel's exit path;
 * - SIGKILL or SIGTERM pending for the process (/proc/<pid>/status ShdPnd), or SIGKILL for any of
 *   its threads (task/<tid>/status SigPnd: a group exit sends every thread SIGKILL): SIGKILL
 *   cannot be caught and a worker installs no SIGTERM handler, so Node's default ends it. Until
 *   the kernel has scheduled it to die (measured: up to 10 ms for SIGTERM on a busy process) it
 *   shows as running, and `kill -9 PID; tppw runs resume ID` must not lose that race. (Once a
 *   thread has taken a SIGTERM, some microseconds pass before the exit shows: `recoverJob`, which
 *   resume uses, looks again for a moment.)
 * Elsewhere `process.kill(pid, 0)` is the portable fallback (EPERM: exists, not ours to signal).
 */
export interface WorkerIdentity {
  readonly pid: number;
  /** The process start time as the OS reports it; null where it cannot be read. */
  readonly startedAt: string | null;
}

const PF_EXITING = 0x4;
// Pending-signal masks hold signal n at bit n − 1.
const SIGKILL = 1n << 8n;
const SIGTERM = 1n << 14n;

interface ProcStat {
  readonly state: string;
  readonly flags: number;
  readonly startTicks: string;
}

/** /proc/<pid>/stat parsed; undefined when there is no such process (or no /proc). Field 2, the
 * command name, is in parentheses and may itself hold spaces and parentheses: fields are counted
 * from the last ')' (proc(5): state is field 3, flags 9, starttime 22). */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, flags, startTicks] = [fields[0], fields[9 - 3], fields[22 - 3]];
  if (state === undefined || flags === undefined || startTicks === undefined) return undefined;
  return { state, flags: Number(flags), startTicks };
}

/** Whether SIGKILL or SIGTERM waits for the process, or SIGKILL for one of its threads. */
function fatalSignalPending(pid: number): boolean {
  const pending = (file: string, field: 'ShdPnd' | 'SigPnd', mask: bigint): boolean => {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      return false; // This thread ended in the meantime; the others answer.
    }
    const m = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'im').exec(text);
    return m !== null && (BigInt(`0x${m[1]!}`) & mask) !== 0n;
  };
  if (pending(`/proc/${pid}/status`, 'ShdPnd', SIGKILL | SIGTERM)) return true;
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return true; // Gone since its stat was read.
  }
  return threads.some((tid) => pending(`/proc/${pid}/task/${tid}/status`, 'SigPnd', SIGKILL | SIGTERM));
}

const hasProc = ((): boolean => {
  try {
    return process.platform === 'linux' && procStat(process.pid) !== undefined;
  } catch {
    return false;
  }
})();

/** The start time of process `pid` (Linux), or null where the OS does not tell. */
export function processStartTime(pid: number): string | null {
  return hasProc ? (procStat(pid)?.startTicks ?? null) : null;
}

/** This process as a worker identity, to store with a claim. */
export function currentWorker(): WorkerIdentity {
  return { pid: process.pid, startedAt: processStartTime(process.pid) };
}

export function workerAlive(worker: WorkerIdentity): boolean {
  if (!hasProc) return signalZeroAlive(worker.pid);
  const stat = procStat(worker.pid);
  if (stat === undefined) return false;
  if (worker.startedAt !== null && stat.startTicks !== worker.startedAt) return false; // PID reused
  if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return false;
  if ((stat.flags & PF_EXITING) !== 0) return false;
  return !fatalSignalPending(worker.pid);
}

/** Whether a process exists (signal 0 tests without signalling). */
function signalZeroAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
