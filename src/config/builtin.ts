// The configuration contributed by importing `github.com/DataDog/orchestrion` from
// orchestrion.tool.go (config.md §1.6): mark the build as instrumented, and record the version.
import type { Aspect } from '../wasm/api.ts';

export const ORCHESTRION_PKG = 'github.com/DataDog/orchestrion';
export const BUILTIN_FILE = '<built-in>';

export const BUILTIN_ASPECTS: Aspect[] = [
  {
    id: 'built.WithOrchestrion',
    'tracer-internal': true,
    'join-point': {
      'all-of': [
        { 'value-declaration': 'bool' },
        {
          'one-of': [
            { 'declaration-of': 'github.com/DataDog/orchestrion/runtime/built.WithOrchestrion' },
            { directive: 'orchestrion:enabled' },
            { directive: 'dd:orchestrion-enabled' },
          ],
        },
      ],
    },
    advice: [{ 'assign-value': { template: 'true' } }],
  },
  {
    id: 'built.WithOrchestrionVersion',
    'tracer-internal': true,
    'join-point': {
      'all-of': [
        { 'value-declaration': 'string' },
        {
          'one-of': [
            { 'declaration-of': 'github.com/DataDog/orchestrion/runtime/built.WithOrchestrionVersion' },
            { directive: 'orchestrion:version' },
          ],
        },
      ],
    },
    advice: [{ 'assign-value': { template: '{{ Version | printf "%q" }}' } }],
  },
];
