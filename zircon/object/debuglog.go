package object

import (
	"encoding/binary"
	"sync"
)

// Debuglog constants (zircon/syscalls/log.h).
const (
	LogFlagReadable uint32 = 0x40000000 // zx_debuglog_create: a reader
	LogLocal        uint32 = 0x10       // zx_debuglog_write: do not forward
	logFlagsMask           = LogLocal

	LogRecordMax       = 256 // ZX_LOG_RECORD_MAX
	LogRecordHeader    = 40  // sizeof(zx_log_record_t) without data
	LogRecordDataMax   = LogRecordMax - LogRecordHeader
	DefaultDlogSize    = 128 << 10
	LogSeverityTrace   = 0x10
	LogSeverityDebug   = 0x20
	LogSeverityInfo    = 0x30
	LogSeverityWarning = 0x40
	LogSeverityError   = 0x50
	LogSeverityFatal   = 0x60
)

// LogRecord is zx_log_record_t.
type LogRecord struct {
	Sequence  uint64
	Severity  uint8
	Flags     uint8
	Timestamp Time
	Pid, Tid  Koid
	Data      []byte
}

// Marshal encodes the record as zx_debuglog_read writes it; a dst
// shorter than the record gets a truncated copy. It returns the bytes
// written.
func (r *LogRecord) Marshal(dst []byte) int {
	var b [LogRecordMax]byte
	le := binary.LittleEndian
	le.PutUint64(b[0:], r.Sequence)
	le.PutUint16(b[12:], uint16(len(r.Data)))
	b[14] = r.Severity
	b[15] = r.Flags
	le.PutUint64(b[16:], uint64(r.Timestamp))
	le.PutUint64(b[24:], uint64(r.Pid))
	le.PutUint64(b[32:], uint64(r.Tid))
	n := copy(b[LogRecordHeader:], r.Data)
	return copy(dst, b[:LogRecordHeader+n])
}

// DlogBuffer is the kernel's debug log: a ring of records, the oldest
// dropped when it is full. Every write has the next sequence number, so
// a reader that fell behind sees the gap.
type DlogBuffer struct {
	mu      sync.Mutex
	records []LogRecord // oldest first
	bytes   int
	limit   int
	nextSeq uint64
	readers map[*Debuglog]struct{}
}

// NewDlogBuffer makes a debug log holding about limit bytes of records.
func NewDlogBuffer(limit int) *DlogBuffer {
	return &DlogBuffer{limit: limit, readers: make(map[*Debuglog]struct{})}
}

// KernelDlog is the debug log of the running kernel.
var KernelDlog = NewDlogBuffer(DefaultDlogSize)

// Write appends a record (data truncated to LogRecordDataMax) and wakes
// the readers.
func (d *DlogBuffer) Write(severity, flags uint8, pid, tid Koid, data []byte) {
	if len(data) > LogRecordDataMax {
		data = data[:LogRecordDataMax]
	}
	rec := LogRecord{Severity: severity, Flags: flags, Timestamp: Now(), Pid: pid, Tid: tid,
		Data: append([]byte(nil), data...)}
	d.mu.Lock()
	rec.Sequence = d.nextSeq
	d.nextSeq++
	d.records = append(d.records, rec)
	d.bytes += LogRecordHeader + len(rec.Data)
	for d.bytes > d.limit && len(d.records) > 1 {
		d.bytes -= LogRecordHeader + len(d.records[0].Data)
		d.records[0] = LogRecord{}
		d.records = d.records[1:]
	}
	readers := make([]*Debuglog, 0, len(d.readers))
	for r := range d.readers {
		readers = append(readers, r)
	}
	d.mu.Unlock()
	for _, r := range readers {
		r.UpdateState(0, LogReadable)
	}
}

// readFrom returns the oldest record with a sequence number >= seq.
func (d *DlogBuffer) readFrom(seq uint64) (LogRecord, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.records) == 0 || seq >= d.nextSeq {
		return LogRecord{}, false
	}
	first := d.records[0].Sequence
	if seq < first {
		seq = first
	}
	return d.records[seq-first], true
}

// Debuglog is a handle's view of the debug log (zx_debuglog_*): writers
// append; a reader (created with LogFlagReadable) reads every record
// from the oldest still held, in order, with its own cursor.
type Debuglog struct {
	Base
	buf   *DlogBuffer
	flags uint32

	mu   sync.Mutex // reader cursor
	next uint64
}

// NewDebuglog is zx_debuglog_create on buf: options 0 or LogFlagReadable
// (else INVALID_ARGS). The rights of its handle are DebuglogRights.
func NewDebuglog(buf *DlogBuffer, options uint32) (*Debuglog, Status) {
	if options&^LogFlagReadable != 0 {
		return nil, ErrInvalidArgs
	}
	l := &Debuglog{buf: buf, flags: options}
	l.Init(TypeLog, LogWritable)
	if options&LogFlagReadable != 0 {
		buf.mu.Lock()
		buf.readers[l] = struct{}{}
		readable := len(buf.records) > 0
		buf.mu.Unlock()
		if readable {
			l.UpdateState(0, LogReadable)
		}
	}
	return l, OK
}

// DebuglogRights is the rights of a new debuglog handle: the defaults,
// plus READ for a reader (as sys_debuglog_create adds).
func DebuglogRights(options uint32) Rights {
	r := DefaultLogRights
	if options&LogFlagReadable != 0 {
		r |= RightRead
	}
	return r
}

// Write is zx_debuglog_write (the syscall needs WRITE): options may only
// hold LogLocal (INVALID_ARGS); data longer than LogRecordDataMax is
// truncated. pid and tid name the writer.
func (l *Debuglog) Write(options uint32, data []byte, pid, tid Koid) Status {
	if options&^logFlagsMask != 0 {
		return ErrInvalidArgs
	}
	l.buf.Write(LogSeverityInfo, uint8(options), pid, tid, data)
	return OK
}

// Read is zx_debuglog_read (the syscall needs READ): the next record, or
// SHOULD_WAIT (clearing LogReadable) when there is none. Options must be
// 0 (INVALID_ARGS); a log created without LogFlagReadable is BAD_STATE.
func (l *Debuglog) Read(options uint32) (LogRecord, Status) {
	if options != 0 {
		return LogRecord{}, ErrInvalidArgs
	}
	if l.flags&LogFlagReadable == 0 {
		return LogRecord{}, ErrBadState
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	rec, ok := l.buf.readFrom(l.next)
	if !ok {
		// Clear READABLE unless a write slipped in: check again under
		// the object lock, which Write's UpdateState also takes.
		l.Lock()
		if _, again := l.buf.readFrom(l.next); !again {
			l.UpdateStateLocked(LogReadable, 0, 0)
		}
		l.Unlock()
		return LogRecord{}, ErrShouldWait
	}
	l.next = rec.Sequence + 1
	return rec, OK
}

// OnZeroHandles stops a reader from being woken.
func (l *Debuglog) OnZeroHandles() {
	l.buf.mu.Lock()
	delete(l.buf.readers, l)
	l.buf.mu.Unlock()
}
