// This file marks the module root for orchestrion: its orchestrion.yml, next to this file, holds the
// aspects applied to every package of the build.

//go:build tools

package tools
