package object

import "fmt"

// Signals is zx_signals_t: 24 object signals, whose meaning depends on the
// type, and 8 user signals any holder of SIGNAL may set.
type Signals uint32

// Generic object signals (__ZX_OBJECT_*).
const (
	SignalNone Signals = 0

	ObjectSignal0  Signals = 1 << 0
	ObjectSignal1  Signals = 1 << 1
	ObjectSignal2  Signals = 1 << 2
	ObjectSignal3  Signals = 1 << 3
	ObjectSignal4  Signals = 1 << 4
	ObjectSignal5  Signals = 1 << 5
	ObjectSignal6  Signals = 1 << 6
	ObjectSignal7  Signals = 1 << 7
	ObjectSignal8  Signals = 1 << 8
	ObjectSignal9  Signals = 1 << 9
	ObjectSignal10 Signals = 1 << 10
	ObjectSignal11 Signals = 1 << 11

	ObjectReadable   = ObjectSignal0
	ObjectWritable   = ObjectSignal1
	ObjectPeerClosed = ObjectSignal2
	ObjectSignaled   = ObjectSignal3

	// SignalHandleClosed (ZX_SIGNAL_HANDLE_CLOSED) is never part of an
	// object's state: it is reported in the observed signals of a wait
	// that was canceled because its handle was closed.
	SignalHandleClosed Signals = 1 << 23

	ObjectSignalAll Signals = 0x00ffffff
)

// User signals: ZX_USER_SIGNAL_0..7, bits 24..31.
const (
	UserSignal0   Signals = 1 << 24
	UserSignal1   Signals = 1 << 25
	UserSignal2   Signals = 1 << 26
	UserSignal3   Signals = 1 << 27
	UserSignal4   Signals = 1 << 28
	UserSignal5   Signals = 1 << 29
	UserSignal6   Signals = 1 << 30
	UserSignal7   Signals = 1 << 31
	UserSignalAll Signals = 0xff000000
)

// Per-type names of the object signals.
const (
	EventSignaled = ObjectSignaled

	EventPairSignaled   = ObjectSignaled
	EventPairPeerClosed = ObjectPeerClosed

	ChannelReadable   = ObjectReadable
	ChannelWritable   = ObjectWritable
	ChannelPeerClosed = ObjectPeerClosed

	SocketReadable          = ObjectReadable
	SocketWritable          = ObjectWritable
	SocketPeerClosed        = ObjectPeerClosed
	SocketPeerWriteDisabled = ObjectSignal4
	SocketWriteDisabled     = ObjectSignal5
	SocketReadThreshold     = ObjectSignal10
	SocketWriteThreshold    = ObjectSignal11

	FIFOReadable   = ObjectReadable
	FIFOWritable   = ObjectWritable
	FIFOPeerClosed = ObjectPeerClosed

	TaskTerminated = ObjectSignaled

	JobTerminated  = ObjectSignaled
	JobNoJobs      = ObjectSignal4
	JobNoProcesses = ObjectSignal5
	JobNoChildren  = JobNoJobs | JobNoProcesses

	ProcessTerminated = ObjectSignaled

	ThreadTerminated = ObjectSignaled
	ThreadRunning    = ObjectSignal4
	ThreadSuspended  = ObjectSignal5

	LogReadable = ObjectReadable
	LogWritable = ObjectWritable

	TimerSignaled = ObjectSignaled

	VMOZeroChildren = ObjectSignaled

	ClockStarted = ObjectSignal4
	ClockUpdated = ObjectSignal5
)

// String is the signal word in hex.
func (s Signals) String() string { return fmt.Sprintf("%#x", uint32(s)) }
