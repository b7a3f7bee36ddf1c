package main

import "testing"

// TestGoSystemCalls runs the gosys guest — os/exec and pipelines,
// os.Pipe, os/signal, file I/O under /tmp, filepath.WalkDir, flock —
// natively and inside quartz, from / with the scripts' environment, and
// requires the same output and status.
func TestGoSystemCalls(t *testing.T) {
	prog := build(t, "gosys", "go", guestSource("gosys"))
	native := runIn(t, "/", scriptEnv, prog)
	got := runIn(t, "/", scriptEnv, quartzBin, "run", prog)
	compareRuns(t, "gosys", native, got)
	if native.code != 0 {
		t.Errorf("gosys fails natively (exit %d):\n%s%s", native.code, native.stdout, native.stderr)
	}
}
