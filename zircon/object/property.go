package object

import "encoding/binary"

// Object properties (ZX_PROP_*), with Fuchsia's values.
const (
	PropRegisterGS              uint32 = 2
	PropName                    uint32 = 3
	PropRegisterFS              uint32 = 4
	PropProcessDebugAddr        uint32 = 5
	PropProcessVDSOBaseAddress  uint32 = 6
	PropProcessBreakOnLoad      uint32 = 7
	PropProcessHWTraceContextID uint32 = 8
	PropSocketRxThreshold       uint32 = 12
	PropSocketTxThreshold       uint32 = 13
	PropJobKillOnOOM            uint32 = 15
	PropExceptionState          uint32 = 16
	PropVMOContentSize          uint32 = 17
	PropExceptionStrategy       uint32 = 18
	PropStreamModeAppend        uint32 = 19
)

// ProcessDebugAddrBreakOnSet is ZX_PROCESS_DEBUG_ADDR_BREAK_ON_SET: the
// one debug address value the loader may still replace.
const ProcessDebugAddrBreakOnSet uint64 = 1

// PropertyObject is implemented by objects with properties beyond those
// handled here (a socket's thresholds): the object answers its own.
// handled false means "not one of mine", and the property is then
// INVALID_ARGS unless handled here.
type PropertyObject interface {
	GetProperty(prop uint32, buf []byte) (handled bool, st Status)
	SetProperty(prop uint32, buf []byte) (handled bool, st Status)
}

// ObjectGetProperty is zx_object_get_property made by process p, the
// value written to buf. The handle needs GET_PROPERTY. NAME needs a
// buffer of MaxNameLen bytes and gets the NUL-padded name; the 8-byte
// properties need 8 bytes (BUFFER_TOO_SMALL); a property of another
// kind of object is WRONG_TYPE, an unknown one INVALID_ARGS.
func ObjectGetProperty(p *Process, v HandleValue, prop uint32, buf []byte) Status {
	h, st := getInspect(p, v, RightGetProperty)
	if st != OK {
		return st
	}
	obj := h.Object()
	if prop == PropName {
		if len(buf) < MaxNameLen {
			return ErrBufferTooSmall
		}
		name, st := obj.base().Name()
		if st != OK {
			return st
		}
		clear(buf[:MaxNameLen])
		copy(buf, name)
		return OK
	}
	if po, ok := obj.(PropertyObject); ok {
		if handled, st := po.GetProperty(prop, buf); handled {
			return st
		}
	}
	var val uint64
	switch prop {
	case PropProcessDebugAddr, PropProcessBreakOnLoad, PropProcessVDSOBaseAddress:
		pr, ok := obj.(*Process)
		if len(buf) < 8 {
			return ErrBufferTooSmall
		}
		if !ok {
			return ErrWrongType
		}
		pr.Lock()
		switch prop {
		case PropProcessDebugAddr:
			val = pr.debugAddr
		case PropProcessBreakOnLoad:
			val = pr.breakOnLoad
		}
		pr.Unlock()
	case PropVMOContentSize:
		o, ok := obj.(*VMO)
		if len(buf) < 8 {
			return ErrBufferTooSmall
		}
		if !ok {
			return ErrWrongType
		}
		val = o.ContentSize()
	case PropProcessHWTraceContextID:
		return ErrNotSupported
	default:
		return ErrInvalidArgs
	}
	binary.LittleEndian.PutUint64(buf, val)
	return OK
}

// ObjectSetProperty is zx_object_set_property made by process p, the
// value read from buf. The handle needs SET_PROPERTY. A NAME longer than
// MaxNameLen-1 bytes is cut (also at a NUL). PROCESS_DEBUG_ADDR may not
// be 0 (INVALID_ARGS) and is set once (ACCESS_DENIED after);
// JOB_KILL_ON_OOM takes 0 or 1 (INVALID_ARGS); VMO_CONTENT_SIZE see
// VMO.SetContentSize. Short buffers, other objects and unknown
// properties as for ObjectGetProperty.
func ObjectSetProperty(p *Process, v HandleValue, prop uint32, buf []byte) Status {
	h, st := getInspect(p, v, RightSetProperty)
	if st != OK {
		return st
	}
	obj := h.Object()
	if prop == PropName {
		return obj.base().SetName(string(buf[:min(len(buf), MaxNameLen-1)]))
	}
	if po, ok := obj.(PropertyObject); ok {
		if handled, st := po.SetProperty(prop, buf); handled {
			return st
		}
	}
	switch prop {
	case PropProcessDebugAddr, PropProcessBreakOnLoad:
		pr, ok := obj.(*Process)
		if len(buf) < 8 {
			return ErrBufferTooSmall
		}
		if !ok {
			return ErrWrongType
		}
		val := binary.LittleEndian.Uint64(buf)
		pr.Lock()
		defer pr.Unlock()
		if prop == PropProcessBreakOnLoad {
			pr.breakOnLoad = val
			return OK
		}
		if val == 0 {
			return ErrInvalidArgs
		}
		if pr.debugAddr != 0 && pr.debugAddr != ProcessDebugAddrBreakOnSet {
			return ErrAccessDenied
		}
		pr.debugAddr = val
		return OK
	case PropJobKillOnOOM:
		j, ok := obj.(*Job)
		if !ok {
			return ErrWrongType
		}
		if len(buf) < 8 {
			return ErrBufferTooSmall
		}
		switch binary.LittleEndian.Uint64(buf) {
		case 0:
			j.SetKillOnOOM(false)
		case 1:
			j.SetKillOnOOM(true)
		default:
			return ErrInvalidArgs
		}
		return OK
	case PropVMOContentSize:
		o, ok := obj.(*VMO)
		if len(buf) < 8 {
			return ErrBufferTooSmall
		}
		if !ok {
			return ErrWrongType
		}
		return o.SetContentSize(binary.LittleEndian.Uint64(buf))
	}
	return ErrInvalidArgs
}
