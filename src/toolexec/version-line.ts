// The `-V=full` answer: the tool's own identity line, then orchestrion's suffix. cmd/go hashes this
// line into every action ID, so a different suffix means different cache entries.
export function versionLine(toolOutput: string, suffix: string): string {
  return `${toolOutput.trim()}:${suffix}`;
}
