package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// tmuxSession is a terminal, driven the way a person would: keys typed,
// the screen read.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func (s *tmuxSession) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	return string(out), err
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...); err != nil {
		s.t.Fatalf("send-keys %q: %v: %s", keys, err, out)
	}
}

func (s *tmuxSession) screen() string {
	out, _ := s.tmux("capture-pane", "-p", "-t", s.name)
	return out
}

// waitFor waits until the screen shows want; the deadline is generous
// (machines are shared) and only a hang reaches it.
func (s *tmuxSession) waitFor(want string) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(s.screen(), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("the screen never showed %q; it shows:\n%s", want, s.screen())
}

// TestInteractiveShell runs busybox sh in Quartz on a terminal (tmux):
// commands typed run and print, the prompt comes back, Ctrl-C interrupts
// a running sleep (status 130) but not the shell, and exit ends quartz.
func TestInteractiveShell(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is needed (test.sh installs it): %v", err)
	}
	s := &tmuxSession{t: t, socket: fmt.Sprintf("quartz-test-%d", os.Getpid()), name: "sh"}
	defer s.tmux("kill-server")
	dir := t.TempDir()
	done := dir + "/done"
	script := dir + "/start.sh"
	// The terminal's Ctrl-C reaches this script too (quartz runs in its
	// process group): the trap keeps it alive to report quartz's status.
	body := fmt.Sprintf("#!/bin/sh\ntrap : INT\nPS1='qz$ ' %s run /bin/busybox sh\necho $? > %s\n", quartzBin, done)
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := s.tmux("new-session", "-d", "-s", s.name, "-x", "100", "-y", "30", script); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	s.waitFor("qz$") // capture-pane drops the trailing space
	s.keys("echo hello-$((6*7))", "Enter")
	s.waitFor("hello-42")
	s.keys("tty -s && echo on-a-$((1+1))-tty; tty", "Enter")
	s.waitFor("on-a-2-tty")
	s.waitFor("/dev/pts/") // ttyname finds the host terminal

	start := time.Now()
	s.keys("sleep 60", "Enter")
	time.Sleep(500 * time.Millisecond)
	s.keys("C-c")
	s.keys("echo status-$?", "Enter")
	s.waitFor("status-130")
	if time.Since(start) > 50*time.Second {
		t.Error("Ctrl-C did not stop the sleep")
	}

	s.keys("exit 7", "Enter")
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(done); err == nil {
			if got := strings.TrimSpace(string(b)); got != "7" {
				t.Errorf("quartz exited with %s, want the shell's 7", got)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("quartz did not exit; the screen shows:\n%s", s.screen())
}
