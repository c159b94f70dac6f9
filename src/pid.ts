// Whether a process still exists: the test every owner record (job-server directories, pin's lock,
// the wasm build's temporary directories) is checked with. A low module: every layer may use it.

/** Whether a process `pid` exists (possibly another user's: kill answers EPERM then). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
