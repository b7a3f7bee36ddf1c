package pipe

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func yes() bool { return true }

// FIFO opens follow open(2): a nonblocking writer without a reader is
// ENXIO, a nonblocking reader opens at once, a blocking end waits for the
// other side, O_RDWR never waits, and a wait can be canceled.
func TestFIFOOpen(t *testing.T) {
	p := NewFIFO()
	if _, err := p.Open(false, true, yes, nil); err != unix.ENXIO {
		t.Errorf("nonblocking writer, no reader: %v", err)
	}
	r, err := p.Open(true, false, yes, nil)
	if err != nil {
		t.Fatalf("nonblocking reader: %v", err)
	}
	if n, err := read(r, 10); n != "" || err != nil {
		t.Errorf("read with no writer ever: %q %v", n, err)
	}
	w, err := p.Open(false, true, yes, nil)
	if err != nil {
		t.Fatalf("nonblocking writer with a reader: %v", err)
	}
	write(w, "through")
	if got, _ := read(r, 10); got != "through" {
		t.Errorf("read %q", got)
	}
	w.Release()
	r.Release()

	// A blocking reader waits for a writer.
	got := make(chan error, 1)
	go func() {
		r, err := p.Open(true, false, nil, nil)
		if err == nil {
			r.Release()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("blocking reader did not wait: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	w, err = p.Open(false, true, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Errorf("blocking reader: %v", err)
	}
	w.Release()

	// O_RDWR opens at once; a canceled blocking writer gives up (EINTR).
	rw, err := p.Open(true, true, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rw.Release()
	c := make(cancel)
	close(c)
	if _, err := p.Open(false, true, nil, c); err != ErrCanceled {
		t.Errorf("canceled writer: %v", err)
	}
	p.mu.Lock()
	readers, writers := p.readers, p.writers
	p.mu.Unlock()
	if readers != 0 || writers != 0 {
		t.Errorf("ends left open: %d readers, %d writers", readers, writers)
	}
}
