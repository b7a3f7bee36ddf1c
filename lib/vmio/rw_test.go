package vmio

import (
	"errors"
	"io"
	"math"
	"testing"

	"golang.org/x/sys/unix"
)

const base = 0x10000

func TestKernelReader(t *testing.T) {
	r := NewKernelReader([]byte("hello world"))
	if r.Fallible() || r.Remaining() != 11 {
		t.Fatalf("Fallible %v, Remaining %d", r.Fallible(), r.Remaining())
	}
	p := make([]byte, 5)
	if n, err := r.Read(p); n != 5 || err != nil || string(p) != "hello" {
		t.Fatalf("Read = %d, %v, %q", n, err, p)
	}
	if n, err := r.Skip(1); n != 1 || err != nil {
		t.Fatalf("Skip = %d, %v", n, err)
	}
	p = make([]byte, 10)
	if n, err := r.Read(p); n != 5 || err != nil || string(p[:n]) != "world" {
		t.Fatalf("Read = %d, %v, %q", n, err, p[:n])
	}
	if n, err := r.Read(nil); n != 0 || err != nil {
		t.Fatalf("Read(nil) = %d, %v", n, err)
	}
	if n, err := r.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("Read at end = %d, %v", n, err)
	}
	if n, err := r.Skip(3); n != 0 || err != io.EOF {
		t.Fatalf("Skip at end = %d, %v", n, err)
	}
	r = NewKernelReader([]byte("abc"))
	if n, err := r.Skip(5); n != 3 || err != io.EOF || r.Remaining() != 0 {
		t.Fatalf("Skip past end = %d, %v", n, err)
	}
	var _ io.Reader = r
}

func TestKernelWriter(t *testing.T) {
	buf := []byte("........")
	w := NewKernelWriter(buf)
	if w.Fallible() || w.Remaining() != 8 {
		t.Fatalf("Fallible %v, Remaining %d", w.Fallible(), w.Remaining())
	}
	if n, err := w.Write([]byte("abc")); n != 3 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if n, err := w.FillZero(2); n != 2 || err != nil {
		t.Fatalf("FillZero = %d, %v", n, err)
	}
	if n, err := w.Write([]byte("xyzw")); n != 3 || err != io.ErrShortWrite {
		t.Fatalf("Write past end = %d, %v", n, err)
	}
	if string(buf) != "abc\x00\x00xyz" || w.Remaining() != 0 {
		t.Fatalf("buf %q, Remaining %d", buf, w.Remaining())
	}
	if n, err := w.Write(nil); n != 0 || err != nil {
		t.Fatalf("Write(nil) = %d, %v", n, err)
	}
	if n, err := w.Write([]byte("a")); n != 0 || err != io.ErrShortWrite {
		t.Fatalf("Write when full = %d, %v", n, err)
	}
	if n, err := w.FillZero(1); n != 0 || err != io.ErrShortWrite {
		t.Fatalf("FillZero when full = %d, %v", n, err)
	}
	w = NewKernelWriter(make([]byte, 4))
	if n, err := w.FillZero(9); n != 4 || err != io.ErrShortWrite {
		t.Fatalf("FillZero past end = %d, %v", n, err)
	}
	var _ io.Writer = w
}

// A read running into an inaccessible page stops on its first byte, in one
// call or in many small ones, and a retry faults again without moving.
func TestGuestReadFault(t *testing.T) {
	for _, chunk := range []int{3 * pageSize, 100, 1} {
		m := newMem(t, base, "wr-w")
		r := NewGuestReader(m, base+4000, 3*pageSize)
		if !r.Fallible() {
			t.Fatal("guest reader not fallible")
		}
		var got []byte
		var err error
		p := make([]byte, chunk)
		for {
			var n int
			n, err = r.Read(p)
			got = append(got, p[:n]...)
			if err != nil {
				break
			}
		}
		m.idle()
		if err != unix.EFAULT {
			t.Fatalf("chunk %d: err %v", chunk, err)
		}
		mustEqual(t, "read", got, want(base+4000, 2*pageSize-4000))
		if r.Remaining() != 3*pageSize-uint64(len(got)) {
			t.Fatalf("Remaining %d after %d", r.Remaining(), len(got))
		}
		if n, err := r.Read(p); n != 0 || err != unix.EFAULT {
			t.Fatalf("retry = %d, %v", n, err)
		}
		// Skip the bad page and finish.
		if n, err := r.Skip(pageSize); n != pageSize || err != nil {
			t.Fatalf("Skip = %d, %v", n, err)
		}
		all := make([]byte, 2*pageSize)
		n, err := r.Read(all)
		if n != 4000 || err != nil {
			t.Fatalf("Read after skip = %d, %v", n, err)
		}
		mustEqual(t, "tail", all[:n], want(base+3*pageSize, 4000))
		if n, err := r.Read(all); n != 0 || err != io.EOF {
			t.Fatalf("Read at end = %d, %v", n, err)
		}
		m.idle()
	}
}

func TestGuestReadHole(t *testing.T) {
	m := newMem(t, base, "w w")
	r := NewGuestReader(m, base+pageSize-1, 3)
	p := make([]byte, 3)
	if n, err := r.Read(p); n != 1 || err != unix.EFAULT || p[0] != pattern(base+pageSize-1) {
		t.Fatalf("Read = %d, %v", n, err)
	}
	if r := NewGuestReader(m, base+pageSize, 1); true {
		if n, err := r.Read(p); n != 0 || err != unix.EFAULT {
			t.Fatalf("Read of a hole = %d, %v", n, err)
		}
	}
	if r := NewGuestReader(m, base, 0); r.Remaining() != 0 {
		t.Fatal("empty reader not empty")
	} else if n, err := r.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("empty Read = %d, %v", n, err)
	}
}

// A Write stops at the first read-only or inaccessible byte, leaving it
// untouched.
func TestGuestWriteFault(t *testing.T) {
	for _, layout := range []string{"wwrw", "ww-w", "ww w"} {
		m := newMem(t, base, layout)
		w := NewGuestWriter(m, base+10, 3*pageSize)
		src := seq(1, 3*pageSize)
		n, err := w.Write(src)
		m.idle()
		if n != 2*pageSize-10 || err != unix.EFAULT {
			t.Fatalf("%q: Write = %d, %v", layout, n, err)
		}
		mustEqual(t, "written", m.get(base+10, uint64(n)), src[:n])
		if layout[2] != ' ' {
			mustEqual(t, "bad page", m.get(base+2*pageSize, pageSize), want(base+2*pageSize, pageSize))
		}
		if w.Remaining() != 3*pageSize-uint64(n) {
			t.Fatalf("Remaining %d", w.Remaining())
		}
		if n, err := w.Write(src); n != 0 || err != unix.EFAULT {
			t.Fatalf("retry = %d, %v", n, err)
		}
		if n, err := w.FillZero(5); n != 0 || err != unix.EFAULT {
			t.Fatalf("FillZero retry = %d, %v", n, err)
		}
	}
}

func TestGuestWriteShortAndZero(t *testing.T) {
	m := newMem(t, base, "ww")
	w := NewGuestWriter(m, base+pageSize-3, 5)
	if n, err := w.Write([]byte("abcdefg")); n != 5 || err != io.ErrShortWrite {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if got := string(m.get(base+pageSize-3, 5)); got != "abcde" {
		t.Fatalf("guest %q", got)
	}
	m = newMem(t, base, "wwr")
	w = NewGuestWriter(m, base+100, 3*pageSize)
	n, err := w.FillZero(3 * pageSize)
	if n != 2*pageSize-100 || err != unix.EFAULT {
		t.Fatalf("FillZero = %d, %v", n, err)
	}
	mustEqual(t, "zeroed", m.get(base+100, n), make([]byte, n))
	mustEqual(t, "before", m.get(base, 100), want(base, 100))
	w = NewGuestWriter(m, base, 50)
	if n, err := w.FillZero(60); n != 50 || err != io.ErrShortWrite {
		t.Fatalf("FillZero past end = %d, %v", n, err)
	}
	m.idle()
}

// Pieces shorter than asked (a Memory may hand out less than a page) are
// walked correctly.
func TestShortPieces(t *testing.T) {
	m := newMem(t, base, "www")
	m.maxPiece = 100
	r := NewGuestReader(m, base+50, 3*pageSize-60)
	p := make([]byte, 3*pageSize)
	n, err := r.Read(p)
	if n != 3*pageSize-60 || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
	mustEqual(t, "read", p[:n], want(base+50, uint64(n)))
	if m.pinned < n/100 {
		t.Fatalf("only %d pins", m.pinned)
	}
	w := NewGuestWriter(m, base+7, 2*pageSize)
	src := seq(9, 2*pageSize)
	if n, err := w.Write(src); n != len(src) || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	mustEqual(t, "written", m.get(base+7, 2*pageSize), src)
}

// A Memory that grants an empty piece makes the access fault instead of
// spinning, and the empty piece is released.
func TestEmptyPiece(t *testing.T) {
	m := newMem(t, base, "w0")
	r := NewGuestReader(m, base+pageSize-2, 4)
	p := make([]byte, 4)
	if n, err := r.Read(p); n != 2 || err != unix.EFAULT {
		t.Fatalf("Read = %d, %v", n, err)
	}
	m.idle()
}

func TestIovec(t *testing.T) {
	m := newMem(t, base, "wwww")
	iov := []Iovec{
		{base + 4000, 200},
		{base + 9999, 0},
		{base + 3*pageSize, 5},
		{0, 0},
		{base + 100, 3},
	}
	r, err := NewGuestReaderV(m, iov)
	if err != nil {
		t.Fatal(err)
	}
	iov[0].Base = 0 // the reader has its own copy
	if r.Remaining() != 208 {
		t.Fatalf("Remaining %d", r.Remaining())
	}
	var expect []byte
	expect = append(expect, want(base+4000, 200)...)
	expect = append(expect, want(base+3*pageSize, 5)...)
	expect = append(expect, want(base+100, 3)...)
	p := make([]byte, 300)
	n, err := r.Read(p)
	if n != 208 || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
	mustEqual(t, "readv", p[:n], expect)

	// Skip across vectors, then read the rest in small pieces.
	r, _ = NewGuestReaderV(m, []Iovec{{base, 10}, {base + pageSize, 10}, {base + 2*pageSize, 10}})
	if n, err := r.Skip(15); n != 15 || err != nil {
		t.Fatal(n, err)
	}
	got := make([]byte, 15)
	if n, err := io.ReadFull(r, got); n != 15 || err != nil {
		t.Fatal(n, err)
	}
	mustEqual(t, "after skip", got, append(want(base+pageSize+5, 5), want(base+2*pageSize, 10)...))

	// Writes scatter, and a fault in the second vector is byte-exact.
	m = newMem(t, base, "ww-w")
	w, err := NewGuestWriterV(m, []Iovec{{base + 3*pageSize + 10, 20}, {base + 2*pageSize - 7, 20}, {base, 10}})
	if err != nil {
		t.Fatal(err)
	}
	src := seq(1, 50)
	if n, err := w.Write(src); n != 27 || err != unix.EFAULT {
		t.Fatalf("Write = %d, %v", n, err)
	}
	mustEqual(t, "v0", m.get(base+3*pageSize+10, 20), src[:20])
	mustEqual(t, "v1", m.get(base+2*pageSize-7, 7), src[20:27])
	if w.Remaining() != 23 {
		t.Fatalf("Remaining %d", w.Remaining())
	}
	m.idle()

	// No vectors, or only empty ones: nothing to do.
	for _, v := range [][]Iovec{nil, {{base, 0}, {0, 0}}} {
		r, err := NewGuestReaderV(m, v)
		if err != nil || r.Remaining() != 0 {
			t.Fatalf("%v: %v, %d", v, err, r.Remaining())
		}
		if n, err := r.Read(p); n != 0 || err != io.EOF {
			t.Fatalf("Read = %d, %v", n, err)
		}
		w, err := NewGuestWriterV(m, v)
		if err != nil || w.Remaining() != 0 {
			t.Fatalf("%v: %v", v, err)
		}
	}
}

func TestIovecTotal(t *testing.T) {
	m := newMem(t, base, "w")
	for _, c := range []struct {
		iov []Iovec
		ok  bool
	}{
		{[]Iovec{{0, math.MaxUint64}, {0, 1}}, false},
		{[]Iovec{{0, math.MaxUint64}}, false},
		{[]Iovec{{0, 1 << 63}}, false},
		{[]Iovec{{0, 1 << 62}, {0, 1 << 62}}, false},
		{[]Iovec{{0, 1<<63 - 2}, {0, 0}, {0, 1}}, true},
		{[]Iovec{{0, 1<<63 - 2}, {0, 2}}, false},
		{[]Iovec{{0, 3}, {0, math.MaxUint64 - 1}}, false},
	} {
		r, err := NewGuestReaderV(m, c.iov)
		w, werr := NewGuestWriterV(m, c.iov)
		if c.ok != (err == nil) || c.ok != (werr == nil) {
			t.Errorf("%v: %v, %v", c.iov, err, werr)
		}
		if !c.ok && (err != unix.EINVAL || werr != unix.EINVAL || r != nil || w != nil) {
			t.Errorf("%v: %v, %v, want EINVAL", c.iov, err, werr)
		}
		if c.ok && r.Remaining() != 1<<63-1 {
			t.Errorf("%v: Remaining %d", c.iov, r.Remaining())
		}
	}
}

// A buffer running off the top of the address space faults there rather
// than wrapping to address 0.
func TestAddressWrap(t *testing.T) {
	top := uint64(math.MaxUint64 - pageSize + 1)
	m := newMem(t, top, "w")
	m.addPage(0, 'w')
	p := make([]byte, 200)
	r := NewGuestReader(m, math.MaxUint64-99, 200)
	if n, err := r.Read(p); n != 100 || err != unix.EFAULT {
		t.Fatalf("Read = %d, %v", n, err)
	}
	mustEqual(t, "top", p[:100], want(math.MaxUint64-99, 100))
	rv, _ := NewGuestReaderV(m, []Iovec{{math.MaxUint64, 2}, {0, 1}})
	if n, err := rv.Read(p); n != 1 || err != unix.EFAULT {
		t.Fatalf("ReadV = %d, %v", n, err)
	}
	w := NewGuestWriter(m, math.MaxUint64, 2)
	if n, err := w.Write([]byte("ab")); n != 1 || err != unix.EFAULT {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if m.get(0, 1)[0] != pattern(0) {
		t.Fatal("address 0 written")
	}
	m.idle()
}

func TestCopyGuestToGuest(t *testing.T) {
	src := newMem(t, base, "rrrr")
	dst := newMem(t, 0x80000, "wwww")
	const n = 3*pageSize - 5000 + 1234
	r := NewGuestReader(src, base+1000, n+10)
	w := NewGuestWriter(dst, 0x80000+3000, n)
	moved, err := Copy(w, r)
	if moved != n || err != nil {
		t.Fatalf("Copy = %d, %v", moved, err)
	}
	mustEqual(t, "copied", dst.get(0x80000+3000, n), want(base+1000, n))
	if w.Remaining() != 0 || r.Remaining() != 10 {
		t.Fatalf("Remaining %d, %d", w.Remaining(), r.Remaining())
	}
	if moved, err := Copy(w, r); moved != 0 || err != nil {
		t.Fatalf("Copy when full = %d, %v", moved, err)
	}
	src.idle()
	dst.idle()
}

func TestCopyFaults(t *testing.T) {
	// The destination faults.
	src := newMem(t, base, "rrrr")
	dst := newMem(t, 0x80000, "wwrw")
	r := NewGuestReader(src, base+1000, 3*pageSize)
	w := NewGuestWriter(dst, 0x80000+3000, 3*pageSize)
	moved, err := Copy(w, r)
	if moved != 2*pageSize-3000 || err != unix.EFAULT {
		t.Fatalf("Copy = %d, %v", moved, err)
	}
	mustEqual(t, "copied", dst.get(0x80000+3000, moved), want(base+1000, moved))
	if r.Remaining() != 3*pageSize-moved || w.Remaining() != 3*pageSize-moved {
		t.Fatalf("Remaining %d, %d", r.Remaining(), w.Remaining())
	}
	if moved, err := Copy(w, r); moved != 0 || err != unix.EFAULT {
		t.Fatalf("retry = %d, %v", moved, err)
	}
	src.idle()
	dst.idle()

	// The source faults.
	src = newMem(t, base, "w-")
	dst = newMem(t, 0x80000, "www")
	r = NewGuestReader(src, base+10, pageSize)
	w = NewGuestWriter(dst, 0x80000+pageSize-5, pageSize)
	moved, err = Copy(w, r)
	if moved != pageSize-10 || err != unix.EFAULT {
		t.Fatalf("Copy = %d, %v", moved, err)
	}
	mustEqual(t, "copied", dst.get(0x80000+pageSize-5, moved), want(base+10, moved))
	mustEqual(t, "untouched", dst.get(0x80000+pageSize-5+moved, 10), want(0x80000+pageSize-5+moved, 10))
	src.idle()
	dst.idle()
}

func TestCopyKernel(t *testing.T) {
	m := newMem(t, base, "www")
	data := seq(5, 2*pageSize)
	w := NewGuestWriter(m, base+300, 3*pageSize)
	if moved, err := Copy(w, NewKernelReader(data)); moved != 2*pageSize || err != nil {
		t.Fatalf("kernel→guest = %d, %v", moved, err)
	}
	mustEqual(t, "guest", m.get(base+300, 2*pageSize), data)

	out := make([]byte, 3*pageSize)
	kw := NewKernelWriter(out)
	if moved, err := Copy(kw, NewGuestReader(m, base+300, 2*pageSize)); moved != 2*pageSize || err != nil {
		t.Fatalf("guest→kernel = %d, %v", moved, err)
	}
	mustEqual(t, "kernel", out[:2*pageSize], data)
	if kw.Remaining() != pageSize {
		t.Fatalf("Remaining %d", kw.Remaining())
	}

	dst := make([]byte, 7)
	if moved, err := Copy(NewKernelWriter(dst), NewKernelReader([]byte("infallible"))); moved != 7 || err != nil || string(dst) != "infalli" {
		t.Fatalf("kernel→kernel = %d, %v, %q", moved, err, dst)
	}

	// kernel→guest into a read-only page faults byte-exactly.
	m = newMem(t, base, "wr")
	w = NewGuestWriter(m, base+pageSize-3, 10)
	kr := NewKernelReader(data[:10])
	if moved, err := Copy(w, kr); moved != 3 || !errors.Is(err, unix.EFAULT) || kr.Remaining() != 7 {
		t.Fatalf("Copy = %d, %v, %d", moved, err, kr.Remaining())
	}
	m.idle()
}
