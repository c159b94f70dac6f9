#!/usr/bin/env node
// The oclif CLI (every command but the hot toolexec path, which bin/orchestrion sends to the bundle).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
