package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The integration tests build quartz and the guest programs once, then run
// each guest natively and inside quartz and compare what comes out.

var (
	quartzBin string // the quartz command under test
	workDir   string // built guests
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "quartz-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workDir = dir
	quartzBin = filepath.Join(dir, "quartz")
	out, err := exec.Command("go", "build", "-o", quartzBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building quartz: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testEnv is the environment of every guest, native or not, so that the
// two runs see the same.
var testEnv = []string{"PATH=/usr/bin:/bin", "LANG=C", "PROBE_VAR=from-the-test"}

type result struct {
	stdout, stderr string
	code           int
}

func runCmd(t *testing.T, stdin string, name string, args ...string) result {
	t.Helper()
	return runCmdEnv(t, testEnv, stdin, name, args...)
}

func runCmdEnv(t *testing.T, env []string, stdin string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.Dir = workDir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		code := 0
		if errors.As(err, &ee) {
			code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code = 128 + int(ws.Signal()) // as a shell reports it
			}
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return result{out.String(), errb.String(), code}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %q did not finish in time; output so far:\n%s\n%s", name, args, out.String(), errb.String())
	}
	return result{}
}

// quartz runs the guest program with args inside quartz.
func quartz(t *testing.T, program string, args ...string) result {
	t.Helper()
	return runCmd(t, "", quartzBin, append([]string{"run", program}, args...)...)
}

// compareNative runs program natively and inside quartz and requires the
// same standard output and exit status.
func compareNative(t *testing.T, program string, args ...string) {
	t.Helper()
	native := runCmd(t, "", program, args...)
	got := quartz(t, program, args...)
	if got.stdout != native.stdout || got.code != native.code {
		t.Errorf("%s %q:\nnative (exit %d):\n%s\nquartz (exit %d):\n%s\nquartz stderr:\n%s",
			program, args, native.code, native.stdout, got.code, got.stdout, got.stderr)
	}
}

// build compiles a guest with the given command; the output file name is
// returned. A missing compiler fails the test: the README's test command
// installs every compiler the suite needs.
func build(t testing.TB, out string, name string, args ...string) string {
	t.Helper()
	path := filepath.Join(workDir, out)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	cmd := exec.Command(name, append(args, "-o", path)...)
	if name == "go" {
		cmd = exec.Command("go", "build", "-o", path, args[0])
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", out, err, b)
	}
	return path
}

func guestSource(rel string) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "guest", rel))
	if err != nil {
		panic(err)
	}
	return p
}

func TestStaticGlibcProgram(t *testing.T) {
	prog := build(t, "probe-glibc", "gcc", "-static", "-O2", "-pthread", guestSource("c/probe.c"))
	compareNative(t, prog)
	compareNative(t, prog, "one", "two words", "")
}

func TestStaticPIEProgram(t *testing.T) {
	prog := build(t, "probe-pie", "gcc", "-static-pie", "-O2", "-pthread", guestSource("c/probe.c"))
	compareNative(t, prog, "pie")
}

func TestStaticMuslProgram(t *testing.T) {
	prog := build(t, "probe-musl", "musl-gcc", "-static", "-O2", guestSource("c/probe.c"))
	compareNative(t, prog)
	compareNative(t, prog, "one", "two words")
}

func TestDynamicGlibcProgram(t *testing.T) {
	prog := build(t, "probe-dynamic", "gcc", "-O2", "-pthread", guestSource("c/probe.c"))
	compareNative(t, prog, "dyn")
}

func TestGoProgram(t *testing.T) {
	prog := build(t, "goprobe", "go", guestSource("goprobe"))
	compareNative(t, prog)
	compareNative(t, prog, "a", "b", "c")
}

func TestBusyboxApplets(t *testing.T) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Fatalf("busybox-static is needed (the README's test command installs it): %v", err)
	}
	for _, args := range [][]string{
		{"echo", "hello", "from busybox"},
		{"true"},
		{"false"},
		{"cat", "/etc/passwd"},
		{"wc", "/etc/passwd"},
		{"wc", "-l", "/etc/passwd", "/etc/group"},
		{"ls", "/"},
		{"ls", "-la", "/etc/apt"},
		{"ls", "/no/such/dir"},
		{"cat", "/no/such/file"},
	} {
		compareNative(t, bb, args...)
	}
}

func TestHostDynamicPrograms(t *testing.T) {
	compareNative(t, "/bin/true")
	compareNative(t, "/bin/false")
	compareNative(t, "/bin/echo", "dynamically", "linked")
	compareNative(t, "/bin/cat", "/etc/passwd", "/etc/group")
	compareNative(t, "/bin/cat", "/etc/nonexistent")
}

func TestStdinIsTheGuests(t *testing.T) {
	got := runCmd(t, "line one\nline two\n", quartzBin, "run", "/bin/cat")
	if got.stdout != "line one\nline two\n" || got.code != 0 {
		t.Fatalf("cat of stdin: %q exit %d, stderr %q", got.stdout, got.code, got.stderr)
	}
}

func TestDemoGuest(t *testing.T) {
	// The demo builds its guest with the go command: the real environment.
	got := runCmdEnv(t, os.Environ(), "", quartzBin)
	for _, want := range []string{
		"hello from a Go program inside Quartz",
		`args:       ["hello"]`,
		"pid:        1\n",
		"uname:      Linux quartz ",
		"goroutines: 100 started",
		"sum of squares 328350",
		"timer:      fired after >= 20ms: true",
	} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("demo output lacks %q:\n%s\nstderr:\n%s", want, got.stdout, got.stderr)
		}
	}
	if got.code != 0 {
		t.Errorf("demo exit %d", got.code)
	}
}
