// Explicit command table: oclif loads this one module instead of scanning a directory.
import Go from './go.ts';
import Toolexec from './toolexec.ts';
import Version from './version.ts';

export const COMMANDS = {
  go: Go,
  toolexec: Toolexec,
  version: Version,
};
