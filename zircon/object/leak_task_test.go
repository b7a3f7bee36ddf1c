package object

import (
	"runtime"
	"sync"
	"testing"
)

// TestTaskWaitersReleased starts processes whose threads block in waits,
// parks goroutines on the TERMINATED signals of the threads, processes
// and job, then kills the job: every wait must end with the signal, every
// thread body must return, no goroutine may be left behind, and the
// processes' memory must be given back.
func TestTaskWaitersReleased(t *testing.T) {
	base := runtime.NumGoroutine()
	e := newTaskEnv(t)
	framesBefore := e.frames.Used()
	job := e.jobCreate(e.jobV)
	j, _, _ := lookup[*Job](e.self, job, 0)
	ev, _ := NewEvent(0)
	evh := NewHandle(ev, DefaultEventRights)
	defer evh.Close()

	const procs, threads, waiters = 4, 3, 4
	var handles []*Handle // process and thread handles to wait on
	for i := 0; i < procs; i++ {
		p, vmar, st := j.CreateProcess("leaky", 0)
		mustOK(t, st, "process")
		// Give each process memory to release.
		vmo, _ := NewVMO(e.env.Frames, 4*PageSize, 0)
		addr, st := vmar.Map(VmPermRead|VmPermWrite, 0, vmo, 0, 4*PageSize, vmar.DefaultRights(), vmo.DefaultRights())
		mustOK(t, st, "map")
		vmo.OnZeroHandles() // the mapping holds it now
		if _, err := p.Space().Access(addr, make([]byte, 4*PageSize), true, false); err != nil {
			t.Fatal(err)
		}
		handles = append(handles, NewHandle(p, DefaultProcessRights))
		for k := 0; k < threads; k++ {
			th, st := p.CreateThread("blocked", 0)
			mustOK(t, st, "thread")
			th.SetRunner(func(t *Thread, _ ThreadEntry) {
				WaitOne(evh, EventSignaled, TimeInfinite, t.Killed())
			})
			if k == 0 {
				mustOK(t, p.Start(th, ThreadEntry{PC: UserAspaceBase}, nil), "start")
			} else {
				mustOK(t, th.Start(ThreadEntry{PC: UserAspaceBase}), "start thread")
			}
			handles = append(handles, NewHandle(th, DefaultThreadRights))
		}
	}
	blockedOn(t, ev, procs*threads)
	handles = append(handles, NewHandle(j, DefaultJobRights))

	var wg sync.WaitGroup
	results := make(chan Status, len(handles)*waiters)
	for _, h := range handles {
		for w := 0; w < waiters; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, st := WaitOne(h, TaskTerminated, TimeInfinite, nil)
				results <- st
			}()
		}
	}
	for _, h := range handles {
		awaitObservers(h.Object(), waiters)
	}
	mustOK(t, TaskKill(e.self, job), "kill")
	wg.Wait()
	close(results)
	for st := range results {
		mustOK(t, st, "TERMINATED wait")
	}
	if ev.ObserverCount() != 0 {
		t.Errorf("%d waits on the event left", ev.ObserverCount())
	}
	for _, h := range handles {
		if n := h.Object().base().ObserverCount(); n != 0 {
			t.Errorf("%d observers left on a %v", n, h.Object().Type())
		}
		h.Close()
	}
	e.close(job)
	if used := e.frames.Used(); used != framesBefore {
		t.Errorf("%d frames in use, %d before: dead processes kept memory", used, framesBefore)
	}
	if got, ok := settleGoroutines(base); !ok {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines, %d before:\n%s", got, base, buf[:runtime.Stack(buf, true)])
	}
}
