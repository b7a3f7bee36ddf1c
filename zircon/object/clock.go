package object

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Clock options and argument versions (zircon/syscalls/clock.h).
const (
	ClockOptMonotonic  uint64 = 1 << 0
	ClockOptContinuous uint64 = 1 << 1
	ClockOptAutoStart  uint64 = 1 << 2
	ClockOptBoot       uint64 = 1 << 3
	clockOptsAll              = ClockOptMonotonic | ClockOptContinuous | ClockOptAutoStart | ClockOptBoot

	ClockArgsVersionShift = 58
	ClockArgsVersionBits  = 6
	ClockArgsVersionMask  = (uint64(1)<<ClockArgsVersionBits - 1) << ClockArgsVersionShift

	ClockUpdateOptionValueValid          uint64 = 1 << 0
	ClockUpdateOptionSyntheticValueValid        = ClockUpdateOptionValueValid
	ClockUpdateOptionRateAdjustValid     uint64 = 1 << 1
	ClockUpdateOptionErrorBoundValid     uint64 = 1 << 2
	ClockUpdateOptionReferenceValueValid uint64 = 1 << 3
	clockUpdateOptionsAll                       = ClockUpdateOptionSyntheticValueValid |
		ClockUpdateOptionRateAdjustValid | ClockUpdateOptionErrorBoundValid |
		ClockUpdateOptionReferenceValueValid

	ClockUpdateMinRateAdjust int32 = -1000
	ClockUpdateMaxRateAdjust int32 = 1000

	// ClockUnknownError is the error bound of a clock never told one.
	ClockUnknownError uint64 = math.MaxUint64
)

// ClockArgsVersion is ZX_CLOCK_ARGS_VERSION(n), or'ed into options.
func ClockArgsVersion(n uint64) uint64 {
	return (n << ClockArgsVersionShift) & ClockArgsVersionMask
}

// ClockRate is zx_clock_rate_t.
type ClockRate struct {
	SyntheticTicks uint32
	ReferenceTicks uint32
}

// ClockTransformation is zx_clock_transformation_t, the affine function
// synthetic = SyntheticOffset + (reference - ReferenceOffset) * rate.
type ClockTransformation struct {
	ReferenceOffset int64
	SyntheticOffset int64
	Rate            ClockRate
}

// Apply maps a reference time to the synthetic timeline, saturating.
func (tr ClockTransformation) Apply(ref int64) int64 {
	return addSat(tr.SyntheticOffset, scaleSat(subSat(ref, tr.ReferenceOffset), tr.Rate))
}

func scaleSat(delta int64, r ClockRate) int64 {
	if r.SyntheticTicks == 0 || delta == 0 {
		return 0
	}
	neg := delta < 0
	mag := uint64(delta)
	if neg {
		mag = -mag
	}
	hi, lo := bits.Mul64(mag, uint64(r.SyntheticTicks))
	den := uint64(r.ReferenceTicks)
	if den == 0 || hi >= den {
		return satSign(neg)
	}
	q, _ := bits.Div64(hi, lo, den)
	if q > math.MaxInt64 {
		return satSign(neg)
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func satSign(neg bool) int64 {
	if neg {
		return math.MinInt64
	}
	return math.MaxInt64
}

func addSat(a, b int64) int64 {
	r := a + b
	if (b > 0 && r < a) || (b < 0 && r > a) {
		return satSign(b < 0)
	}
	return r
}

func subSat(a, b int64) int64 {
	r := a - b
	if (b < 0 && r < a) || (b > 0 && r > a) {
		return satSign(b > 0)
	}
	return r
}

// ClockCreateArgs is zx_clock_create_args_v1_t.
type ClockCreateArgs struct {
	BackstopTime Time
}

// ClockUpdateArgs holds both zx_clock_update_args_v1_t (Value is
// SyntheticValue; ReferenceValue unused) and zx_clock_update_args_v2_t.
type ClockUpdateArgs struct {
	RateAdjust     int32
	SyntheticValue int64
	ReferenceValue int64
	ErrorBound     uint64
}

// ClockDetails is zx_clock_details_v1_t. Quartz's ticks are monotonic
// nanoseconds, so the two transformations are the same.
type ClockDetails struct {
	Options                    uint64
	BackstopTime               Time
	TicksToSynthetic           ClockTransformation
	MonoToSynthetic            ClockTransformation
	ErrorBound                 uint64
	QueryTicks                 int64
	LastValueUpdateTicks       int64
	LastRateAdjustUpdateTicks  int64
	LastErrorBoundsUpdateTicks int64
	GenerationCounter          uint32
}

// ClockDetailsSize is sizeof(zx_clock_details_v1_t).
const ClockDetailsSize = 112

// Marshal encodes the details in zx_clock_details_v1_t's layout.
func (d ClockDetails) Marshal() [ClockDetailsSize]byte {
	var b [ClockDetailsSize]byte
	le := binary.LittleEndian
	putTr := func(off int, tr ClockTransformation) {
		le.PutUint64(b[off:], uint64(tr.ReferenceOffset))
		le.PutUint64(b[off+8:], uint64(tr.SyntheticOffset))
		le.PutUint32(b[off+16:], tr.Rate.SyntheticTicks)
		le.PutUint32(b[off+20:], tr.Rate.ReferenceTicks)
	}
	le.PutUint64(b[0:], d.Options)
	le.PutUint64(b[8:], uint64(d.BackstopTime))
	putTr(16, d.TicksToSynthetic)
	putTr(40, d.MonoToSynthetic)
	le.PutUint64(b[64:], d.ErrorBound)
	le.PutUint64(b[72:], uint64(d.QueryTicks))
	le.PutUint64(b[80:], uint64(d.LastValueUpdateTicks))
	le.PutUint64(b[88:], uint64(d.LastRateAdjustUpdateTicks))
	le.PutUint64(b[96:], uint64(d.LastErrorBoundsUpdateTicks))
	le.PutUint32(b[104:], d.GenerationCounter)
	return b
}

// Clock is a user-maintained clock (zx_clock_*): a synthetic timeline
// defined by an affine function of the monotonic clock, which its
// maintainer sets and slews with Update. Until first set (or at once, with
// ClockOptAutoStart) it is stopped at its backstop time.
type Clock struct {
	Base
	options  uint64
	backstop Time

	// Guarded by the object lock.
	m2s            ClockTransformation
	started        bool
	curPPM         int32
	errorBound     uint64
	lastValue      int64
	lastRate       int64
	lastErrorBound int64
	generation     uint32
}

// NewClock is zx_clock_create. options may carry ClockArgsVersion(1),
// exactly when args is given; unknown options, CONTINUOUS without
// MONOTONIC, a negative backstop, or (with AUTO_START) a backstop in the
// future give INVALID_ARGS.
func NewClock(options uint64, args *ClockCreateArgs) (*Clock, Status) {
	version := (options & ClockArgsVersionMask) >> ClockArgsVersionShift
	switch {
	case args != nil && version != 1, args == nil && version != 0:
		return nil, ErrInvalidArgs
	}
	options &^= ClockArgsVersionMask
	if options&^clockOptsAll != 0 {
		return nil, ErrInvalidArgs
	}
	if options&ClockOptContinuous != 0 && options&ClockOptMonotonic == 0 {
		return nil, ErrInvalidArgs
	}
	var backstop Time
	if args != nil {
		backstop = args.BackstopTime
	}
	now := Now()
	if backstop < 0 || (options&ClockOptAutoStart != 0 && backstop > now) {
		return nil, ErrInvalidArgs
	}
	c := &Clock{options: options, backstop: backstop, errorBound: ClockUnknownError}
	var initial Signals
	if options&ClockOptAutoStart != 0 {
		c.started = true
		c.m2s = ClockTransformation{Rate: ClockRate{1, 1}}
		c.lastValue, c.lastRate = int64(now), int64(now)
		initial = ClockStarted
	} else {
		c.m2s = ClockTransformation{SyntheticOffset: int64(backstop), Rate: ClockRate{0, 1}}
	}
	c.Init(TypeClock, initial)
	return c, OK
}

// Read is zx_clock_read (the syscall needs READ).
func (c *Clock) Read() Time {
	c.Lock()
	tr := c.m2s
	c.Unlock()
	return Time(tr.Apply(int64(Now())))
}

// Details is zx_clock_get_details.
func (c *Clock) Details() ClockDetails {
	c.Lock()
	defer c.Unlock()
	return ClockDetails{
		Options:                    c.options,
		BackstopTime:               c.backstop,
		TicksToSynthetic:           c.m2s,
		MonoToSynthetic:            c.m2s,
		ErrorBound:                 c.errorBound,
		QueryTicks:                 int64(Now()),
		LastValueUpdateTicks:       c.lastValue,
		LastRateAdjustUpdateTicks:  c.lastRate,
		LastErrorBoundsUpdateTicks: c.lastErrorBound,
		GenerationCounter:          c.generation,
	}
}

// Update is zx_clock_update (the syscall needs WRITE). options carries the
// argument version (1 or 2) and which fields of args are valid. The rules,
// Zircon's:
//
//   - the first update must set the value (else BAD_STATE); it starts the
//     clock, asserting ClockStarted;
//   - a continuous clock's value may not be set again, a monotonic clock
//     may not go backwards, no clock may go below its backstop, the rate
//     adjustment stays within ±1000 ppm, v1 arguments have no reference
//     value, and in v2 a reference value needs a set or a rate change and
//     a started monotonic clock's set needs one and excludes a rate change
//     — each otherwise INVALID_ARGS.
//
// Every successful update pulses ClockUpdated.
func (c *Clock) Update(options uint64, args ClockUpdateArgs) Status {
	version := (options & ClockArgsVersionMask) >> ClockArgsVersionShift
	if version != 1 && version != 2 {
		return ErrInvalidArgs
	}
	options &^= ClockArgsVersionMask
	if options&^clockUpdateOptionsAll != 0 {
		return ErrInvalidArgs
	}
	doSet := options&ClockUpdateOptionSyntheticValueValid != 0
	doRate := options&ClockUpdateOptionRateAdjustValid != 0
	refValid := options&ClockUpdateOptionReferenceValueValid != 0
	if doRate && (args.RateAdjust < ClockUpdateMinRateAdjust || args.RateAdjust > ClockUpdateMaxRateAdjust) {
		return ErrInvalidArgs
	}
	if version == 1 && refValid {
		return ErrInvalidArgs
	}
	if version == 2 && refValid && !doSet && !doRate {
		return ErrInvalidArgs
	}
	monotonic := c.options&ClockOptMonotonic != 0
	continuous := c.options&ClockOptContinuous != 0

	c.Lock()
	defer c.Unlock()
	if !doSet && !c.started {
		return ErrBadState
	}
	if doSet && continuous && c.started {
		return ErrInvalidArgs
	}
	if version == 2 && c.started && monotonic {
		if doSet && !refValid {
			return ErrInvalidArgs
		}
		if (doSet || refValid) && doRate {
			return ErrInvalidArgs
		}
	}

	now := int64(Now())
	skip := !doSet && (!doRate || (!refValid && args.RateAdjust == c.curPPM))
	if !skip {
		ref := now
		if refValid {
			ref = args.ReferenceValue
		}
		target := c.m2s.Apply(ref)
		if doSet {
			target = args.SyntheticValue
		}
		var rate ClockRate
		switch {
		case doRate:
			rate = ClockRate{uint32(1_000_000 + args.RateAdjust), 1_000_000}
		case c.started:
			rate = c.m2s.Rate
		default:
			rate = ClockRate{1, 1}
		}
		next := ClockTransformation{ReferenceOffset: ref, SyntheticOffset: target, Rate: rate}
		newNow := next.Apply(now)
		if monotonic && newNow < c.m2s.Apply(now) {
			return ErrInvalidArgs
		}
		if newNow < int64(c.backstop) {
			return ErrInvalidArgs
		}
		c.m2s = next
	}

	starting := !c.started
	c.started = true
	if doSet {
		c.lastValue = now
	}
	if doRate || starting {
		c.lastRate = now
		c.curPPM = 0
		if doRate {
			c.curPPM = args.RateAdjust
		}
	}
	if options&ClockUpdateOptionErrorBoundValid != 0 {
		c.lastErrorBound = now
		c.errorBound = args.ErrorBound
	}
	// Zircon's counter is a seqlock's: even, +2 per update.
	c.generation += 2

	var set Signals
	if starting {
		set = ClockStarted
	}
	c.UpdateStateLocked(0, set, ClockUpdated)
	return OK
}
