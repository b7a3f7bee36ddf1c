package main

import (
	"testing"
)

// Threads, futexes and the Go runtime under load, each compared with a
// native run.

// envWith is the test environment plus extra variables.
func envWith(extra ...string) []string {
	return append(append([]string(nil), testEnv...), extra...)
}

// compareNativeEnv is compareNative with the environment env for both
// runs.
func compareNativeEnv(t *testing.T, env []string, program string, args ...string) {
	t.Helper()
	native := runCmdEnv(t, env, "", program, args...)
	got := runCmdEnv(t, env, "", quartzBin, append([]string{"run", program}, args...)...)
	if got.stdout != native.stdout || got.code != native.code {
		t.Errorf("%s %q with %q:\nnative (exit %d):\n%s\nquartz (exit %d):\n%s\nquartz stderr:\n%s",
			program, args, env[len(testEnv):], native.code, native.stdout, got.code, got.stdout, got.stderr)
	}
}

// The pthreads guest: mutexes, condition variables, barriers, TLS,
// rwlocks, thread-specific data, cancellation, robust mutexes whose owner
// dies, built against each libc and linking.
func TestPthreads(t *testing.T) {
	for _, b := range []struct {
		name, out, cc string
		flags         []string
	}{
		{"glibc-static", "pthreads-glibc", "gcc", []string{"-static", "-O2", "-pthread"}},
		{"musl-static", "pthreads-musl", "musl-gcc", []string{"-static", "-O2"}},
		{"glibc-dynamic", "pthreads-dynamic", "gcc", []string{"-O2", "-pthread"}},
	} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			prog := build(t, b.out, b.cc, append(b.flags, guestSource("c/pthreads.c"))...)
			compareNative(t, prog)
		})
	}
}

// The futex guest: errors, timeouts (a 50ms FUTEX_WAIT times out, and
// not early), wake counts, requeueing, FUTEX_WAKE_OP, signals during
// waits.
func TestFutex(t *testing.T) {
	t.Run("glibc-static", func(t *testing.T) {
		t.Parallel()
		compareNative(t, build(t, "futex-glibc", "gcc", "-static", "-O2", "-pthread", guestSource("c/futex.c")))
	})
	t.Run("musl-static", func(t *testing.T) {
		t.Parallel()
		compareNative(t, build(t, "futex-musl", "musl-gcc", "-static", "-O2", guestSource("c/futex.c")))
	})
}

// The robust-list guest: what the kernel does with a dying thread's
// robust list, hand-made lists included (cycles, bad pointers, pending
// operations).
func TestFutexRobustList(t *testing.T) {
	compareNative(t, build(t, "robust-glibc", "gcc", "-static", "-O2", "-pthread", guestSource("c/robust.c")))
}

// The Go stress guest with the runtime's default GOMAXPROCS and with 2
// and 8, the environment the same natively and in quartz.
func TestGoStress(t *testing.T) {
	prog := build(t, "gostress", "go", guestSource("gostress"))
	for _, procs := range []string{"", "2", "8"} {
		name := "default"
		env := envWith()
		if procs != "" {
			name = "GOMAXPROCS=" + procs
			env = envWith("GOMAXPROCS=" + procs)
		}
		t.Run(name, func(t *testing.T) {
			compareNativeEnv(t, env, prog)
		})
	}
}

// The signalfd guest: blocked signals read as records, with readiness,
// SIGCHLD status, mask changes and errors.
func TestSignalfd(t *testing.T) {
	t.Run("glibc-static", func(t *testing.T) {
		t.Parallel()
		compareNative(t, build(t, "signalfd-glibc", "gcc", "-static", "-O2", guestSource("c/signalfd.c")))
	})
	t.Run("musl-static", func(t *testing.T) {
		t.Parallel()
		compareNative(t, build(t, "signalfd-musl", "musl-gcc", "-static", "-O2", guestSource("c/signalfd.c")))
	})
}
