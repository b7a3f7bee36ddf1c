package poll

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestNotifyWakesObserver(t *testing.T) {
	var p Pollee
	w := NewPoller()
	w.Observe(&p)
	defer w.Close()
	var ready atomic.Bool
	go func() {
		time.Sleep(10 * time.Millisecond)
		ready.Store(true)
		p.Notify()
	}()
	for !ready.Load() {
		if !w.Wait(time.Now().Add(5*time.Second), nil) {
			t.Fatal("timed out waiting for a notification")
		}
	}
}

func TestNotifyBeforeWaitIsKept(t *testing.T) {
	var p Pollee
	w := NewPoller()
	w.Observe(&p)
	p.Notify()
	if !w.Wait(time.Now().Add(time.Second), nil) {
		t.Fatal("a notification between subscribe and wait was lost")
	}
}

func TestWaitDeadlineAndCancel(t *testing.T) {
	w := NewPoller()
	if w.Wait(time.Now().Add(20*time.Millisecond), nil) {
		t.Fatal("woke without a notification")
	}
	cancel := make(chan struct{})
	close(cancel)
	if w.Wait(time.Time{}, cancel) {
		t.Fatal("cancelled wait reported a notification")
	}
}

func TestClosedPollerIsNotWoken(t *testing.T) {
	var p Pollee
	w := NewPoller()
	w.Observe(&p)
	w.Close()
	p.Notify()
	if w.Wait(time.Now().Add(10*time.Millisecond), nil) {
		t.Fatal("closed poller still notified")
	}
}
