package object

import "fmt"

// Status is zx_status_t: ZX_OK or a negative ZX_ERR_* code. A non-OK
// Status is an error; OK is not meant to be returned as an error value
// (use Status.Err for that).
type Status int32

// The status codes, with Fuchsia's values (zircon/errors.h).
const (
	OK Status = 0

	ErrInternal          Status = -1
	ErrNotSupported      Status = -2
	ErrNoResources       Status = -3
	ErrNoMemory          Status = -4
	ErrInternalIntrRetry Status = -6

	ErrInvalidArgs    Status = -10
	ErrBadHandle      Status = -11
	ErrWrongType      Status = -12
	ErrBadSyscall     Status = -13
	ErrOutOfRange     Status = -14
	ErrBufferTooSmall Status = -15

	ErrBadState      Status = -20
	ErrTimedOut      Status = -21
	ErrShouldWait    Status = -22
	ErrCanceled      Status = -23
	ErrPeerClosed    Status = -24
	ErrNotFound      Status = -25
	ErrAlreadyExists Status = -26
	ErrAlreadyBound  Status = -27
	ErrUnavailable   Status = -28

	ErrAccessDenied Status = -30

	ErrIO                Status = -40
	ErrIORefused         Status = -41
	ErrIODataIntegrity   Status = -42
	ErrIODataLoss        Status = -43
	ErrIONotPresent      Status = -44
	ErrIOOverrun         Status = -45
	ErrIOMissedDeadline  Status = -46
	ErrIOInvalid         Status = -47
	ErrBadPath           Status = -50
	ErrNotDir            Status = -51
	ErrNotFile           Status = -52
	ErrFileBig           Status = -53
	ErrNoSpace           Status = -54
	ErrNotEmpty          Status = -55
	ErrStop              Status = -60
	ErrNext              Status = -61
	ErrAsync             Status = -62
	ErrProtocolNotSupp   Status = -70
	ErrAddressUnreach    Status = -71
	ErrAddressInUse      Status = -72
	ErrNotConnected      Status = -73
	ErrConnectionRefused Status = -74
	ErrConnectionReset   Status = -75
	ErrConnectionAborted Status = -76

	// ErrInternalIntrKilled: the calling thread is being killed; the
	// syscall never returns to it.
	ErrInternalIntrKilled Status = -502
)

var statusNames = map[Status]string{
	OK:                    "ZX_OK",
	ErrInternal:           "ZX_ERR_INTERNAL",
	ErrNotSupported:       "ZX_ERR_NOT_SUPPORTED",
	ErrNoResources:        "ZX_ERR_NO_RESOURCES",
	ErrNoMemory:           "ZX_ERR_NO_MEMORY",
	ErrInternalIntrRetry:  "ZX_ERR_INTERNAL_INTR_RETRY",
	ErrInvalidArgs:        "ZX_ERR_INVALID_ARGS",
	ErrBadHandle:          "ZX_ERR_BAD_HANDLE",
	ErrWrongType:          "ZX_ERR_WRONG_TYPE",
	ErrBadSyscall:         "ZX_ERR_BAD_SYSCALL",
	ErrOutOfRange:         "ZX_ERR_OUT_OF_RANGE",
	ErrBufferTooSmall:     "ZX_ERR_BUFFER_TOO_SMALL",
	ErrBadState:           "ZX_ERR_BAD_STATE",
	ErrTimedOut:           "ZX_ERR_TIMED_OUT",
	ErrShouldWait:         "ZX_ERR_SHOULD_WAIT",
	ErrCanceled:           "ZX_ERR_CANCELED",
	ErrPeerClosed:         "ZX_ERR_PEER_CLOSED",
	ErrNotFound:           "ZX_ERR_NOT_FOUND",
	ErrAlreadyExists:      "ZX_ERR_ALREADY_EXISTS",
	ErrAlreadyBound:       "ZX_ERR_ALREADY_BOUND",
	ErrUnavailable:        "ZX_ERR_UNAVAILABLE",
	ErrAccessDenied:       "ZX_ERR_ACCESS_DENIED",
	ErrIO:                 "ZX_ERR_IO",
	ErrIORefused:          "ZX_ERR_IO_REFUSED",
	ErrIODataIntegrity:    "ZX_ERR_IO_DATA_INTEGRITY",
	ErrIODataLoss:         "ZX_ERR_IO_DATA_LOSS",
	ErrIONotPresent:       "ZX_ERR_IO_NOT_PRESENT",
	ErrIOOverrun:          "ZX_ERR_IO_OVERRUN",
	ErrIOMissedDeadline:   "ZX_ERR_IO_MISSED_DEADLINE",
	ErrIOInvalid:          "ZX_ERR_IO_INVALID",
	ErrBadPath:            "ZX_ERR_BAD_PATH",
	ErrNotDir:             "ZX_ERR_NOT_DIR",
	ErrNotFile:            "ZX_ERR_NOT_FILE",
	ErrFileBig:            "ZX_ERR_FILE_BIG",
	ErrNoSpace:            "ZX_ERR_NO_SPACE",
	ErrNotEmpty:           "ZX_ERR_NOT_EMPTY",
	ErrStop:               "ZX_ERR_STOP",
	ErrNext:               "ZX_ERR_NEXT",
	ErrAsync:              "ZX_ERR_ASYNC",
	ErrProtocolNotSupp:    "ZX_ERR_PROTOCOL_NOT_SUPPORTED",
	ErrAddressUnreach:     "ZX_ERR_ADDRESS_UNREACHABLE",
	ErrAddressInUse:       "ZX_ERR_ADDRESS_IN_USE",
	ErrNotConnected:       "ZX_ERR_NOT_CONNECTED",
	ErrConnectionRefused:  "ZX_ERR_CONNECTION_REFUSED",
	ErrConnectionReset:    "ZX_ERR_CONNECTION_RESET",
	ErrConnectionAborted:  "ZX_ERR_CONNECTION_ABORTED",
	ErrInternalIntrKilled: "ZX_ERR_INTERNAL_INTR_KILLED",
}

// String is the Fuchsia name (ZX_ERR_BAD_HANDLE), or the number for a
// code Fuchsia does not define.
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("zx_status_t(%d)", int32(s))
}

// Error makes Status an error.
func (s Status) Error() string { return s.String() }

// Err is nil for OK and s otherwise, for code that speaks error.
func (s Status) Err() error {
	if s == OK {
		return nil
	}
	return s
}
