// Explicit command table: oclif loads this one module instead of scanning a directory.
import Go from './go.ts';
import Golden from './golden.ts';
import Toolexec from './toolexec.ts';
import Version from './version.ts';

export const COMMANDS = {
  go: Go,
  golden: Golden,
  toolexec: Toolexec,
  version: Version,
};
