package main

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The benchmarks run a guest natively and inside quartz in the same run
// and report both figures and their ratio. The guest times its own loop,
// so process start-up is not in the figures.

// timeGuest runs the guest and returns the ns/op it reports.
func timeGuest(b *testing.B, quartz bool, prog string, args ...string) float64 {
	b.Helper()
	var cmd *exec.Cmd
	if quartz {
		cmd = exec.Command(quartzBin, append([]string{"run", prog}, args...)...)
	} else {
		cmd = exec.Command(prog, args...)
	}
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s %q: %v", prog, args, err)
	}
	ns, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("%s %q printed %q", prog, args, out)
	}
	return ns
}

func benchNative(b *testing.B, prog string, args ...string) {
	n := strconv.Itoa(max(b.N, 100))
	args = append(args, n)
	native := timeGuest(b, false, prog, args...)
	inQuartz := timeGuest(b, true, prog, args...)
	reportGuest(b, native, inQuartz)
}

// reportGuest reports the guest's figures in place of the benchmark's own.
func reportGuest(b *testing.B, native, inQuartz float64) {
	b.ReportMetric(0, "ns/op") // the figures are the guest's, below
	b.ReportMetric(inQuartz, "quartz-ns/op")
	b.ReportMetric(native, "native-ns/op")
	if native > 0 {
		b.ReportMetric(inQuartz/native, "x-native")
	}
}

func BenchmarkPageFault(b *testing.B) {
	prog := build(b, "membench", "gcc", "-static", "-O2", guestSource("c/membench.c"))
	benchNative(b, prog, "fault")
}

func BenchmarkSequentialTouch(b *testing.B) {
	prog := build(b, "membench", "gcc", "-static", "-O2", guestSource("c/membench.c"))
	benchNative(b, prog, "touch")
}

func BenchmarkMmapTouchMunmap16(b *testing.B) {
	prog := build(b, "membench", "gcc", "-static", "-O2", guestSource("c/membench.c"))
	benchNative(b, prog, "mmap16")
}

// BenchmarkIO times file, pipe and process system calls (see
// guest/c/iobench.c). The guest picks a count for each operation; each of
// b.N rounds runs it once natively and once inside quartz, and the means
// are reported. -benchtime 1x is one round.
func BenchmarkIO(b *testing.B) {
	prog := build(b, "iobench", "gcc", "-static", "-O2", guestSource("c/iobench.c"))
	for _, op := range []string{"open", "read1", "write1", "read64k", "pipe", "fork"} {
		b.Run(op, func(b *testing.B) {
			var native, inQuartz float64
			for range b.N {
				native += timeGuest(b, false, prog, op)
				inQuartz += timeGuest(b, true, prog, op)
			}
			reportGuest(b, native/float64(b.N), inQuartz/float64(b.N))
		})
	}
}
