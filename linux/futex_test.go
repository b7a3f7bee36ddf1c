package linux

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
)

func TestDecodeWakeOp(t *testing.T) {
	enc := func(op, oparg, cmp, cmparg uint32) uint32 {
		return op<<28 | cmp<<24 | (oparg&0xfff)<<12 | cmparg&0xfff
	}
	for _, c := range []struct {
		encoded        uint32
		op, cmp        uint32
		oparg, cmparg  int32
		old, new       uint32
		pass, knownCmp bool
	}{
		{enc(futexOpSet, 7, futexOpCmpEq, 0), futexOpSet, futexOpCmpEq, 7, 0, 0, 7, true, true},
		// 12-bit fields are signed.
		{enc(futexOpAdd, 0xfff, futexOpCmpEq, 5), futexOpAdd, futexOpCmpEq, -1, 5, 5, 4, true, true},
		{enc(futexOpSet, 0x800, futexOpCmpEq, 0xfff), futexOpSet, futexOpCmpEq, -2048, -1, 0xffffffff, 0xfffff800, true, true},
		{enc(futexOpOr|futexOpOpargShift, 3, futexOpCmpLt, 1), futexOpOr, futexOpCmpLt, 8, 1, 0, 8, true, true},
		// Shifts out of range are masked.
		{enc(futexOpSet|futexOpOpargShift, 40, futexOpCmpGt, 0), futexOpSet, futexOpCmpGt, 256, 0, 8, 256, true, true},
		{enc(futexOpSet|futexOpOpargShift, 0xfff, futexOpCmpGe, 0), futexOpSet, futexOpCmpGe, -1 << 31, 0, 0, 1 << 31, true, true},
		{enc(futexOpXor, 0xff, futexOpCmpGe, 8), futexOpXor, futexOpCmpGe, 255, 8, 8, 247, true, true},
		{enc(futexOpAndn, 0xf0, futexOpCmpLe, 0), futexOpAndn, futexOpCmpLe, 0xf0, 0, 247, 7, false, true},
		// Comparisons are signed.
		{enc(futexOpAdd, 1, futexOpCmpLt, 0), futexOpAdd, futexOpCmpLt, 1, 0, 0xffffffff, 0, true, true},
		{enc(futexOpAdd, 0, futexOpCmpNe, 3), futexOpAdd, futexOpCmpNe, 0, 3, 3, 3, false, true},
		{enc(futexOpAdd, 0, 9, 3), futexOpAdd, 9, 0, 3, 3, 3, false, false},
	} {
		op, oparg, cmp, cmparg := decodeWakeOp(c.encoded)
		if op != c.op || oparg != c.oparg || cmp != c.cmp || cmparg != c.cmparg {
			t.Errorf("decode %#x: op %d oparg %d cmp %d cmparg %d, want %d %d %d %d",
				c.encoded, op, oparg, cmp, cmparg, c.op, c.oparg, c.cmp, c.cmparg)
			continue
		}
		if nw, ok := applyWakeOp(op, oparg, c.old); !ok || nw != c.new {
			t.Errorf("%#x on %#x: %#x %v, want %#x", c.encoded, c.old, nw, ok, c.new)
		}
		if pass, ok := compareWakeOp(cmp, cmparg, c.old); pass != c.pass || ok != c.knownCmp {
			t.Errorf("%#x compare %#x: %v %v, want %v %v", c.encoded, c.old, pass, ok, c.pass, c.knownCmp)
		}
	}
	for op := uint32(5); op < 8; op++ {
		if _, ok := applyWakeOp(op, 0, 0); ok {
			t.Errorf("operation %d accepted", op)
		}
	}
}

// queue puts n waiters with the given bitset on key.
func queue(f *futexTable, key futexKey, n int, bitset uint32) []*futexWaiter {
	var ws []*futexWaiter
	for i := 0; i < n; i++ {
		w := &futexWaiter{key: key, bitset: bitset, woken: make(chan struct{})}
		f.waiters[key] = append(f.waiters[key], w)
		ws = append(ws, w)
	}
	return ws
}

func woken(w *futexWaiter) bool {
	select {
	case <-w.woken:
		return true
	default:
		return false
	}
}

func TestWakeKey(t *testing.T) {
	var f futexTable
	f.init()
	k := futexKey{addr: 0x1000}
	ws := queue(&f, k, 2, 1)
	ws = append(ws, queue(&f, k, 2, 2)...)
	if n := f.wakeKey(k, 10, 2); n != 2 || woken(ws[0]) || !woken(ws[2]) || !woken(ws[3]) {
		t.Fatalf("bitset wake: %d", n)
	}
	if n := f.wakeKey(k, wakeCount(0), ^uint32(0)); n != 1 || !woken(ws[0]) || woken(ws[1]) {
		t.Fatalf("wake of 0 woke %d, want the first waiter", n)
	}
	if n := f.wakeKey(k, wakeCount(-5), ^uint32(0)); n != 1 || !woken(ws[1]) {
		t.Fatalf("wake of -5 woke %d", n)
	}
	if len(f.waiters) != 0 {
		t.Fatalf("queue left: %v", f.waiters)
	}
	// A private key and a shared one with the same number are different
	// futexes, as in Linux.
	shared := queue(&f, futexKey{addr: 0x2000}, 1, ^uint32(0))
	private := futexKey{mm: new(mm.MM), addr: 0x2000}
	if n := f.wakeKey(private, 1, ^uint32(0)); n != 0 || woken(shared[0]) {
		t.Fatalf("a private wake woke a shared waiter")
	}
	queue(&f, private, 1, ^uint32(0))
	if n := f.wakeKey(futexKey{addr: 0x2000}, 10, ^uint32(0)); n != 1 || !woken(shared[0]) || len(f.waiters[private]) != 1 {
		t.Fatalf("a shared wake: %d", n)
	}
}

func TestRequeueKey(t *testing.T) {
	var f futexTable
	f.init()
	a, b := futexKey{addr: 0x1000}, futexKey{addr: 0x2000}
	ws := queue(&f, a, 6, ^uint32(0))
	if n := f.requeueKey(a, b, 1, 2); n != 3 {
		t.Fatalf("requeue 1+2 of 6: %d", n)
	}
	if !woken(ws[0]) || woken(ws[1]) || len(f.waiters[a]) != 3 || len(f.waiters[b]) != 2 {
		t.Fatalf("after requeue: a %d b %d", len(f.waiters[a]), len(f.waiters[b]))
	}
	if f.waiters[b][0] != ws[1] || f.waiters[b][1] != ws[2] || ws[1].key != b {
		t.Fatalf("moved waiters out of order or not rekeyed")
	}
	if f.waiters[a][0] != ws[3] {
		t.Fatalf("kept waiters out of order")
	}
	// Counts of zero do nothing; wake-only and move-only work.
	if n := f.requeueKey(a, b, 0, 0); n != 0 {
		t.Fatalf("requeue 0+0: %d", n)
	}
	if n := f.requeueKey(a, b, 0, 1); n != 1 || len(f.waiters[b]) != 3 {
		t.Fatalf("requeue 0+1: %d", n)
	}
	// Onto itself: counted, nobody lost, order kept.
	if n := f.requeueKey(a, a, 0, 100); n != 2 || len(f.waiters[a]) != 2 || f.waiters[a][0] != ws[4] {
		t.Fatalf("requeue onto itself: %d, %d left", n, len(f.waiters[a]))
	}
	if n := f.requeueKey(a, a, 1, 100); n != 2 || len(f.waiters[a]) != 1 || !woken(ws[4]) {
		t.Fatalf("wake 1 and requeue onto itself: %d", n)
	}
	if n := f.wakeKey(b, 100, ^uint32(0)) + f.wakeKey(a, 100, ^uint32(0)); n != 4 {
		t.Fatalf("woke %d of the rest, want 4", n)
	}
	for i, w := range ws {
		if !woken(w) {
			t.Errorf("waiter %d never woken", i)
		}
	}
	if len(f.waiters) != 0 {
		t.Fatalf("queues left: %v", f.waiters)
	}
}

func TestFutexDeadline(t *testing.T) {
	now := time.Now()
	ts := func(s, ns int64) unix.Timespec { return unix.Timespec{Sec: s, Nsec: ns} }
	if d, err := futexDeadline(futexWait, false, ts(0, 50e6), now); err != nil || d.Sub(now) != 50*time.Millisecond {
		t.Errorf("relative 50ms: %v %v", d.Sub(now), err)
	}
	for _, bad := range []unix.Timespec{ts(-1, 0), ts(0, -1), ts(0, 1e9)} {
		if _, err := futexDeadline(futexWaitBitset, false, bad, now); err != unix.EINVAL {
			t.Errorf("%+v: %v, want EINVAL", bad, err)
		}
	}
	// A timeout too large for a time.Duration is forever, not an
	// overflow into the past.
	for _, cmd := range []uint32{futexWait, futexWaitBitset} {
		if d, err := futexDeadline(cmd, false, ts(1<<62, 0), now); err != nil || !d.IsZero() {
			t.Errorf("huge timeout for %d: %v %v", cmd, d, err)
		}
	}
	if d, err := futexDeadline(futexWait, false, ts(200*365*86400, 0), now); err != nil || !d.After(now.Add(199*365*24*time.Hour)) {
		t.Errorf("200 years: %v %v", d, err)
	}
	rt := time.Unix(1700000000, 5)
	if d, err := futexDeadline(futexWaitBitset, true, ts(1700000000, 5), now); err != nil || !d.Equal(rt) {
		t.Errorf("realtime: %v %v", d, err)
	}
	var mono unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &mono)
	d, err := futexDeadline(futexWaitBitset, false, ts(mono.Sec+1, mono.Nsec), now)
	if left := time.Until(d); err != nil || left < 900*time.Millisecond || left > time.Second {
		t.Errorf("monotonic now+1s: %v left, %v", left, err)
	}
}
