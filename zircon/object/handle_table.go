package object

import (
	"math/rand/v2"
	"sync"
)

// HandleValue is zx_handle_t: how a process names a handle.
type HandleValue uint32

const (
	// HandleInvalid is ZX_HANDLE_INVALID.
	HandleInvalid HandleValue = 0
	// HandleFixedBitsMask is ZX_HANDLE_FIXED_BITS_MASK: these bits of
	// every valid handle value are 1, so no valid value is 0.
	HandleFixedBitsMask HandleValue = 0x3

	handleReservedBits = 2
	handleIndexBits    = 18
	handleGenBits      = 32 - handleReservedBits - handleIndexBits

	// MaxHandles is the most handles one table holds (2^18, the size of
	// Zircon's handle arena); past it, adding gives NO_RESOURCES.
	MaxHandles = 1 << handleIndexBits
)

// HandleTable is a process's handles. Values are built as Zircon builds
// them: a slot index and a generation count shifted above two bits that
// are always 1, XORed with a per-table random mask. A freed slot goes to
// the back of a FIFO, and its generation moves on, so a closed value is
// not handed out again at once and a stale value is not mistaken for a
// new handle.
type HandleTable struct {
	koid  Koid
	mixer uint32

	mu       sync.RWMutex
	slots    []handleSlot
	free     []uint32 // FIFO of free slot indices
	freeHead int
	count    int
}

type handleSlot struct {
	h   *Handle
	gen uint32
}

// NewHandleTable makes an empty handle table.
func NewHandleTable() *HandleTable {
	return &HandleTable{
		koid: NewKoid(),
		// Keep the fixed bits out of the mask: values stay ...11.
		mixer: rand.Uint32() << handleReservedBits,
	}
}

func (t *HandleTable) encode(idx, gen uint32) HandleValue {
	id := gen<<handleIndexBits | idx
	return HandleValue((id<<handleReservedBits | uint32(HandleFixedBitsMask)) ^ t.mixer)
}

// lookupLocked finds the slot a value names, or -1.
func (t *HandleTable) lookupLocked(v HandleValue) int {
	if v&HandleFixedBitsMask != HandleFixedBitsMask {
		return -1
	}
	id := (uint32(v) ^ t.mixer) >> handleReservedBits
	idx := id & (1<<handleIndexBits - 1)
	gen := id >> handleIndexBits
	if int(idx) >= len(t.slots) {
		return -1
	}
	s := &t.slots[idx]
	if s.h == nil || s.gen != gen {
		return -1
	}
	return int(idx)
}

func (t *HandleTable) addLocked(h *Handle) (HandleValue, Status) {
	var idx uint32
	switch {
	case t.freeHead < len(t.free):
		idx = t.free[t.freeHead]
		t.freeHead++
		if t.freeHead == len(t.free) {
			t.free, t.freeHead = t.free[:0], 0
		} else if t.freeHead > 64 && t.freeHead*2 > len(t.free) {
			n := copy(t.free, t.free[t.freeHead:])
			t.free, t.freeHead = t.free[:n], 0
		}
	case len(t.slots) < MaxHandles:
		idx = uint32(len(t.slots))
		t.slots = append(t.slots, handleSlot{})
	default:
		return HandleInvalid, ErrNoResources
	}
	s := &t.slots[idx]
	s.h = h
	t.count++
	return t.encode(idx, s.gen), OK
}

func (t *HandleTable) removeLocked(idx int) *Handle {
	s := &t.slots[idx]
	h := s.h
	s.h = nil
	s.gen = (s.gen + 1) & (1<<handleGenBits - 1)
	t.free = append(t.free, uint32(idx))
	t.count--
	return h
}

// Add puts h in the table and returns its value. A full table gives
// NO_RESOURCES and leaves h to the caller.
func (t *HandleTable) Add(h *Handle) (HandleValue, Status) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.addLocked(h)
}

// AddObject makes a handle to obj with the given rights and adds it; if
// the table is full the handle is closed again.
func (t *HandleTable) AddObject(obj Object, rights Rights) (HandleValue, Status) {
	h := NewHandle(obj, rights)
	v, st := t.Add(h)
	if st != OK {
		h.Close()
	}
	return v, st
}

// Get looks a value up, the way every syscall does: BAD_HANDLE if the
// table has no such handle, WRONG_TYPE if wantType is not TypeNone and
// the object is of another type, ACCESS_DENIED if the handle lacks one of
// the wanted rights — checked in that order, as Zircon does.
func (t *HandleTable) Get(v HandleValue, wantType ObjType, want Rights) (*Handle, Status) {
	t.mu.RLock()
	idx := t.lookupLocked(v)
	if idx < 0 {
		t.mu.RUnlock()
		return nil, ErrBadHandle
	}
	h := t.slots[idx].h
	t.mu.RUnlock()
	if wantType != TypeNone && h.obj.Type() != wantType {
		return nil, ErrWrongType
	}
	if !h.rights.Has(want) {
		return nil, ErrAccessDenied
	}
	return h, OK
}

// GetObject is Get for a Go type: the handle's object as a T (WRONG_TYPE
// if it is not one), checking rights after the type.
func GetObject[T Object](t *HandleTable, v HandleValue, want Rights) (T, *Handle, Status) {
	var zero T
	h, st := t.Get(v, TypeNone, 0)
	if st != OK {
		return zero, nil, st
	}
	obj, ok := h.obj.(T)
	if !ok {
		return zero, nil, ErrWrongType
	}
	if !h.rights.Has(want) {
		return zero, nil, ErrAccessDenied
	}
	return obj, h, OK
}

// Remove takes a handle out of the table without closing it (to move it
// into a channel message, or to another table).
func (t *HandleTable) Remove(v HandleValue) (*Handle, Status) {
	t.mu.Lock()
	defer t.mu.Unlock()
	idx := t.lookupLocked(v)
	if idx < 0 {
		return nil, ErrBadHandle
	}
	return t.removeLocked(idx), OK
}

// Close is zx_handle_close: closing HandleInvalid is OK and does nothing;
// an unknown value is BAD_HANDLE.
func (t *HandleTable) Close(v HandleValue) Status {
	if v == HandleInvalid {
		return OK
	}
	h, st := t.Remove(v)
	if st != OK {
		return st
	}
	h.Close()
	return OK
}

// CloseMany is zx_handle_close_many: every valid handle is closed, zero
// values are skipped, and if any value was not a handle (including one
// listed twice) the result is BAD_HANDLE — after closing all the others.
func (t *HandleTable) CloseMany(vs []HandleValue) Status {
	st := OK
	closing := make([]*Handle, 0, len(vs))
	t.mu.Lock()
	for _, v := range vs {
		if v == HandleInvalid {
			continue
		}
		idx := t.lookupLocked(v)
		if idx < 0 {
			st = ErrBadHandle
			continue
		}
		closing = append(closing, t.removeLocked(idx))
	}
	t.mu.Unlock()
	for _, h := range closing {
		h.Close()
	}
	return st
}

// Duplicate is zx_handle_duplicate: BAD_HANDLE, then ACCESS_DENIED
// without the DUPLICATE right, then INVALID_ARGS if rights is neither
// RightSameRights nor a subset of the handle's rights.
func (t *HandleTable) Duplicate(v HandleValue, rights Rights) (HandleValue, Status) {
	t.mu.Lock()
	defer t.mu.Unlock()
	idx := t.lookupLocked(v)
	if idx < 0 {
		return HandleInvalid, ErrBadHandle
	}
	nh, st := t.slots[idx].h.Duplicate(rights)
	if st != OK {
		return HandleInvalid, st
	}
	nv, st := t.addLocked(nh)
	if st != OK {
		// Closing the only handle we made cannot bring the count to
		// zero: the source handle is still there.
		nh.Close()
	}
	return nv, st
}

// Replace is zx_handle_replace: a new handle with the given rights takes
// the old one's place. The old handle is closed even when the rights are
// wrong (INVALID_ARGS), as Zircon's HandleDup.ReplaceFailureBothInvalid
// shows. No right is needed.
func (t *HandleTable) Replace(v HandleValue, rights Rights) (HandleValue, Status) {
	t.mu.Lock()
	idx := t.lookupLocked(v)
	if idx < 0 {
		t.mu.Unlock()
		return HandleInvalid, ErrBadHandle
	}
	old := t.removeLocked(idx)
	r, st := old.derive(rights)
	if st != OK {
		t.mu.Unlock()
		old.Close()
		return HandleInvalid, st
	}
	nh := NewHandle(old.obj, r)
	nv, st := t.addLocked(nh) // cannot fail: we just freed a slot
	t.mu.Unlock()
	old.Close()
	return nv, st
}

// CheckValid is zx_handle_check_valid: INVALID_ARGS for HandleInvalid,
// OUT_OF_RANGE for a value whose fixed bits are not set, NOT_FOUND for a
// well-formed value the table does not hold.
func (t *HandleTable) CheckValid(v HandleValue) Status {
	if v == HandleInvalid {
		return ErrInvalidArgs
	}
	if v&HandleFixedBitsMask != HandleFixedBitsMask {
		return ErrOutOfRange
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.lookupLocked(v) < 0 {
		return ErrNotFound
	}
	return OK
}

// BasicInfo is ZX_INFO_HANDLE_BASIC for a value (no rights needed).
func (t *HandleTable) BasicInfo(v HandleValue) (HandleBasicInfo, Status) {
	h, st := t.Get(v, TypeNone, 0)
	if st != OK {
		return HandleBasicInfo{}, st
	}
	return h.BasicInfo(), OK
}

// Count is the number of handles in the table (ZX_INFO_PROCESS_HANDLE_STATS
// and friends).
func (t *HandleTable) Count() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.count
}

// ForEach calls f for every handle, in slot order, until it returns
// false. f must not call back into the table.
func (t *HandleTable) ForEach(f func(v HandleValue, h *Handle) bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for i := range t.slots {
		s := &t.slots[i]
		if s.h != nil && !f(t.encode(uint32(i), s.gen), s.h) {
			return
		}
	}
}

// CloseAll closes every handle: the process is gone.
func (t *HandleTable) CloseAll() {
	t.mu.Lock()
	var hs []*Handle
	for i := range t.slots {
		if t.slots[i].h != nil {
			hs = append(hs, t.removeLocked(i))
		}
	}
	t.mu.Unlock()
	for _, h := range hs {
		h.Close()
	}
}

// Koid is the table's id (Zircon gives handle tables koids too).
func (t *HandleTable) Koid() Koid { return t.koid }
