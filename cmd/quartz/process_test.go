package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestForkExec runs the process-model guest (fork, vfork, execve and its
// failures, wait statuses, orphans, process groups and sessions,
// SIGCHLD, kill to groups, pdeath signals, sigtimedwait) natively and in
// Quartz, built against glibc and musl.
func TestForkExec(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "noelf"), []byte("not a program\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "script"), []byte("#!/bin/sh\necho script says $1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	glibc := build(t, "forkexec-glibc", "gcc", "-static", "-O2", "-pthread", guestSource("c/forkexec.c"))
	compareNative(t, glibc, dir)
	musl := build(t, "forkexec-musl", "musl-gcc", "-static", "-O2", guestSource("c/forkexec.c"))
	compareNative(t, musl, dir)
	dynamic := build(t, "forkexec-dynamic", "gcc", "-O2", "-pthread", guestSource("c/forkexec.c"))
	compareNative(t, dynamic, dir)
}

func busybox(t *testing.T) string {
	t.Helper()
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Fatalf("busybox-static is needed (the README's test command installs it): %v", err)
	}
	return bb
}

// TestBusyboxShellProcesses runs shell command lines that start, wait
// for and signal processes.
//
// Pipelines and command substitution are not here yet: they need pipes.
func TestBusyboxShellProcesses(t *testing.T) {
	bb := busybox(t)
	for _, script := range []string{
		"echo a; (exit 3); echo $?; echo b",
		"for i in 1 2 3; do echo $i; done; /bin/true && echo ok; /bin/false || echo failed $?",
		"sleep 0.1 & wait $!; echo bg $?",
		"(exit 7) & wait $!; echo $?",
		"(exit 1) & (exit 2) & wait; echo all $?",
		"trap 'echo got usr1' USR1; kill -USR1 $$; echo after",
		"/bin/echo ext; busybox echo bb; sh -c 'exit 4'; echo $?",
		"sh -c 'kill -TERM $$'; echo $?",
		"sh -c 'kill -KILL $$'; echo $?",
		"sleep 10 & kill $!; wait $!; echo killed $?",
		"sleep 10 & p=$!; kill -STOP $p; kill -CONT $p; kill $p; wait $p; echo $?",
		"(echo sub; exit 2); echo $?",
		"/nonexistent/program; echo $?",
		"/etc/passwd; echo $?",
		"exec /bin/echo replaced; echo not reached",
		"exit 5",
	} {
		compareNative(t, bb, "sh", "-c", script)
	}
}

// TestRunEndsLeftoverProcesses: when the first process exits, the
// processes it leaves behind are killed and reaped, and quartz exits
// with the first process's status, leaving no stub process.
func TestRunEndsLeftoverProcesses(t *testing.T) {
	bb := busybox(t)
	cmd := exec.Command(quartzBin, "run", bb, "sh", "-c", "sleep 60 & sleep 60 & exit 3")
	cmd.Env = testEnv
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 3 {
		t.Fatalf("quartz: %v, want exit 3", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("quartz took %v: the background sleeps were waited for", d)
	}
	if left := children(pid); len(left) != 0 {
		for _, c := range left {
			if alive(c) {
				t.Errorf("process %d outlived quartz", c)
			}
		}
	}
}

// TestStraceExecve: --strace shows execve's arguments, read before the
// new program replaced the memory they were in, and the pid of the child
// that made the call.
func TestStraceExecve(t *testing.T) {
	bb := busybox(t)
	r := runCmd(t, "", quartzBin, "run", "--strace", bb, "sh", "-c", "/bin/true one two; exec /bin/echo hi")
	for _, want := range []string{
		`] execve("/bin/true", ["/bin/true", "one", "two"], 0x`,
		`execve("/bin/echo", ["/bin/echo", "hi"], 0x`,
		"wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = ",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--strace output lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.stdout != "hi\n" || r.code != 0 {
		t.Errorf("stdout %q exit %d", r.stdout, r.code)
	}
}
