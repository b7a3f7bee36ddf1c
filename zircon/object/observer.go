package object

// SignalObserver watches an object's signals (Zircon's SignalObserver).
// Once added it gets exactly one call, with the object's lock held and
// after it has been removed from the object:
//
//   - OnMatch(state) when one of the signals it waits for becomes active
//     (or already is, when added in level mode);
//   - OnCancel(state) when the handle it was added through is closed.
//
// It gets neither if RemoveObserver takes it out first. The calls must
// not block or call back into the object; taking a port's lock is fine.
//
// Implement it by embedding an ObserverNode, which carries the list links.
type SignalObserver interface {
	OnMatch(state Signals)
	OnCancel(state Signals)
	observerNode() *ObserverNode
}

// ObserverNode links a SignalObserver into an object's observer list.
// Embed it in the observer; its zero value is ready.
type ObserverNode struct {
	prev, next *ObserverNode
	self       SignalObserver
	handle     *Handle
	want       Signals
	linked     bool
}

func (n *ObserverNode) observerNode() *ObserverNode { return n }

// observerList is a doubly linked list of observers, in the order added.
type observerList struct {
	head, tail *ObserverNode
	n          int
}

func (l *observerList) push(n *ObserverNode) {
	n.prev, n.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = n
	} else {
		l.head = n
	}
	l.tail = n
	n.linked = true
	l.n++
}

func (l *observerList) remove(n *ObserverNode) {
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		l.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		l.tail = n.prev
	}
	n.prev, n.next = nil, nil
	n.linked = false
	l.n--
}

// TriggerMode says when an observer added to an object fires.
type TriggerMode int

const (
	// Level: fire if a wanted signal is active now or becomes active.
	Level TriggerMode = iota
	// Edge: fire only when a wanted signal goes from inactive to active
	// after the observer is added (ZX_WAIT_ASYNC_EDGE).
	Edge
)

// AddObserver makes o watch for any of the signals want, on behalf of
// handle h (nil for kernel-internal observers, which closing no handle
// cancels). In Level mode, if a wanted signal is already active, o fires
// at once. An object whose type cannot be waited on gives NOT_SUPPORTED; a
// handle already closed cancels o at once.
func (b *Base) AddObserver(o SignalObserver, h *Handle, want Signals, mode TriggerMode) Status {
	if !b.typ.Waitable() {
		return ErrNotSupported
	}
	n := o.observerNode()
	b.Lock()
	defer b.Unlock()
	cur := b.Signals()
	if h != nil && h.closed.Load() {
		o.OnCancel(cur)
		return OK
	}
	if mode == Level && cur&want != 0 {
		o.OnMatch(cur)
		return OK
	}
	n.self, n.handle, n.want = o, h, want
	b.observers.push(n)
	return OK
}

// RemoveObserver takes o out of the object's list without calling it. It
// reports whether o was still there (false: it already fired, was
// canceled, or was never added) and the signal state at that moment.
func (b *Base) RemoveObserver(o SignalObserver) (bool, Signals) {
	n := o.observerNode()
	b.Lock()
	defer b.Unlock()
	cur := b.Signals()
	if !n.linked {
		return false, cur
	}
	b.observers.remove(n)
	return true, cur
}

// ObserverCount is the number of observers waiting on the object.
func (b *Base) ObserverCount() int {
	b.Lock()
	defer b.Unlock()
	return b.observers.n
}

// notifyLocked fires every observer waiting for one of raised.
func (b *Base) notifyLocked(raised, state Signals) {
	for n := b.observers.head; n != nil; {
		next := n.next
		if n.want&raised != 0 {
			b.observers.remove(n)
			n.self.OnMatch(state)
		}
		n = next
	}
}

// cancelHandle cancels every observer added through h: h is being closed
// (Zircon's Dispatcher::Cancel).
func (b *Base) cancelHandle(h *Handle) {
	if !b.typ.Waitable() {
		return
	}
	b.Lock()
	defer b.Unlock()
	cur := b.Signals()
	for n := b.observers.head; n != nil; {
		next := n.next
		if n.handle == h {
			b.observers.remove(n)
			n.self.OnCancel(cur)
		}
		n = next
	}
}
