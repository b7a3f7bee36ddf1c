package object

// Event is a signal word and nothing else: any holder of SIGNAL may set
// or clear its user signals and EventSignaled (zx_event_create).
type Event struct {
	Base
}

// NewEvent is zx_event_create. Options must be 0 (INVALID_ARGS).
func NewEvent(options uint32) (*Event, Status) {
	if options != 0 {
		return nil, ErrInvalidArgs
	}
	e := &Event{}
	e.Init(TypeEvent, 0)
	return e, OK
}
