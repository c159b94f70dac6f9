//go:build tools

// The bazel-remote cache server the cacheprog tests run (test/bazel-remote.ts builds it from here).
package tools

import _ "github.com/buchgr/bazel-remote/v2"
