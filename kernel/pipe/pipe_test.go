package pipe

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/lib/vmio"
)

type cancel chan struct{}

func (c cancel) Done() <-chan struct{} { return c }

func write(e *End, s string) (uint64, error) {
	return e.Write(vmio.NewKernelReader([]byte(s)), 0, nil)
}

func read(e *End, n int) (string, error) {
	b := make([]byte, n)
	got, err := e.Read(vmio.NewKernelWriter(b), 0, nil)
	return string(b[:got]), err
}

func TestReadWriteEOF(t *testing.T) {
	r, w := New().Ends(nil, nil)
	if n, err := write(w, "hello"); n != 5 || err != nil {
		t.Fatalf("write: %d, %v", n, err)
	}
	if r.Readiness()&poll.In == 0 || w.Readiness()&poll.Out == 0 {
		t.Error("readiness after a write")
	}
	if s, _ := read(r, 3); s != "hel" {
		t.Errorf("read %q", s)
	}
	w.Release()
	if s, _ := read(r, 10); s != "lo" {
		t.Errorf("read after close %q: buffered data comes first", s)
	}
	if s, err := read(r, 10); s != "" || err != nil {
		t.Errorf("read at EOF: %q, %v", s, err)
	}
	if r.Readiness()&poll.Hup == 0 {
		t.Error("no POLLHUP with the writer gone")
	}
}

func TestBrokenPipe(t *testing.T) {
	r, w := New().Ends(nil, nil)
	r.Release()
	if _, err := write(w, "x"); err != unix.EPIPE {
		t.Errorf("write without readers: %v, want EPIPE", err)
	}
	if w.Readiness()&poll.Err == 0 {
		t.Error("no POLLERR with the reader gone")
	}
}

func TestNonblocking(t *testing.T) {
	nb := func() bool { return true }
	r, w := New().Ends(nb, nb)
	if _, err := read(r, 1); err != unix.EAGAIN {
		t.Errorf("empty nonblocking read: %v", err)
	}
	big := bytes.Repeat([]byte("x"), DefaultCapacity+100)
	n, err := w.Write(vmio.NewKernelReader(big), 0, nil)
	if n != DefaultCapacity || err != nil {
		t.Errorf("nonblocking write of more than fits: %d, %v; want a partial write", n, err)
	}
	if _, err := write(w, "y"); err != unix.EAGAIN {
		t.Errorf("write to a full nonblocking pipe: %v", err)
	}
}

func TestBlockingReadWokenAndCanceled(t *testing.T) {
	r, w := New().Ends(nil, nil)
	go func() {
		time.Sleep(20 * time.Millisecond)
		write(w, "late")
	}()
	if s, err := read(r, 10); s != "late" || err != nil {
		t.Errorf("blocking read: %q, %v", s, err)
	}
	c := make(cancel)
	go func() {
		time.Sleep(20 * time.Millisecond)
		close(c)
	}()
	b := make([]byte, 4)
	if _, err := r.Read(vmio.NewKernelWriter(b), 0, c); err != ErrCanceled {
		t.Errorf("canceled read: %v", err)
	}
}

// TestAtomicWrites: concurrent writers of PIPE_BUF-sized records never
// interleave within a record.
func TestAtomicWrites(t *testing.T) {
	r, w := New().Ends(nil, nil)
	const writers, records = 4, 50
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func(c byte) {
			defer wg.Done()
			rec := bytes.Repeat([]byte{c}, Atomic)
			for j := 0; j < records; j++ {
				w.Write(vmio.NewKernelReader(rec), 0, nil)
			}
		}(byte('a' + i))
	}
	go func() { wg.Wait(); w.Release() }()
	var all []byte
	buf := make([]byte, 3000)
	for {
		n, err := r.Read(vmio.NewKernelWriter(buf), 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		all = append(all, buf[:n]...)
	}
	if len(all) != writers*records*Atomic {
		t.Fatalf("read %d bytes", len(all))
	}
	for i := 0; i < len(all); i += Atomic {
		if !bytes.Equal(all[i:i+Atomic], bytes.Repeat(all[i:i+1], Atomic)) {
			t.Fatalf("record at %d interleaved", i)
		}
	}
}

func TestCapacity(t *testing.T) {
	p := New()
	_, w := p.Ends(nil, nil)
	if p.Capacity() != DefaultCapacity {
		t.Errorf("capacity %d", p.Capacity())
	}
	if c, err := p.SetCapacity(5000); c != 8192 || err != nil {
		t.Errorf("F_SETPIPE_SZ 5000: %d, %v; want 8192", c, err)
	}
	write(w, string(bytes.Repeat([]byte("z"), 8000)))
	if _, err := p.SetCapacity(4096); err != unix.EBUSY {
		t.Errorf("shrinking below the buffered bytes: %v", err)
	}
	if _, err := p.SetCapacity(MaxCapacity + 1); err != unix.EPERM {
		t.Errorf("beyond the maximum: %v", err)
	}
	if p.Buffered() != 8000 {
		t.Errorf("FIONREAD %d", p.Buffered())
	}
}
