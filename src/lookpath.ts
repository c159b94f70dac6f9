// Finding a program as execvp would: a name with a slash as given, else the first executable file
// of that name in the PATH's directories.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function lookPath(file: string, pathEnv = process.env.PATH): string | undefined {
  if (file.includes('/')) return file;
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', file);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
