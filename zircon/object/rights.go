package object

import (
	"fmt"
	"math/bits"
	"strings"
)

// Rights is zx_rights_t: what a handle lets its holder do.
type Rights uint32

// The rights, with Fuchsia's bit values (zircon/rights.h).
const (
	RightNone          Rights = 0
	RightDuplicate     Rights = 1 << 0
	RightTransfer      Rights = 1 << 1
	RightRead          Rights = 1 << 2
	RightWrite         Rights = 1 << 3
	RightExecute       Rights = 1 << 4
	RightMap           Rights = 1 << 5
	RightGetProperty   Rights = 1 << 6
	RightSetProperty   Rights = 1 << 7
	RightEnumerate     Rights = 1 << 8
	RightDestroy       Rights = 1 << 9
	RightSetPolicy     Rights = 1 << 10
	RightGetPolicy     Rights = 1 << 11
	RightSignal        Rights = 1 << 12
	RightSignalPeer    Rights = 1 << 13
	RightWait          Rights = 1 << 14
	RightInspect       Rights = 1 << 15
	RightManageJob     Rights = 1 << 16
	RightManageProcess Rights = 1 << 17
	RightManageThread  Rights = 1 << 18
	RightApplyProfile  Rights = 1 << 19
	RightManageSocket  Rights = 1 << 20
	RightOpChildren    Rights = 1 << 21
	RightResize        Rights = 1 << 22
	RightAttachVMO     Rights = 1 << 23
	RightManageVMO     Rights = 1 << 24
	// RightSameRights is not a right: passed to duplicate and replace it
	// means "the rights the source handle has".
	RightSameRights Rights = 1 << 31
)

// The groupings Zircon names (ZX_RIGHTS_*).
const (
	RightsBasic    = RightTransfer | RightDuplicate | RightWait | RightInspect
	RightsIO       = RightRead | RightWrite
	RightsProperty = RightGetProperty | RightSetProperty
	RightsPolicy   = RightGetPolicy | RightSetPolicy

	// RightsAll is every defined right (not SAME_RIGHTS).
	RightsAll = RightManageVMO<<1 - 1
)

// Default rights of a new handle to each object type (ZX_DEFAULT_*_RIGHTS).
const (
	DefaultChannelRights   = (RightsBasic &^ RightDuplicate) | RightsIO | RightSignal | RightSignalPeer
	DefaultEventRights     = RightsBasic | RightSignal
	DefaultEventPairRights = RightsBasic | RightSignal | RightSignalPeer
	DefaultFIFORights      = RightsBasic | RightsIO | RightSignal | RightSignalPeer
	DefaultGuestRights     = RightTransfer | RightDuplicate | RightWrite | RightInspect | RightManageThread
	DefaultInterruptRights = RightsBasic | RightsIO | RightSignal
	DefaultJobRights       = RightsBasic | RightsIO | RightsProperty | RightsPolicy | RightEnumerate |
		RightDestroy | RightSignal | RightManageJob | RightManageProcess | RightManageThread
	DefaultLogRights       = RightsBasic | RightWrite | RightSignal
	DefaultMSIRights       = RightsBasic
	DefaultPCIDeviceRights = RightsBasic | RightsIO
	DefaultPortRights      = (RightsBasic &^ RightWait) | RightsIO
	DefaultProcessRights   = RightsBasic | RightsIO | RightsProperty | RightEnumerate | RightDestroy |
		RightSignal | RightManageProcess | RightManageThread
	DefaultResourceRights = RightTransfer | RightDuplicate | RightWrite | RightInspect
	DefaultSocketRights   = RightsBasic | RightsIO | RightGetProperty | RightSetProperty |
		RightSignal | RightSignalPeer | RightManageSocket
	DefaultStreamRights = RightsBasic | RightsProperty | RightSignal
	DefaultThreadRights = RightsBasic | RightsIO | RightsProperty | RightDestroy | RightSignal |
		RightManageThread
	DefaultTimerRights        = RightsBasic | RightWrite | RightSignal
	DefaultVCPURights         = RightsBasic | RightsIO | RightExecute | RightSignal
	DefaultVMARRights         = (RightsBasic &^ RightWait) | RightOpChildren
	DefaultVMORights          = RightsBasic | RightsIO | RightsProperty | RightMap | RightSignal
	DefaultIOMMURights        = RightsBasic &^ RightWait
	DefaultBTIRights          = (RightsBasic &^ RightWait) | RightsIO | RightsProperty | RightMap
	DefaultProfileRights      = (RightsBasic &^ RightWait) | RightApplyProfile
	DefaultPMTRights          = RightInspect
	DefaultSuspendTokenRights = RightTransfer | RightInspect
	DefaultPagerRights        = RightInspect | RightTransfer | RightAttachVMO | RightManageVMO
	DefaultExceptionRights    = RightTransfer | RightsProperty | RightInspect
	DefaultClockRights        = RightsBasic | RightsIO | RightSignal
	DefaultIOBRights          = RightsBasic | RightWait | RightsIO | RightsProperty | RightMap |
		RightSignal | RightSignalPeer
	DefaultCounterRights = RightsBasic | RightsIO | RightSignal
)

// Has reports whether r includes every right in want.
func (r Rights) Has(want Rights) bool { return r&want == want }

var rightNames = [...]string{
	"DUPLICATE", "TRANSFER", "READ", "WRITE", "EXECUTE", "MAP", "GET_PROPERTY",
	"SET_PROPERTY", "ENUMERATE", "DESTROY", "SET_POLICY", "GET_POLICY", "SIGNAL",
	"SIGNAL_PEER", "WAIT", "INSPECT", "MANAGE_JOB", "MANAGE_PROCESS", "MANAGE_THREAD",
	"APPLY_PROFILE", "MANAGE_SOCKET", "OP_CHILDREN", "RESIZE", "ATTACH_VMO", "MANAGE_VMO",
}

// String lists the rights by name: "READ|WRITE".
func (r Rights) String() string {
	if r == 0 {
		return "NONE"
	}
	var parts []string
	for rest := r; rest != 0; rest &= rest - 1 {
		bit := bits.TrailingZeros32(uint32(rest))
		switch {
		case bit < len(rightNames):
			parts = append(parts, rightNames[bit])
		case Rights(1)<<bit == RightSameRights:
			parts = append(parts, "SAME_RIGHTS")
		default:
			parts = append(parts, fmt.Sprintf("1<<%d", bit))
		}
	}
	return strings.Join(parts, "|")
}
