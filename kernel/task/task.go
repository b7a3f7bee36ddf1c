// Package task is the life cycle of a kernel thread of control, shared
// by the personalities: a task is created, started once on its own
// goroutine, can be killed from any goroutine, and is dead when its body
// returns. Killing does not stop the body by force (Go cannot): it closes
// the task's Killed channel, which every blocking wait of the task
// selects on, so the body returns promptly. This is zCore's cancellation
// of a thread's future, in Go.
package task

import "sync"

// State is where a task is in its life.
type State uint8

const (
	New     State = iota // created, not started
	Running              // its body runs
	Dying                // killed; the body has yet to return
	Dead                 // its body returned, or it was killed before it started
)

func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Running:
		return "running"
	case Dying:
		return "dying"
	}
	return "dead"
}

// Task is one thread of control.
type Task struct {
	mu     sync.Mutex
	state  State
	killed chan struct{}
	done   chan struct{}
	once   sync.Once
	onDead []func()
}

// NewTask makes a task that has not started.
func NewTask() *Task {
	return &Task{killed: make(chan struct{}), done: make(chan struct{})}
}

// State reports the task's state now.
func (t *Task) State() State {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state
}

// Killed is closed when the task is killed or dead: the cancel channel of
// its blocking waits.
func (t *Task) Killed() <-chan struct{} { return t.killed }

// Done is closed once the task is dead and its OnDead functions ran.
func (t *Task) Done() <-chan struct{} { return t.done }

// OnDead adds a function to run when the task dies (in the goroutine
// that ends it), after the state is Dead. Added to a dead task, it runs
// at once.
func (t *Task) OnDead(f func()) {
	t.mu.Lock()
	if t.state != Dead {
		t.onDead = append(t.onDead, f)
		t.mu.Unlock()
		return
	}
	t.mu.Unlock()
	f()
}

// Start runs body on a new goroutine; the task dies when it returns. It
// reports false, doing nothing, unless the task is new.
func (t *Task) Start(body func()) bool {
	t.mu.Lock()
	if t.state != New {
		t.mu.Unlock()
		return false
	}
	t.state = Running
	t.mu.Unlock()
	go func() {
		defer t.finish()
		body()
	}()
	return true
}

// Kill ends the task: a new one dies at once, a running one is told
// through Killed and dies when its body returns. Killing twice, or a dead
// task, does nothing.
func (t *Task) Kill() {
	t.mu.Lock()
	switch t.state {
	case New:
		t.mu.Unlock()
		t.finish()
		return
	case Running:
		t.state = Dying
	}
	t.mu.Unlock()
	t.closeKilled()
}

func (t *Task) closeKilled() { t.once.Do(func() { close(t.killed) }) }

// finish makes the task dead and runs its OnDead functions.
func (t *Task) finish() {
	t.mu.Lock()
	if t.state == Dead {
		t.mu.Unlock()
		return
	}
	t.state = Dead
	hooks := t.onDead
	t.onDead = nil
	t.mu.Unlock()
	t.closeKilled()
	for _, f := range hooks {
		f()
	}
	close(t.done)
}
