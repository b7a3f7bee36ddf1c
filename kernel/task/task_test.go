package task

import (
	"testing"
	"time"
)

func TestStartRunsOnceAndDies(t *testing.T) {
	tk := NewTask()
	if tk.State() != New {
		t.Fatalf("state %v", tk.State())
	}
	ran := make(chan struct{})
	var hooks []string
	tk.OnDead(func() { hooks = append(hooks, "first") })
	if !tk.Start(func() { close(ran) }) {
		t.Fatal("Start of a new task failed")
	}
	if tk.Start(func() { t.Error("a second body ran") }) {
		t.Error("a task started twice")
	}
	<-ran
	<-tk.Done()
	if tk.State() != Dead || len(hooks) != 1 {
		t.Errorf("after the body: %v, hooks %v", tk.State(), hooks)
	}
	select {
	case <-tk.Killed():
	default:
		t.Error("a dead task's Killed is open")
	}
	late := false
	tk.OnDead(func() { late = true })
	if !late {
		t.Error("OnDead on a dead task did not run")
	}
}

func TestKillRunningWaitsForTheBody(t *testing.T) {
	tk := NewTask()
	release := make(chan struct{})
	tk.Start(func() {
		<-tk.Killed()
		<-release // the body decides when it has cleaned up
	})
	tk.Kill()
	if st := tk.State(); st != Dying {
		t.Errorf("killed while the body runs: %v, want dying", st)
	}
	select {
	case <-tk.Done():
		t.Fatal("dead before the body returned")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	<-tk.Done()
	tk.Kill() // a dead task ignores it
	if tk.State() != Dead {
		t.Errorf("state %v", tk.State())
	}
}

func TestKillNewDiesAtOnce(t *testing.T) {
	tk := NewTask()
	dead := false
	tk.OnDead(func() { dead = true })
	tk.Kill()
	<-tk.Done()
	if !dead || tk.State() != Dead {
		t.Errorf("a killed new task: %v, hook %v", tk.State(), dead)
	}
	if tk.Start(func() { t.Error("a killed task ran") }) {
		t.Error("a dead task started")
	}
}
