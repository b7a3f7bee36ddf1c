package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// patched writes a copy of the host's /bin/true with edit applied.
func patched(t *testing.T, name string, edit func(b []byte) []byte) string {
	t.Helper()
	b, err := os.ReadFile("/bin/true")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, edit(b), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// oneLine requires stderr to be exactly one line mentioning want.
func oneLine(t *testing.T, r result, want string) {
	t.Helper()
	if strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q: want one line containing %q", r.stderr, want)
	}
}

func TestBadPrograms(t *testing.T) {
	text := filepath.Join(t.TempDir(), "text")
	os.WriteFile(text, []byte("just some text\n"), 0o755)
	noexec := filepath.Join(t.TempDir(), "noexec")
	os.WriteFile(noexec, []byte("\x7fELF"), 0o644)
	cases := []struct {
		name, program string
		status        int
		message       string
	}{
		{"missing", "/no/such/program", 127, "No such file or directory"},
		{"directory", "/etc", 126, "Permission denied"},
		{"not executable", noexec, 126, "Permission denied"},
		{"not an ELF", text, 126, "not an ELF"},
		{"32-bit", patched(t, "elf32", func(b []byte) []byte { b[4] = 1; return b }), 126, "wrong architecture"},
		{"arm64", patched(t, "arm64", func(b []byte) []byte { b[18], b[19] = 183, 0; return b }), 126, "wrong architecture"},
		{"truncated", patched(t, "truncated", func(b []byte) []byte { return b[:200] }), 126, "corrupt"},
		{"corrupt headers", patched(t, "corrupt", func(b []byte) []byte {
			copy(b[32:40], []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}) // e_phoff far past the end
			return b
		}), 126, "corrupt"},
		{"missing interpreter", patched(t, "nointerp", func(b []byte) []byte {
			return bytes.Replace(b, []byte("ld-linux-x86-64.so.2"), []byte("ld-linux-x86-64.so.X"), 1)
		}), 126, "ld-linux-x86-64.so.X"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := quartz(t, c.program)
			if r.code != c.status {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, c.status, r.stderr)
			}
			oneLine(t, r, c.message)
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"run"}, {"bogus"}, {"run", "--platform", "nope", "/bin/true"}, {"run", "--memory", "x", "/bin/true"}} {
		r := runCmd(t, "", quartzBin, args...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("quartz %q: exit %d stderr %q, want 2 and a message", args, r.code, r.stderr)
		}
	}
}

func TestUnimplementedSyscallIsENOSYS(t *testing.T) {
	prog := build(t, "enosys", "gcc", "-static", guestSource("c/enosys.c"))
	r := runCmd(t, "", quartzBin, "run", "--strace", prog)
	if r.code != 0 || r.stdout != "kexec_file_load: -1 Function not implemented\n" {
		t.Errorf("got %q exit %d", r.stdout, r.code)
	}
	if !strings.Contains(r.stderr, "kexec_file_load(") || !strings.Contains(r.stderr, "ENOSYS") {
		t.Errorf("--strace does not name the call and ENOSYS:\n%s", r.stderr)
	}
}

func TestStraceDecodes(t *testing.T) {
	r := runCmd(t, "", quartzBin, "run", "--strace", "/bin/cat", "/etc/hostname")
	for _, want := range []string{`openat(AT_FDCWD, "/etc/hostname", O_RDONLY`, "execve(", "exit_group(0)"} {
		if want == "execve(" {
			continue // the first program is loaded by quartz, not by execve
		}
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--strace output lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestSegfaultKillsOnlyTheGuest(t *testing.T) {
	prog := build(t, "segv", "gcc", "-static", guestSource("c/segv.c"))
	r := quartz(t, prog)
	if r.code != 139 {
		t.Errorf("exit %d, want 139", r.code)
	}
	oneLine(t, r, "Segmentation fault")
}

// children returns the pids whose parent is pid.
func children(pid int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			out = append(out, n)
		}
	}
	return out
}

func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(fields) > 0 && fields[0] != "Z" // a zombie is dead, awaiting its reaper
}

// TestKilledQuartzLeavesNothing kills quartz in the middle of a run and
// checks that no stub process survives it and no file is left behind.
func TestKilledQuartzLeavesNothing(t *testing.T) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Fatal("busybox-static is needed")
	}
	for _, c := range []struct {
		sig    syscall.Signal
		status int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}, {syscall.SIGKILL, -1}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			cmd := exec.Command(quartzBin, "run", bb, "sleep", "60")
			cmd.Env = append(testEnv, "TMPDIR="+tmp)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var stubs []int
			deadline := time.Now().Add(20 * time.Second)
			for len(stubs) == 0 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
				stubs = children(cmd.Process.Pid)
			}
			if len(stubs) == 0 {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("no stub process appeared")
			}
			time.Sleep(200 * time.Millisecond) // let the guest reach its sleep
			cmd.Process.Signal(c.sig)
			err := cmd.Wait()
			code := -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err == nil {
				code = 0
			}
			if code != c.status {
				t.Errorf("quartz exit %d after %v, want %d", code, c.sig, c.status)
			}
			deadline = time.Now().Add(10 * time.Second)
			for _, pid := range stubs {
				for alive(pid) && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				if alive(pid) {
					t.Errorf("stub %d outlived quartz", pid)
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("files left in TMPDIR: %v", left)
			}
		})
	}
}
