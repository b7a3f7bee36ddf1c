package object

import (
	"fmt"
	"testing"
)

// Channel benchmarks after Fuchsia's microbenchmarks (Channel/WriteRead
// and HandleCreate/Channel), through the handle-table calls the syscall
// layer will make: write a message, then read it back on the other end.

func BenchmarkChannel(b *testing.B) {
	b.Run("WriteRead", func(b *testing.B) {
		for _, size := range []struct {
			name string
			n    int
		}{{"64B", 64}, {"1KiB", 1 << 10}, {"32KiB", 32 << 10}, {"64KiB", 64 << 10}} {
			b.Run(size.name, func(b *testing.B) {
				for _, nh := range []int{0, 1} {
					b.Run(fmt.Sprintf("%dhandles", nh), func(b *testing.B) {
						benchChannelWriteRead(b, size.n, nh)
					})
				}
			})
		}
	})
}

// benchChannelWriteRead sends size bytes and nh handles (events, which
// come back out of the read and go into the next write) per round.
func benchChannelWriteRead(b *testing.B, size, nh int) {
	ht := NewHandleTable()
	x, y, _ := NewChannel(0)
	vx, _ := ht.AddObject(x, DefaultChannelRights)
	vy, _ := ht.AddObject(y, DefaultChannelRights)
	hs := make([]HandleValue, nh)
	for i := range hs {
		e, _ := NewEvent(0)
		hs[i], _ = ht.AddObject(e, DefaultEventRights)
	}
	data := make([]byte, size)
	rdata := make([]byte, size)
	rhs := make([]HandleValue, nh)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if st := ChannelWrite(ht, vx, 0, data, hs); st != OK {
			b.Fatal(st)
		}
		if _, _, st := ChannelRead(ht, vy, 0, rdata, rhs); st != OK {
			b.Fatal(st)
		}
		copy(hs, rhs)
	}
	ht.CloseAll()
}

// HandleCreate/Channel: create a channel, put both handles in the table,
// close them.
func BenchmarkHandleCreate_Channel(b *testing.B) {
	ht := NewHandleTable()
	b.ReportAllocs()
	for b.Loop() {
		x, y, _ := NewChannel(0)
		vx, st := ht.AddObject(x, DefaultChannelRights)
		if st != OK {
			b.Fatal(st)
		}
		vy, _ := ht.AddObject(y, DefaultChannelRights)
		ht.Close(vx)
		ht.Close(vy)
	}
}
