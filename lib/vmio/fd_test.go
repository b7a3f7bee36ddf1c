package vmio

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// pipe returns a pipe whose ends are closed at the end of the test; the
// read end does not block, so a test that reads too much fails instead of
// hanging.
func pipe(t *testing.T) (rfd, wfd int) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	if err := unix.SetNonblock(p[0], true); err != nil {
		t.Fatal(err)
	}
	return p[0], p[1]
}

func fill(t *testing.T, fd int, b []byte) {
	t.Helper()
	if n, err := unix.Write(fd, b); n != len(b) || err != nil {
		t.Fatalf("write = %d, %v", n, err)
	}
}

// drain reads everything now in the pipe.
func drain(t *testing.T, fd int) []byte {
	t.Helper()
	var out []byte
	buf := make([]byte, 1<<16)
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EAGAIN || n == 0 {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, buf[:n]...)
	}
}

func TestReadFromFDPipeScattered(t *testing.T) {
	m := newMem(t, base, "wwww")
	rfd, wfd := pipe(t)
	data := seq(1, 5250)
	fill(t, wfd, data)
	w, err := NewGuestWriterV(m, []Iovec{{base + 4000, 200}, {base + 2*pageSize + 7, 5000}, {0, 0}, {base + 100, 50}})
	if err != nil {
		t.Fatal(err)
	}
	pins := m.pinCalls
	n, err := w.ReadFromFD(rfd)
	if n != len(data) || err != nil {
		t.Fatalf("ReadFromFD = %d, %v", n, err)
	}
	if m.pinCalls-pins != 5 { // 96+104, 4089+911, 50
		t.Fatalf("%d pins", m.pinCalls-pins)
	}
	m.idle()
	mustEqual(t, "v0", m.get(base+4000, 200), data[:200])
	mustEqual(t, "v1", m.get(base+2*pageSize+7, 5000), data[200:5200])
	mustEqual(t, "v2", m.get(base+100, 50), data[5200:])
	if w.Remaining() != 0 {
		t.Fatalf("Remaining %d", w.Remaining())
	}
	if n, err := w.ReadFromFD(rfd); n != 0 || err != nil {
		t.Fatalf("ReadFromFD when full = %d, %v", n, err)
	}
}

// A fault part-way caps the read at the bytes before it; the rest stays
// in the pipe.
func TestReadFromFDFault(t *testing.T) {
	for _, layout := range []string{"wr", "w-", "w "} {
		m := newMem(t, base, layout)
		rfd, wfd := pipe(t)
		data := seq(7, 10000)
		fill(t, wfd, data)
		w := NewGuestWriter(m, base+4000, 3*pageSize)
		n, err := w.ReadFromFD(rfd)
		if n != 96 || err != unix.EFAULT {
			t.Fatalf("%q: ReadFromFD = %d, %v", layout, n, err)
		}
		m.idle()
		mustEqual(t, "read", m.get(base+4000, 96), data[:96])
		if w.Remaining() != 3*pageSize-96 {
			t.Fatalf("Remaining %d", w.Remaining())
		}
		// Retrying faults on the first byte: the pipe is not read.
		if n, err := w.ReadFromFD(rfd); n != 0 || err != unix.EFAULT {
			t.Fatalf("retry = %d, %v", n, err)
		}
		mustEqual(t, "left in pipe", drain(t, rfd), data[96:])
	}
}

// A fault on the first byte is found before the host read: no data lost.
func TestReadFromFDFirstByteFault(t *testing.T) {
	m := newMem(t, base, "rw")
	rfd, wfd := pipe(t)
	fill(t, wfd, []byte("precious"))
	w := NewGuestWriter(m, base+10, 100)
	if n, err := w.ReadFromFD(rfd); n != 0 || err != unix.EFAULT {
		t.Fatalf("ReadFromFD = %d, %v", n, err)
	}
	if w.Remaining() != 100 {
		t.Fatalf("Remaining %d", w.Remaining())
	}
	if got := string(drain(t, rfd)); got != "precious" {
		t.Fatalf("pipe holds %q", got)
	}
	m.idle()
}

// The read does not cover the faulting page, so a short host read is
// reported as such, with no error.
func TestReadFromFDShortBeforeFault(t *testing.T) {
	m := newMem(t, base, "w-")
	rfd, wfd := pipe(t)
	fill(t, wfd, []byte("abc"))
	w := NewGuestWriter(m, base+pageSize-10, 20)
	if n, err := w.ReadFromFD(rfd); n != 3 || err != nil {
		t.Fatalf("ReadFromFD = %d, %v", n, err)
	}
	if w.Remaining() != 17 {
		t.Fatalf("Remaining %d", w.Remaining())
	}
	m.idle()
}

func TestReadFromFDEOFAndErrors(t *testing.T) {
	m := newMem(t, base, "ww")
	rfd, wfd := pipe(t)
	w := NewGuestWriter(m, base, 2*pageSize)
	// Empty pipe, non-blocking: the host error comes back, nothing moves.
	if n, err := w.ReadFromFD(rfd); n != 0 || err != unix.EAGAIN {
		t.Fatalf("ReadFromFD on empty pipe = %d, %v", n, err)
	}
	if w.Remaining() != 2*pageSize {
		t.Fatalf("Remaining %d", w.Remaining())
	}
	m.idle()
	fill(t, wfd, []byte("last"))
	unix.Close(wfd)
	if n, err := w.ReadFromFD(rfd); n != 4 || err != nil {
		t.Fatalf("ReadFromFD = %d, %v", n, err)
	}
	if n, err := w.ReadFromFD(rfd); n != 0 || err != nil {
		t.Fatalf("ReadFromFD at EOF = %d, %v", n, err)
	}
	if w.Remaining() != 2*pageSize-4 {
		t.Fatalf("Remaining %d", w.Remaining())
	}
	// A bad descriptor.
	if n, err := w.ReadFromFD(-1); n != 0 || err != unix.EBADF {
		t.Fatalf("ReadFromFD(-1) = %d, %v", n, err)
	}
	m.idle()
}

func TestWriteToFDPipe(t *testing.T) {
	m := newMem(t, base, "wr-w")
	rfd, wfd := pipe(t)
	r := NewGuestReader(m, base+4000, 3*pageSize)
	n, err := r.WriteToFD(wfd)
	if n != 96+pageSize || err != unix.EFAULT {
		t.Fatalf("WriteToFD = %d, %v", n, err)
	}
	m.idle()
	mustEqual(t, "pipe", drain(t, rfd), want(base+4000, 96+pageSize))
	if r.Remaining() != 3*pageSize-uint64(n) {
		t.Fatalf("Remaining %d", r.Remaining())
	}
	// A fault on the first byte writes nothing.
	if n, err := r.WriteToFD(wfd); n != 0 || err != unix.EFAULT {
		t.Fatalf("retry = %d, %v", n, err)
	}
	if got := drain(t, rfd); len(got) != 0 {
		t.Fatalf("pipe holds %d bytes", len(got))
	}
	// Scattered.
	r, _ = NewGuestReaderV(m, []Iovec{{base + 3*pageSize + 5, 10}, {base + 4090, 20}, {base + 1, 1}})
	if n, err := r.WriteToFD(wfd); n != 31 || err != nil {
		t.Fatalf("WriteToFD = %d, %v", n, err)
	}
	var expect []byte
	expect = append(expect, want(base+3*pageSize+5, 10)...)
	expect = append(expect, want(base+4090, 20)...)
	expect = append(expect, want(base+1, 1)...)
	mustEqual(t, "writev", drain(t, rfd), expect)
	if n, err := r.WriteToFD(wfd); n != 0 || err != nil {
		t.Fatalf("WriteToFD when empty = %d, %v", n, err)
	}
	m.idle()
}

// A short host write advances the reader by what was written only.
func TestWriteToFDShort(t *testing.T) {
	m := newMem(t, base, "wwww")
	rfd, wfd := pipe(t)
	if _, err := unix.FcntlInt(uintptr(wfd), unix.F_SETPIPE_SZ, pageSize); err != nil {
		t.Skip("F_SETPIPE_SZ:", err)
	}
	if err := unix.SetNonblock(wfd, true); err != nil {
		t.Fatal(err)
	}
	r := NewGuestReader(m, base+100, 10000)
	n, err := r.WriteToFD(wfd)
	if n != pageSize || err != nil {
		t.Fatalf("WriteToFD = %d, %v", n, err)
	}
	if r.Remaining() != 10000-pageSize {
		t.Fatalf("Remaining %d", r.Remaining())
	}
	if n, err := r.WriteToFD(wfd); n != 0 || err != unix.EAGAIN {
		t.Fatalf("WriteToFD on full pipe = %d, %v", n, err)
	}
	m.idle()
	got := drain(t, rfd)
	for r.Remaining() > 0 {
		if _, err := r.WriteToFD(wfd); err != nil {
			t.Fatal(err)
		}
		got = append(got, drain(t, rfd)...)
	}
	mustEqual(t, "all", got, want(base+100, 10000))
	m.idle()
}

func tempFile(t *testing.T) int {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return int(f.Fd())
}

func TestFileAt(t *testing.T) {
	m := newMem(t, base, "wwww")
	fd := tempFile(t)
	r := NewGuestReader(m, base+123, 3*pageSize)
	if n, err := r.WriteToFDAt(fd, 1000); n != 3*pageSize || err != nil {
		t.Fatalf("WriteToFDAt = %d, %v", n, err)
	}
	size := int64(1000 + 3*pageSize)

	dst := newMem(t, 0x80000, "ww-w")
	w := NewGuestWriter(dst, 0x80000+50, 3*pageSize)
	n, err := w.ReadFromFDAt(fd, 1000)
	if n != 2*pageSize-50 || err != unix.EFAULT {
		t.Fatalf("ReadFromFDAt = %d, %v", n, err)
	}
	mustEqual(t, "file", dst.get(0x80000+50, uint64(n)), want(base+123, uint64(n)))

	// Across the end of the file: short; at or past it: 0.
	w = NewGuestWriter(dst, 0x80000+3*pageSize, pageSize)
	if n, err := w.ReadFromFDAt(fd, size-10); n != 10 || err != nil {
		t.Fatalf("ReadFromFDAt across EOF = %d, %v", n, err)
	}
	mustEqual(t, "tail", dst.get(0x80000+3*pageSize, 10), want(base+123+3*pageSize-10, 10))
	if n, err := w.ReadFromFDAt(fd, size); n != 0 || err != nil {
		t.Fatalf("ReadFromFDAt at EOF = %d, %v", n, err)
	}
	if n, err := w.ReadFromFDAt(fd, -1); n != 0 || err != unix.EINVAL {
		t.Fatalf("ReadFromFDAt(-1) = %d, %v", n, err)
	}
	if w.Remaining() != pageSize-10 {
		t.Fatalf("Remaining %d", w.Remaining())
	}

	// Writing faults byte-exactly too, and the file keeps the bytes before.
	bad := newMem(t, 0x40000, "r-")
	r = NewGuestReader(bad, 0x40000+pageSize-7, 100)
	if n, err := r.WriteToFDAt(fd, 0); n != 7 || err != unix.EFAULT {
		t.Fatalf("WriteToFDAt = %d, %v", n, err)
	}
	head := make([]byte, 8)
	if _, err := unix.Pread(fd, head, 0); err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "head", head[:7], want(0x40000+pageSize-7, 7))
	m.idle()
	dst.idle()
	bad.idle()
}

// A buffer of more than MaxSegments pieces is served MaxSegments pieces per
// host call, never holding more pins than that.
func TestSegmentLimit(t *testing.T) {
	const size = 16 * pageSize
	m := newMem(t, base, "wwwwwwwwwwwwwwww")
	m.maxPiece = 16
	fd := tempFile(t)
	data := seq(3, size)
	if _, err := unix.Pwrite(fd, data, 0); err != nil {
		t.Fatal(err)
	}
	w := NewGuestWriter(m, base, size)
	var off int64
	calls := 0
	for w.Remaining() > 0 {
		n, err := w.ReadFromFDAt(fd, off)
		if n != MaxSegments*16 || err != nil {
			t.Fatalf("ReadFromFDAt = %d, %v", n, err)
		}
		off += int64(n)
		calls++
	}
	if calls != 4 || m.maxLive != MaxSegments {
		t.Fatalf("%d calls, at most %d pins", calls, m.maxLive)
	}
	mustEqual(t, "guest", m.get(base, size), data)
	m.idle()

	m.maxLive = 0
	r := NewGuestReader(m, base, size)
	n, err := r.WriteToFDAt(fd, size)
	if n != MaxSegments*16 || err != nil || m.maxLive != MaxSegments {
		t.Fatalf("WriteToFDAt = %d, %v (%d pins)", n, err, m.maxLive)
	}
	m.idle()
}

func TestKernelFD(t *testing.T) {
	rfd, wfd := pipe(t)
	if n, err := NewKernelReader([]byte("kernel bytes")).WriteToFD(wfd); n != 12 || err != nil {
		t.Fatalf("WriteToFD = %d, %v", n, err)
	}
	buf := make([]byte, 20)
	w := NewKernelWriter(buf)
	if n, err := w.ReadFromFD(rfd); n != 12 || err != nil || string(buf[:12]) != "kernel bytes" {
		t.Fatalf("ReadFromFD = %d, %v, %q", n, err, buf)
	}
	if w.Remaining() != 8 {
		t.Fatalf("Remaining %d", w.Remaining())
	}
	fd := tempFile(t)
	if n, err := NewKernelReader([]byte("abcdef")).WriteToFDAt(fd, 2); n != 6 || err != nil {
		t.Fatal(n, err)
	}
	got := make([]byte, 5)
	if n, err := NewKernelWriter(got).ReadFromFDAt(fd, 3); n != 5 || err != nil || string(got) != "bcdef" {
		t.Fatalf("ReadFromFDAt = %d, %v, %q", n, err, got)
	}
}

// hostIO retries EINTR, and releases everything when the host fails.
func TestHostIORetryAndError(t *testing.T) {
	m := newMem(t, base, "ww")
	w := NewGuestWriter(m, base, 2*pageSize)
	calls := 0
	n, err := hostIO(&w.c, func(iovs [][]byte) (int, error) {
		calls++
		if calls < 3 {
			return -1, unix.EINTR
		}
		if len(iovs) != 2 || m.live != 2 {
			t.Errorf("%d pieces, %d pinned", len(iovs), m.live)
		}
		return 10, nil
	})
	if n != 10 || err != nil || calls != 3 || w.Remaining() != 2*pageSize-10 {
		t.Fatalf("hostIO = %d, %v after %d calls", n, err, calls)
	}
	m.idle()
	n, err = hostIO(&w.c, func([][]byte) (int, error) { return -1, unix.EIO })
	if n != 0 || err != unix.EIO || w.Remaining() != 2*pageSize-10 {
		t.Fatalf("hostIO = %d, %v", n, err)
	}
	n, err = hostIO(&w.c, func([][]byte) (int, error) { return 3 * pageSize, nil })
	if n != 0 || err != unix.EIO || w.Remaining() != 2*pageSize-10 {
		t.Fatalf("hostIO claiming too much = %d, %v", n, err)
	}
	m.idle()
}
