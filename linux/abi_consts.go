package linux

// ABI constants that golang.org/x/sys/unix does not define for amd64.
const (
	fionread  = 0x541b
	fionbio   = 0x5421
	fioclex   = 0x5451
	fionclex  = 0x5450
	fioasync  = 0x5452
	archSetGS = 0x1001
	archSetFS = 0x1002
	archGetFS = 0x1003
	archGetGS = 0x1004

	pollRdNorm = 0x40
	pollRdBand = 0x80
	pollWrNorm = 0x100
	pollWrBand = 0x200

	oNotificationPipe = 0x80 // O_NOTIFICATION_PIPE, the same bit as O_EXCL
)

const (
	atStatxSyncType = 0x6000

	futexWait       = 0
	futexWake       = 1
	futexRequeue    = 3
	futexCmpRequeue = 4
	futexWakeOp     = 5
	futexWaitBitset = 9
	futexWakeBitset = 10
)

const (
	segvMapErr = 1 // SEGV_MAPERR
	segvAccErr = 2 // SEGV_ACCERR
)
