// Debug log: JSON lines appended to $ORCHESTRION_LOG_FILE (`$PID` expands to the process id).
// Off unless the variable is set; tests read it to count what reached the job server.
import * as fs from 'node:fs';

const file = process.env.ORCHESTRION_LOG_FILE?.replaceAll('$PID', String(process.pid));

export function logEvent(event: string, fields: Record<string, unknown> = {}): void {
  if (!file) return;
  try {
    fs.appendFileSync(file, JSON.stringify({ time: new Date().toISOString(), pid: process.pid, rssMiB: process.memoryUsage.rss() >> 20, event, ...fields }) + '\n');
  } catch {
    // logging must never fail a build
  }
}
