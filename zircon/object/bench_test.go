package object

import "testing"

// Benchmarks after Fuchsia's microbenchmarks (the ones zCore's thesis
// reports in its appendix A). Later parts add Channel/WriteRead, Vmo/*
// and HandleCreate for Channel and Vmo.

// Port/QueueWait: queue a user packet, then take it.
func BenchmarkPort_QueueWait(b *testing.B) {
	p, _ := NewPort(0)
	pkt := PortPacket{Key: 1}
	for b.Loop() {
		if st := p.Queue(pkt); st != OK {
			b.Fatal(st)
		}
		if _, st := p.Wait(TimeInfinite, nil); st != OK {
			b.Fatal(st)
		}
	}
}

// Port/QueueWaitBlocked: the packet goes to a goroutine blocked in Wait
// and the answer comes back on a second port (a round trip).
func BenchmarkPort_QueueWaitBlocked(b *testing.B) {
	ping, _ := NewPort(0)
	pong, _ := NewPort(0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			pkt, _ := ping.Wait(TimeInfinite, nil)
			if pkt.Key == 0 {
				return
			}
			pong.Queue(pkt)
		}
	}()
	for b.Loop() {
		ping.Queue(PortPacket{Key: 1})
		pong.Wait(TimeInfinite, nil)
	}
	ping.Queue(PortPacket{Key: 0})
	<-done
}

// Event/Signal: zx_object_signal through a handle, setting and clearing.
func BenchmarkEvent_Signal(b *testing.B) {
	ht := NewHandleTable()
	e, _ := NewEvent(0)
	v, _ := ht.AddObject(e, DefaultEventRights)
	i := 0
	for b.Loop() {
		h, st := ht.Get(v, TypeNone, RightSignal)
		if st != OK {
			b.Fatal(st)
		}
		set, clear := EventSignaled, Signals(0)
		if i&1 != 0 {
			set, clear = 0, EventSignaled
		}
		i++
		if st := ObjectSignal(h, clear, set); st != OK {
			b.Fatal(st)
		}
	}
}

// Event/SignalWithWaiter: signal an event a wait_async is armed on, and
// take the packet.
func BenchmarkEvent_SignalWaitAsync(b *testing.B) {
	e, _ := NewEvent(0)
	h := NewHandleDefault(e)
	p, _ := NewPort(0)
	for b.Loop() {
		p.WaitAsync(h, 1, EventSignaled, 0)
		e.UserSignal(0, EventSignaled)
		p.Wait(TimeInfinite, nil)
		e.UserSignal(EventSignaled, 0)
	}
}

// HandleCreate/Event: create an event, put its handle in the table,
// close it.
func BenchmarkHandleCreate_Event(b *testing.B) {
	ht := NewHandleTable()
	for b.Loop() {
		e, _ := NewEvent(0)
		v, st := ht.AddObject(e, DefaultEventRights)
		if st != OK {
			b.Fatal(st)
		}
		if st := ht.Close(v); st != OK {
			b.Fatal(st)
		}
	}
}

// Event/WaitOneSignaled: the wait_one fast path.
func BenchmarkEvent_WaitOneSignaled(b *testing.B) {
	e, _ := NewEvent(0)
	h := NewHandleDefault(e)
	e.UserSignal(0, EventSignaled)
	for b.Loop() {
		WaitOne(h, EventSignaled, TimeInfinite, nil)
	}
}
