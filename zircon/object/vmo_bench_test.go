package object

import (
	"fmt"
	"testing"

	"quartz/lib/vmio"
)

// VMO benchmarks after Fuchsia's microbenchmarks (vmo.cc): whole-VMO
// reads and writes through the syscall path (handle lookup, rights, range
// checks, the copy), and clone-then-close, at three sizes.

var vmoBenchSizes = []uint64{128 << 10, 512 << 10, 2 << 20}

func sizeName(n uint64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// benchVMO makes a committed VMO of size bytes in a fresh environment.
func benchVMO(b *testing.B, size uint64) (*taskEnv, HandleValue) {
	e := newTaskEnv(b)
	v, st := VmoCreate(e.self, size, 0)
	if st != OK {
		b.Fatal(st)
	}
	if st := VmoOpRange(e.self, v, VmoOpCommit, 0, size); st != OK {
		b.Fatal(st)
	}
	return e, v
}

func BenchmarkVmo(b *testing.B) {
	b.Run("Read", func(b *testing.B) {
		for _, size := range vmoBenchSizes {
			b.Run(sizeName(size), func(b *testing.B) {
				e, v := benchVMO(b, size)
				buf := make([]byte, size)
				b.SetBytes(int64(size))
				for b.Loop() {
					if st := VmoRead(e.self, v, vmio.NewKernelWriter(buf), 0); st != OK {
						b.Fatal(st)
					}
				}
			})
		}
	})
	b.Run("Write", func(b *testing.B) {
		for _, size := range vmoBenchSizes {
			b.Run(sizeName(size), func(b *testing.B) {
				e, v := benchVMO(b, size)
				buf := make([]byte, size)
				b.SetBytes(int64(size))
				for b.Loop() {
					if st := VmoWrite(e.self, v, vmio.NewKernelReader(buf), 0); st != OK {
						b.Fatal(st)
					}
				}
			})
		}
	})
	b.Run("Clone", func(b *testing.B) {
		for _, size := range vmoBenchSizes {
			b.Run(sizeName(size), func(b *testing.B) {
				e, v := benchVMO(b, size)
				for b.Loop() {
					c, st := VmoCreateChild(e.self, v, VmoChildSnapshotAtLeastOnWrite, 0, size)
					if st != OK {
						b.Fatal(st)
					}
					if st := e.self.Handles().Close(c); st != OK {
						b.Fatal(st)
					}
				}
			})
		}
	})
}

// HandleCreate/Vmo: create a one-page VMO, its handle in the table, and
// close it.
func BenchmarkHandleCreate_Vmo(b *testing.B) {
	e := newTaskEnv(b)
	for b.Loop() {
		v, st := VmoCreate(e.self, PageSize, 0)
		if st != OK {
			b.Fatal(st)
		}
		if st := e.self.Handles().Close(v); st != OK {
			b.Fatal(st)
		}
	}
}
