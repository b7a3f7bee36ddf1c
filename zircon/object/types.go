package object

import "fmt"

// ObjType is zx_obj_type_t.
type ObjType uint32

// The object types, with Fuchsia's values.
const (
	TypeNone         ObjType = 0
	TypeProcess      ObjType = 1
	TypeThread       ObjType = 2
	TypeVMO          ObjType = 3
	TypeChannel      ObjType = 4
	TypeEvent        ObjType = 5
	TypePort         ObjType = 6
	TypeInterrupt    ObjType = 9
	TypePCIDevice    ObjType = 11
	TypeLog          ObjType = 12 // the debuglog
	TypeSocket       ObjType = 14
	TypeResource     ObjType = 15
	TypeEventPair    ObjType = 16
	TypeJob          ObjType = 17
	TypeVMAR         ObjType = 18
	TypeFIFO         ObjType = 19
	TypeGuest        ObjType = 20
	TypeVCPU         ObjType = 21
	TypeTimer        ObjType = 22
	TypeIOMMU        ObjType = 23
	TypeBTI          ObjType = 24
	TypeProfile      ObjType = 25
	TypePMT          ObjType = 26
	TypeSuspendToken ObjType = 27
	TypePager        ObjType = 28
	TypeException    ObjType = 29
	TypeClock        ObjType = 30
	TypeStream       ObjType = 31
	TypeMSI          ObjType = 32
	TypeIOB          ObjType = 33
	TypeCounter      ObjType = 35

	// TypeUpperBound is ZX_OBJ_TYPE_UPPER_BOUND.
	TypeUpperBound ObjType = 64
)

// typeInfo is what Zircon fixes per type: its name, the rights of a new
// handle, which extra signals zx_object_signal may touch, and whether it
// has a ZX_PROP_NAME.
type typeInfo struct {
	name          string
	defaultRights Rights
	extraUser     Signals
	named         bool
}

var typeTable = map[ObjType]typeInfo{
	TypeProcess:      {"process", DefaultProcessRights, 0, true},
	TypeThread:       {"thread", DefaultThreadRights, 0, true},
	TypeVMO:          {"vmo", DefaultVMORights, 0, true},
	TypeChannel:      {"channel", DefaultChannelRights, 0, false},
	TypeEvent:        {"event", DefaultEventRights, EventSignaled, false},
	TypePort:         {"port", DefaultPortRights, 0, false},
	TypeInterrupt:    {"interrupt", DefaultInterruptRights, 0, false},
	TypePCIDevice:    {"pci_device", DefaultPCIDeviceRights, 0, false},
	TypeLog:          {"log", DefaultLogRights, 0, false},
	TypeSocket:       {"socket", DefaultSocketRights, 0, false},
	TypeResource:     {"resource", DefaultResourceRights, 0, true},
	TypeEventPair:    {"eventpair", DefaultEventPairRights, EventPairSignaled, false},
	TypeJob:          {"job", DefaultJobRights, 0, true},
	TypeVMAR:         {"vmar", DefaultVMARRights, 0, false},
	TypeFIFO:         {"fifo", DefaultFIFORights, 0, false},
	TypeGuest:        {"guest", DefaultGuestRights, 0, false},
	TypeVCPU:         {"vcpu", DefaultVCPURights, 0, false},
	TypeTimer:        {"timer", DefaultTimerRights, 0, false},
	TypeIOMMU:        {"iommu", DefaultIOMMURights, 0, false},
	TypeBTI:          {"bti", DefaultBTIRights, 0, true},
	TypeProfile:      {"profile", DefaultProfileRights, 0, false},
	TypePMT:          {"pmt", DefaultPMTRights, 0, false},
	TypeSuspendToken: {"suspend_token", DefaultSuspendTokenRights, 0, false},
	TypePager:        {"pager", DefaultPagerRights, 0, false},
	TypeException:    {"exception", DefaultExceptionRights, 0, false},
	TypeClock:        {"clock", DefaultClockRights, ClockStarted, false},
	TypeStream:       {"stream", DefaultStreamRights, 0, false},
	TypeMSI:          {"msi", DefaultMSIRights, 0, false},
	TypeIOB:          {"iob", DefaultIOBRights, 0, false},
	TypeCounter:      {"counter", DefaultCounterRights, 0, false},
}

// String is the type's name ("event", "channel").
func (t ObjType) String() string {
	if info, ok := typeTable[t]; ok {
		return info.name
	}
	if t == TypeNone {
		return "none"
	}
	return fmt.Sprintf("zx_obj_type_t(%d)", uint32(t))
}

// DefaultRights is the rights a handle to a new object of type t gets.
func (t ObjType) DefaultRights() Rights { return typeTable[t].defaultRights }

// Waitable reports whether objects of type t have signals one can wait
// on: exactly when their default rights include WAIT, as in Zircon.
func (t ObjType) Waitable() bool { return t.DefaultRights()&RightWait != 0 }

// Named reports whether objects of type t have a ZX_PROP_NAME.
func (t ObjType) Named() bool { return typeTable[t].named }

// AllowedUserSignals is what zx_object_signal and zx_object_signal_peer
// may set or clear on objects of type t: the user signals, plus the few
// extra ones some types allow (an event's SIGNALED).
func (t ObjType) AllowedUserSignals() Signals { return UserSignalAll | typeTable[t].extraUser }
