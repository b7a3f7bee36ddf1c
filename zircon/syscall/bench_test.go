package syscall

import (
	"testing"

	. "quartz/zircon/object"
)

// Benchmarks of whole syscalls through Dispatch, pointers in user memory:
// what the table adds to zircon/object's figures for the same work.

func BenchmarkSyscall(b *testing.B) {
	b.Run("ClockGetMonotonic", func(b *testing.B) {
		e := newEnv(b)
		for b.Loop() {
			Call(e.c, SysClockGetMonotonicViaKernel)
		}
	})
	b.Run("EventSignal", func(b *testing.B) {
		e := newEnv(b)
		ev := e.event()
		i := uint64(0)
		for b.Loop() {
			set, clear := uint64(EventSignaled), uint64(0)
			if i&1 != 0 {
				set, clear = 0, uint64(EventSignaled)
			}
			i++
			if st := e.sys(SysObjectSignal, uint64(ev), clear, set); st != OK {
				b.Fatal(st)
			}
		}
	})
	b.Run("ChannelWriteRead64B", func(b *testing.B) {
		e := newEnv(b)
		x, y := e.channel()
		data, rd, ab := e.alloc(64), e.alloc(64), e.alloc(8)
		b.SetBytes(64)
		for b.Loop() {
			if st := e.sys(SysChannelWrite, uint64(x), 0, data, 64, 0, 0); st != OK {
				b.Fatal(st)
			}
			if st := e.sys(SysChannelRead, uint64(y), 0, rd, 0, 64, 0, ab, ab+4); st != OK {
				b.Fatal(st)
			}
		}
	})
	b.Run("VmoRead128KiB", func(b *testing.B) {
		e := newEnv(b)
		const size = 128 << 10
		v := e.create1(SysVMOCreate, size, 0)
		e.ok(SysVMOOpRange, uint64(v), uint64(VmoOpCommit), 0, size, 0, 0)
		buf := e.alloc(size)
		b.SetBytes(size)
		for b.Loop() {
			if st := e.sys(SysVMORead, uint64(v), buf, 0, size); st != OK {
				b.Fatal(st)
			}
		}
	})
}
