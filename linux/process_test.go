package linux

import (
	"os"
	"os/exec"
	"testing"

	"quartz/hal"
	"quartz/hal/ptrace"
)

// TestProcessesReleased runs a shell that forks, vforks, execs and leaves
// children behind, several times in one kernel, and requires every frame,
// process and thread to be gone after each run.
func TestProcessesReleased(t *testing.T) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Fatalf("busybox-static is needed: %v", err)
	}
	mem, err := hal.NewPhysMem(2 << 30)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	platform, err := ptrace.New(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer platform.Close()
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	k, err := NewKernel(Config{Platform: platform, Root: "/", Stdin: null, Stdout: null, Stderr: null})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	start := k.Frames().Used()
	script := "for i in 1 2 3; do (exit $i); /bin/true; done; sleep 30 & sh -c 'sleep 30 & exit 0'; exit 4"
	for run := 0; run < 5; run++ {
		status, err := k.Run(bb, []string{"sh", "-c", script}, nil)
		if err != nil || status.ShellCode() != 4 {
			t.Fatalf("run %d: status %+v, %v", run, status, err)
		}
		// The page cache keeps the programs' pages: drop it, as
		// drop_caches would, before counting.
		k.DropCaches()
		if used := k.Frames().Used(); used != start {
			t.Fatalf("run %d: %d frames in use after the run, %d before", run, used, start)
		}
		k.tree.mu.Lock()
		procs, tasks := len(k.tree.procs), len(k.tree.tasks)
		k.tree.mu.Unlock()
		if procs != 0 || tasks != 0 {
			t.Fatalf("run %d: %d processes and %d threads left", run, procs, tasks)
		}
	}
}
