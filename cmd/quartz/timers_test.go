package main

import "testing"

// TestTimers runs the timers guest (alarm, the interval timers, POSIX
// timers with their signals, overruns and errors, timers across fork and
// execve, and sleeps that signals interrupt) natively and in Quartz,
// built against each libc and linking.
func TestTimers(t *testing.T) {
	for _, b := range []struct {
		name, out, cc string
		flags         []string
	}{
		{"glibc-static", "timers-glibc", "gcc", []string{"-static", "-O2", "-pthread"}},
		{"musl-static", "timers-musl", "musl-gcc", []string{"-static", "-O2"}},
		{"glibc-dynamic", "timers-dynamic", "gcc", []string{"-O2", "-pthread"}},
	} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			compareNative(t, build(t, b.out, b.cc, append(b.flags, guestSource("c/timers.c"))...))
		})
	}
}
