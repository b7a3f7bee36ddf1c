package linux

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"quartz/hal"
	"quartz/hal/ptrace"
)

// TestMemoryReturnedAcrossRuns runs the Go stress guest (10k goroutines,
// 1 GiB allocated in total) twenty times in one kernel and requires the
// frames in use to come back to where they started after every run: every
// page a guest had is freed when it exits.
func TestMemoryReturnedAcrossRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 1 GiB guest twenty times")
	}
	bin := filepath.Join(t.TempDir(), "gostress")
	build := exec.Command("go", "build", "-o", bin, "../guest/gostress")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the guest: %v\n%s", err, out)
	}
	mem, err := hal.NewPhysMem(8 << 30)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	platform, err := ptrace.New(mem)
	if err != nil {
		t.Fatal(err)
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	out, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	k, err := NewKernel(Config{Platform: platform, Root: "/", Stdin: null, Stdout: out, Stderr: out})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	start := k.Frames().Used()
	for run := 0; run < 20; run++ {
		out.Truncate(0)
		out.Seek(0, 0)
		status, err := k.Run(bin, []string{"gostress"}, []string{"GOMAXPROCS=2"})
		if err != nil || status.ShellCode() != 0 {
			text, _ := os.ReadFile(out.Name())
			t.Fatalf("run %d: status %+v, %v; output:\n%s", run, status, err, text)
		}
		// The page cache keeps the program's pages: drop it, as
		// drop_caches would, before counting.
		k.DropCaches()
		if used := k.Frames().Used(); used != start {
			t.Fatalf("run %d: %d frames in use after the guest exited, %d before", run, used, start)
		}
	}
}
