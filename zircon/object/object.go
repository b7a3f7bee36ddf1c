package object

import (
	"sync"
	"sync/atomic"
)

// MaxNameLen is ZX_MAX_NAME_LEN: a name property holds at most
// MaxNameLen-1 bytes (the C string's terminator takes the last).
const MaxNameLen = 32

// Object is a kernel object. Every object embeds Base, which supplies all
// of these methods; the unexported one keeps other implementations out
// while letting objects defined in other packages (embedding Base) in.
type Object interface {
	Koid() Koid
	Type() ObjType
	base() *Base
}

// Base is the part every kernel object shares (zCore's KObjectBase,
// Zircon's Dispatcher): identity, name, signal state, observers, handle
// count and, for paired objects, the peer. Embed it and call Init before
// the object is shared.
type Base struct {
	koid Koid
	typ  ObjType

	// lockp is the lock shared with a peer (Zircon's PeerHolder), nil for
	// a solo object, which uses own.
	lockp *sync.Mutex
	own   sync.Mutex

	// signals is written with the lock held, read without it.
	signals   atomic.Uint32
	observers observerList // guarded by the lock

	handles atomic.Int64

	name    string // guarded by the lock
	related atomic.Uint64

	peered bool
	peer   Object // guarded by the (shared) lock; nil once the peer is gone
}

// Init gives the object its koid and type and asserts the initial
// signals. Call it once, before the object is shared.
func (b *Base) Init(t ObjType, initial Signals) {
	b.koid = NewKoid()
	b.typ = t
	b.signals.Store(uint32(initial))
}

// Koid is the object's id.
func (b *Base) Koid() Koid { return b.koid }

// Type is the object's type.
func (b *Base) Type() ObjType { return b.typ }

func (b *Base) base() *Base { return b }

func (b *Base) mu() *sync.Mutex {
	if b.lockp != nil {
		return b.lockp
	}
	return &b.own
}

// Lock takes the object's lock (shared with its peer, for a peered
// object). Objects built on Base use it to update their own state and
// signals together (UpdateStateLocked).
func (b *Base) Lock() { b.mu().Lock() }

// Unlock releases the object's lock.
func (b *Base) Unlock() { b.mu().Unlock() }

// RelatedKoid is zx_info_handle_basic_t's related_koid: the peer of a
// paired object, the process of a thread, the job of a process; 0 if
// none.
func (b *Base) RelatedKoid() Koid { return Koid(b.related.Load()) }

// SetRelatedKoid records the related koid (a thread's process, a
// process's job). Peered objects get theirs from InitPeers.
func (b *Base) SetRelatedKoid(k Koid) { b.related.Store(uint64(k)) }

// HandleCount is the number of live handles to the object.
func (b *Base) HandleCount() int { return int(b.handles.Load()) }

// Name is the ZX_PROP_NAME property. Types without one give WRONG_TYPE,
// as Zircon's Dispatcher::get_name does.
func (b *Base) Name() (string, Status) {
	if !b.typ.Named() {
		return "", ErrWrongType
	}
	b.Lock()
	defer b.Unlock()
	return b.name, OK
}

// SetName sets ZX_PROP_NAME, truncated to MaxNameLen-1 bytes (and at a
// NUL, as the C string would be). Types without a name give WRONG_TYPE.
func (b *Base) SetName(name string) Status {
	if !b.typ.Named() {
		return ErrWrongType
	}
	for i := 0; i < len(name); i++ {
		if name[i] == 0 {
			name = name[:i]
			break
		}
	}
	if len(name) > MaxNameLen-1 {
		name = name[:MaxNameLen-1]
	}
	b.Lock()
	b.name = name
	b.Unlock()
	return OK
}

// ZeroHandlesHandler is implemented by solo objects that act when their
// last handle is closed (a timer cancels itself, a port drops its
// observers).
type ZeroHandlesHandler interface {
	OnZeroHandles()
}

// PeerZeroHandlesHandler is implemented by peered objects. When the last
// handle to one end closes, with the shared lock held, that end gets
// OnZeroHandlesLocked and then its peer, already unlinked from it, gets
// OnPeerZeroHandlesLocked (typically: assert PEER_CLOSED). Zircon's
// PeeredDispatcher::on_zero_handles.
type PeerZeroHandlesHandler interface {
	OnZeroHandlesLocked()
	OnPeerZeroHandlesLocked()
}

// afterZeroHandles is implemented by peered objects that hold handles
// (a channel's unread messages): they close them here, after
// OnZeroHandlesLocked and outside the lock, since closing a handle may
// take other objects' locks.
type afterZeroHandles interface {
	afterZeroHandles()
}

// zeroHandles runs when the handle count reaches zero.
func zeroHandles(obj Object) {
	b := obj.base()
	if !b.peered {
		if h, ok := obj.(ZeroHandlesHandler); ok {
			h.OnZeroHandles()
		}
		return
	}
	b.Lock()
	peer := b.peer
	b.peer = nil
	h, _ := obj.(PeerZeroHandlesHandler)
	if h != nil {
		h.OnZeroHandlesLocked()
	}
	if peer != nil {
		peer.base().peer = nil
		if ph, ok := peer.(PeerZeroHandlesHandler); ok {
			ph.OnPeerZeroHandlesLocked()
		}
	}
	b.Unlock()
	if a, ok := obj.(afterZeroHandles); ok {
		a.afterZeroHandles()
	}
}
