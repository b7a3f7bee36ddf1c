package object

import "testing"

// object_get_property / object_set_property, after Fuchsia's core-tests
// property/property.cc (PropertyTest).

func TestPropertyTest_NameTruncation(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	long := []byte("0123456789abcdef0123456789abcdef0123456789")
	mustOK(t, ObjectSetProperty(e.self, v, PropName, long), "set")
	name := make([]byte, MaxNameLen+8)
	for i := range name {
		name[i] = 'x'
	}
	mustOK(t, ObjectGetProperty(e.self, v, PropName, name), "get")
	if cString(name) != string(long[:MaxNameLen-1]) || name[MaxNameLen-1] != 0 {
		t.Fatalf("name %q", name)
	}
	if name[MaxNameLen] != 'x' {
		t.Error("get wrote past ZX_MAX_NAME_LEN")
	}
	mustOK(t, ObjectSetProperty(e.self, v, PropName, nil), "empty")
	ObjectGetProperty(e.self, v, PropName, name)
	if cString(name) != "" {
		t.Fatalf("name %q", cString(name))
	}
}

func TestPropertyTest_Rights(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	d, _ := e.self.Handles().Duplicate(v, DefaultVMORights&^RightSetProperty)
	wantStatus(t, ObjectSetProperty(e.self, d, PropName, []byte("x")), ErrAccessDenied, "set without SET_PROPERTY")
	wantStatus(t, ObjectSetProperty(e.self, e.vmarV, PropName, []byte("x")), ErrAccessDenied, "VMAR has no property rights")
	wantStatus(t, ObjectSetProperty(e.self, 0x4321, PropName, []byte("x")), ErrBadHandle, "bad handle")
	wantStatus(t, ObjectSetProperty(e.self, v, PropJobKillOnOOM, u64bytes(1)), ErrWrongType, "job property on a VMO")
	wantStatus(t, ObjectSetProperty(e.self, e.jobV, PropJobKillOnOOM, []byte{1}), ErrBufferTooSmall, "short")
	wantStatus(t, ObjectSetProperty(e.self, v, 4242, u64bytes(1)), ErrInvalidArgs, "unknown")
}

// thresholdObject stands for an object with a property of its own.
type thresholdObject struct {
	Base
	threshold uint64
}

func (o *thresholdObject) GetProperty(prop uint32, buf []byte) (bool, Status) {
	if prop != PropSocketRxThreshold {
		return false, OK
	}
	copy(buf, u64bytes(o.threshold))
	return true, OK
}

func (o *thresholdObject) SetProperty(prop uint32, buf []byte) (bool, Status) {
	if prop != PropSocketRxThreshold {
		return false, OK
	}
	o.threshold = getU64(buf, 0)
	return true, OK
}

// TestPropertyTest_ObjectOwnProperty: objects answer the properties they
// define themselves; the rest are handled as for any object.
func TestPropertyTest_ObjectOwnProperty(t *testing.T) {
	e := newTaskEnv(t)
	o := &thresholdObject{}
	o.Init(TypeSocket, 0)
	v, _ := e.self.AddHandle(o, RightsProperty)
	mustOK(t, ObjectSetProperty(e.self, v, PropSocketRxThreshold, u64bytes(77)), "set")
	b := make([]byte, 8)
	mustOK(t, ObjectGetProperty(e.self, v, PropSocketRxThreshold, b), "get")
	if getU64(b, 0) != 77 {
		t.Fatalf("threshold %d", getU64(b, 0))
	}
	wantStatus(t, ObjectGetProperty(e.self, v, PropVMOContentSize, b), ErrWrongType, "another type's property")
}
