#!/usr/bin/env node
// The oclif CLI (every command but the hot toolexec path, which bin/orchestrion sends to the bundle).
import { execute } from '@oclif/core';
import { restoreUserMallocEnv } from './malloc-tuning.ts';

restoreUserMallocEnv();

await execute({ dir: import.meta.url });
