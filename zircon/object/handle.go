package object

import (
	"encoding/binary"
	"sync/atomic"
)

// Handle is a capability: an object and the rights this handle grants to
// it. A handle lives in one handle table at a time, or in a channel
// message in flight; the object lives as long as anything references it,
// and learns when its last handle closes.
type Handle struct {
	obj    Object
	rights Rights
	closed atomic.Bool
}

// NewHandle makes a handle to obj with the given rights.
func NewHandle(obj Object, rights Rights) *Handle {
	obj.base().handles.Add(1)
	return &Handle{obj: obj, rights: rights}
}

// NewHandleDefault makes a handle with the default rights of obj's type.
func NewHandleDefault(obj Object) *Handle { return NewHandle(obj, obj.Type().DefaultRights()) }

// Object is the object the handle refers to.
func (h *Handle) Object() Object { return h.obj }

// Rights is what the handle allows.
func (h *Handle) Rights() Rights { return h.rights }

// HasRights reports whether the handle has every right in want.
func (h *Handle) HasRights(want Rights) bool { return h.rights.Has(want) }

// Closed reports whether the handle has been closed.
func (h *Handle) Closed() bool { return h.closed.Load() }

// Close destroys the handle: waits through it are canceled (wait_one and
// wait_many return CANCELED, wait_async observers are removed without a
// packet), and if it was the object's last handle the object is told.
// Closing twice does nothing.
func (h *Handle) Close() {
	if h.closed.Swap(true) {
		return
	}
	b := h.obj.base()
	b.cancelHandle(h)
	if b.handles.Add(-1) == 0 {
		zeroHandles(h.obj)
	}
}

// Duplicate is zx_handle_duplicate on a handle: a new handle to the same
// object with the given rights (RightSameRights: the same). It needs the
// DUPLICATE right (else ACCESS_DENIED), and rights must be a subset of the
// handle's (else INVALID_ARGS).
func (h *Handle) Duplicate(rights Rights) (*Handle, Status) {
	if !h.HasRights(RightDuplicate) {
		return nil, ErrAccessDenied
	}
	r, st := h.derive(rights)
	if st != OK {
		return nil, st
	}
	return NewHandle(h.obj, r), OK
}

// derive resolves the rights asked of duplicate or replace.
func (h *Handle) derive(rights Rights) (Rights, Status) {
	if rights == RightSameRights {
		return h.rights, OK
	}
	if !h.rights.Has(rights) {
		return 0, ErrInvalidArgs
	}
	return rights, OK
}

// HandleBasicInfo is zx_info_handle_basic_t (ZX_INFO_HANDLE_BASIC).
type HandleBasicInfo struct {
	Koid        Koid
	Rights      Rights
	Type        ObjType
	RelatedKoid Koid
}

// HandleBasicInfoSize is sizeof(zx_info_handle_basic_t).
const HandleBasicInfoSize = 32

// BasicInfo describes the handle and its object. It needs no rights.
func (h *Handle) BasicInfo() HandleBasicInfo {
	b := h.obj.base()
	return HandleBasicInfo{Koid: b.koid, Rights: h.rights, Type: b.typ, RelatedKoid: b.RelatedKoid()}
}

// Marshal encodes the info in zx_info_handle_basic_t's layout: koid u64,
// rights u32, type u32, related_koid u64, reserved u32, padding.
func (i HandleBasicInfo) Marshal() [HandleBasicInfoSize]byte {
	var b [HandleBasicInfoSize]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(i.Koid))
	binary.LittleEndian.PutUint32(b[8:], uint32(i.Rights))
	binary.LittleEndian.PutUint32(b[12:], uint32(i.Type))
	binary.LittleEndian.PutUint64(b[16:], uint64(i.RelatedKoid))
	return b
}
