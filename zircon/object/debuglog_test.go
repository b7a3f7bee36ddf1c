package object

import (
	"bytes"
	"strings"
	"testing"
)

func TestDebuglog_WriteRead(t *testing.T) {
	buf := NewDlogBuffer(DefaultDlogSize)
	w, st := NewDebuglog(buf, 0)
	mustOK(t, st, "create writer")
	r, st := NewDebuglog(buf, LogFlagReadable)
	mustOK(t, st, "create reader")
	if DebuglogRights(0) != DefaultLogRights || !DebuglogRights(LogFlagReadable).Has(RightRead) {
		t.Fatal("rights")
	}
	if r.Signals() != LogWritable {
		t.Fatalf("signals %v", r.Signals())
	}
	_, st = r.Read(0)
	wantStatus(t, st, ErrShouldWait, "empty")
	mustOK(t, w.Write(0, []byte("hello"), 10, 11), "write")
	mustOK(t, w.Write(LogLocal, []byte("world"), 10, 12), "write local")
	if r.Signals()&LogReadable == 0 {
		t.Fatal("not readable")
	}
	a, st := r.Read(0)
	mustOK(t, st, "read")
	b, _ := r.Read(0)
	if string(a.Data) != "hello" || a.Pid != 10 || a.Tid != 11 || a.Severity != LogSeverityInfo ||
		string(b.Data) != "world" || b.Sequence != a.Sequence+1 || b.Flags != uint8(LogLocal) {
		t.Fatalf("records %+v %+v", a, b)
	}
	_, st = r.Read(0)
	wantStatus(t, st, ErrShouldWait, "drained")
	if r.Signals()&LogReadable != 0 {
		t.Fatal("still readable")
	}
	out := make([]byte, LogRecordMax)
	n := a.Marshal(out)
	if n != LogRecordHeader+5 || !bytes.Equal(out[LogRecordHeader:n], []byte("hello")) || out[12] != 5 {
		t.Fatalf("marshal %d % x", n, out[:n])
	}
	if a.Marshal(out[:8]) != 8 {
		t.Fatal("truncated marshal")
	}
}

func TestDebuglog_ErrorPaths(t *testing.T) {
	buf := NewDlogBuffer(DefaultDlogSize)
	_, st := NewDebuglog(buf, 1)
	wantStatus(t, st, ErrInvalidArgs, "create options")
	w, _ := NewDebuglog(buf, 0)
	_, st = w.Read(0)
	wantStatus(t, st, ErrBadState, "read from a writer")
	wantStatus(t, w.Write(1, nil, 0, 0), ErrInvalidArgs, "write options")
	r, _ := NewDebuglog(buf, LogFlagReadable)
	_, st = r.Read(1)
	wantStatus(t, st, ErrInvalidArgs, "read options")
	mustOK(t, w.Write(0, []byte(strings.Repeat("x", 1000)), 0, 0), "long write")
	rec, _ := r.Read(0)
	if len(rec.Data) != LogRecordDataMax {
		t.Fatalf("record of %d bytes", len(rec.Data))
	}
}

func TestDebuglog_RingDropsOldest(t *testing.T) {
	buf := NewDlogBuffer(10 * (LogRecordHeader + 4))
	w, _ := NewDebuglog(buf, 0)
	for i := 0; i < 25; i++ {
		w.Write(0, []byte("abcd"), 0, 0)
	}
	r, _ := NewDebuglog(buf, LogFlagReadable)
	if r.Signals()&LogReadable == 0 {
		t.Fatal("a new reader of a non-empty log is readable")
	}
	first, _ := r.Read(0)
	if first.Sequence != 15 {
		t.Fatalf("oldest kept is %d", first.Sequence)
	}
	// A closed reader is no longer woken.
	h := NewHandle(r, DebuglogRights(LogFlagReadable))
	h.Close()
	if len(buf.readers) != 0 {
		t.Fatal("reader still registered")
	}
}
