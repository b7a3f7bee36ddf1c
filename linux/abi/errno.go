package abi

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// Kernel-internal errnos. A guest never sees them as a result: the kernel
// turns them into EINTR or restarts the call when it delivers a signal. They
// show in strace output as "= ? ERESTARTSYS (To be restarted if SA_RESTART
// is set)".
const (
	ERESTARTSYS           = unix.Errno(512)
	ERESTARTNOINTR        = unix.Errno(513)
	ERESTARTNOHAND        = unix.Errno(514)
	ENOIOCTLCMD           = unix.Errno(515)
	ERESTART_RESTARTBLOCK = unix.Errno(516)
)

// MaxErrno is the largest errno a system call can return: results in
// -MaxErrno..-1 are errors, everything else is a value.
const MaxErrno = 4095

// errnoNames are the errno names as strace prints them (EAGAIN, not
// EWOULDBLOCK; EOPNOTSUPP, not ENOTSUP; EDEADLK, not EDEADLOCK).
var errnoNames = [...]string{
	1:   "EPERM",
	2:   "ENOENT",
	3:   "ESRCH",
	4:   "EINTR",
	5:   "EIO",
	6:   "ENXIO",
	7:   "E2BIG",
	8:   "ENOEXEC",
	9:   "EBADF",
	10:  "ECHILD",
	11:  "EAGAIN",
	12:  "ENOMEM",
	13:  "EACCES",
	14:  "EFAULT",
	15:  "ENOTBLK",
	16:  "EBUSY",
	17:  "EEXIST",
	18:  "EXDEV",
	19:  "ENODEV",
	20:  "ENOTDIR",
	21:  "EISDIR",
	22:  "EINVAL",
	23:  "ENFILE",
	24:  "EMFILE",
	25:  "ENOTTY",
	26:  "ETXTBSY",
	27:  "EFBIG",
	28:  "ENOSPC",
	29:  "ESPIPE",
	30:  "EROFS",
	31:  "EMLINK",
	32:  "EPIPE",
	33:  "EDOM",
	34:  "ERANGE",
	35:  "EDEADLK",
	36:  "ENAMETOOLONG",
	37:  "ENOLCK",
	38:  "ENOSYS",
	39:  "ENOTEMPTY",
	40:  "ELOOP",
	42:  "ENOMSG",
	43:  "EIDRM",
	44:  "ECHRNG",
	45:  "EL2NSYNC",
	46:  "EL3HLT",
	47:  "EL3RST",
	48:  "ELNRNG",
	49:  "EUNATCH",
	50:  "ENOCSI",
	51:  "EL2HLT",
	52:  "EBADE",
	53:  "EBADR",
	54:  "EXFULL",
	55:  "ENOANO",
	56:  "EBADRQC",
	57:  "EBADSLT",
	59:  "EBFONT",
	60:  "ENOSTR",
	61:  "ENODATA",
	62:  "ETIME",
	63:  "ENOSR",
	64:  "ENONET",
	65:  "ENOPKG",
	66:  "EREMOTE",
	67:  "ENOLINK",
	68:  "EADV",
	69:  "ESRMNT",
	70:  "ECOMM",
	71:  "EPROTO",
	72:  "EMULTIHOP",
	73:  "EDOTDOT",
	74:  "EBADMSG",
	75:  "EOVERFLOW",
	76:  "ENOTUNIQ",
	77:  "EBADFD",
	78:  "EREMCHG",
	79:  "ELIBACC",
	80:  "ELIBBAD",
	81:  "ELIBSCN",
	82:  "ELIBMAX",
	83:  "ELIBEXEC",
	84:  "EILSEQ",
	85:  "ERESTART",
	86:  "ESTRPIPE",
	87:  "EUSERS",
	88:  "ENOTSOCK",
	89:  "EDESTADDRREQ",
	90:  "EMSGSIZE",
	91:  "EPROTOTYPE",
	92:  "ENOPROTOOPT",
	93:  "EPROTONOSUPPORT",
	94:  "ESOCKTNOSUPPORT",
	95:  "EOPNOTSUPP",
	96:  "EPFNOSUPPORT",
	97:  "EAFNOSUPPORT",
	98:  "EADDRINUSE",
	99:  "EADDRNOTAVAIL",
	100: "ENETDOWN",
	101: "ENETUNREACH",
	102: "ENETRESET",
	103: "ECONNABORTED",
	104: "ECONNRESET",
	105: "ENOBUFS",
	106: "EISCONN",
	107: "ENOTCONN",
	108: "ESHUTDOWN",
	109: "ETOOMANYREFS",
	110: "ETIMEDOUT",
	111: "ECONNREFUSED",
	112: "EHOSTDOWN",
	113: "EHOSTUNREACH",
	114: "EALREADY",
	115: "EINPROGRESS",
	116: "ESTALE",
	117: "EUCLEAN",
	118: "ENOTNAM",
	119: "ENAVAIL",
	120: "EISNAM",
	121: "EREMOTEIO",
	122: "EDQUOT",
	123: "ENOMEDIUM",
	124: "EMEDIUMTYPE",
	125: "ECANCELED",
	126: "ENOKEY",
	127: "EKEYEXPIRED",
	128: "EKEYREVOKED",
	129: "EKEYREJECTED",
	130: "EOWNERDEAD",
	131: "ENOTRECOVERABLE",
	132: "ERFKILL",
	133: "EHWPOISON",
}

// kernelErrnoNames are the kernel-internal errnos, 512 and up.
var kernelErrnoNames = [...]string{
	"ERESTARTSYS",
	"ERESTARTNOINTR",
	"ERESTARTNOHAND",
	"ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK",
	"EPROBE_DEFER",
	"EOPENSTALE",
	"ENOPARAM",
	"", // 520 is unused
	"EBADHANDLE",
	"ENOTSYNC",
	"EBADCOOKIE",
	"ENOTSUPP",
	"ETOOSMALL",
	"ESERVERFAULT",
	"EBADTYPE",
	"EJUKEBOX",
	"EIOCBQUEUED",
	"ERECALLCONFLICT",
	"ENOGRACE",
}

// ErrnoName returns the name of errno e as strace prints it ("ENOENT",
// "ERESTARTSYS"), or "E<n>" for a number Linux does not define.
func ErrnoName(e unix.Errno) string {
	if e < unix.Errno(len(errnoNames)) && errnoNames[e] != "" {
		return errnoNames[e]
	}
	if e >= ERESTARTSYS && e < ERESTARTSYS+unix.Errno(len(kernelErrnoNames)) && kernelErrnoNames[e-ERESTARTSYS] != "" {
		return kernelErrnoNames[e-ERESTARTSYS]
	}
	return "E" + strconv.FormatUint(uint64(e), 10)
}

// ErrnoDescription returns strerror's text for e, as strace prints it in
// parentheses after the name: "No such file or directory". The kernel's
// restart errnos get strace's own texts ("To be restarted if SA_RESTART is
// set"); unknown numbers read "Unknown error <n>".
func ErrnoDescription(e unix.Errno) string {
	switch e {
	case ERESTARTSYS:
		return "To be restarted if SA_RESTART is set"
	case ERESTARTNOINTR:
		return "To be restarted"
	case ERESTARTNOHAND:
		return "To be restarted if no handler"
	case ERESTART_RESTARTBLOCK:
		return "Interrupted by signal"
	}
	if e == 0 || e >= unix.Errno(len(errnoNames)) || errnoNames[e] == "" {
		return "Unknown error " + strconv.FormatUint(uint64(e), 10)
	}
	s := e.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// IsRestart reports whether e is one of the kernel-internal restart errnos
// (ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK).
func IsRestart(e unix.Errno) bool {
	return e == ERESTARTSYS || e == ERESTARTNOINTR || e == ERESTARTNOHAND || e == ERESTART_RESTARTBLOCK
}
