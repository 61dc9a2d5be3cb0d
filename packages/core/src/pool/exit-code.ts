/**
 * Python's exit code for a worker that ended: the code it exited with, or
 * minus the signal that ended it. Used by `Pool` (worker death errors) and
 * `Process` (`exitCode`).
 */
import type { HostExit } from './host-owner.js';

const signalNumbers: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/**
 * Python's exit code for a worker: the code it exited with, or minus the
 * signal that ended it; -15/-9 after `terminate()`/`kill()` even where the
 * runtime reports something else (a terminated worker thread reports 1).
 */
export function pythonExitCode(exit: HostExit): number {
  if (exit.signal) return -(signalNumbers[exit.signal] ?? 15);
  if (exit.stopReason === 'terminate' || exit.stopReason === 'grace') return -15;
  if (exit.stopReason === 'kill') return -9;
  if (exit.reportedCode !== null) return exit.reportedCode;
  return exit.code ?? 1;
}
