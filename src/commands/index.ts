// Explicit command table: oclif loads this one module instead of scanning a directory.
import CacheProg from './cacheprog.ts';
import Diff from './diff.ts';
import Go from './go.ts';
import Golden from './golden.ts';
import Help from './help.ts';
import Instrument from './instrument.ts';
import Lint from './lint.ts';
import Pin from './pin.ts';
import Server from './server.ts';
import Toolexec from './toolexec.ts';
import Version from './version.ts';

export const COMMANDS = {
  cacheprog: CacheProg,
  diff: Diff,
  go: Go,
  golden: Golden,
  help: Help,
  instrument: Instrument,
  lint: Lint,
  pin: Pin,
  server: Server,
  toolexec: Toolexec,
  version: Version,
};
