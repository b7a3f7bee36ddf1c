package main

import (
	"testing"
)

func TestMemorySyscalls(t *testing.T) {
	compareNative(t, build(t, "memprobe-glibc", "gcc", "-static", "-O2", guestSource("c/memprobe.c")))
	compareNative(t, build(t, "memprobe-musl", "musl-gcc", "-static", "-O2", guestSource("c/memprobe.c")))
	compareNative(t, build(t, "memprobe-dynamic", "gcc", "-O2", guestSource("c/memprobe.c")))
}

// TestGuestProtection: writing a read-only page, executing data, touching
// unmapped or PROT_NONE memory kill the guest with SIGSEGV (139) — or,
// with a handler, deliver it with Linux's si_code and si_addr.
func TestGuestProtection(t *testing.T) {
	prog := build(t, "fault", "gcc", "-static", "-O2", guestSource("c/fault.c"))
	for _, mode := range []string{"write-readonly", "exec-data", "unmapped", "none"} {
		native := runCmd(t, "", prog, mode)
		if native.code != 139 {
			t.Fatalf("%s: native exit %d, the test expects a segfault", mode, native.code)
		}
		got := quartz(t, prog, mode)
		if got.code != 139 {
			t.Errorf("%s: quartz exit %d, want 139 (stderr %q)", mode, got.code, got.stderr)
		}
		compareNative(t, prog, mode, "catch")
	}
}
