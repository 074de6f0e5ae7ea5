//go:build tools

// Package tools pins real Nex 0.x (tag 0.3.0-rc1) so scripts/setup.sh can build nex and nex-agent.
package tools

import (
	_ "github.com/synadia-io/nex/agent/cmd/nex-agent"
	_ "github.com/synadia-io/nex/nex"
)
