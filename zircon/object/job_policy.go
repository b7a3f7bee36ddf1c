package object

import "encoding/binary"

// Job policy, with Fuchsia's values (zircon/syscalls/policy.h).
const (
	// Modes of zx_job_set_policy: RELATIVE applies what the parent's
	// policy leaves open and ignores the rest; ABSOLUTE fails
	// (ALREADY_EXISTS) where it cannot apply.
	JobPolRelative uint32 = 0
	JobPolAbsolute uint32 = 1

	// Topics.
	JobPolBasicV1    uint32 = 0
	JobPolBasicV2    uint32 = 0x01000000
	JobPolTimerSlack uint32 = 1

	// Conditions.
	PolBadHandle          uint32 = 0
	PolWrongObject        uint32 = 1
	PolVmarWX             uint32 = 2
	PolNewAny             uint32 = 3
	PolNewVMO             uint32 = 4
	PolNewChannel         uint32 = 5
	PolNewEvent           uint32 = 6
	PolNewEventPair       uint32 = 7
	PolNewPort            uint32 = 8
	PolNewSocket          uint32 = 9
	PolNewFIFO            uint32 = 10
	PolNewTimer           uint32 = 11
	PolNewProcess         uint32 = 12
	PolNewProfile         uint32 = 13
	PolNewPager           uint32 = 14
	PolAmbientMarkVMOExec uint32 = 15
	polMax                uint32 = 16

	// Actions.
	PolActionAllow          uint32 = 0
	PolActionDeny           uint32 = 1
	PolActionAllowException uint32 = 2
	PolActionDenyException  uint32 = 3
	PolActionKill           uint32 = 4
	polActionMax            uint32 = 5

	// Overrides (zx_policy_basic_v2_t.flags): whether a child job may
	// change the entry.
	PolOverrideAllow uint32 = 0
	PolOverrideDeny  uint32 = 1
)

// newObjectConditions are what ZX_POL_NEW_ANY stands for.
var newObjectConditions = [...]uint32{
	PolNewVMO, PolNewChannel, PolNewEvent, PolNewEventPair, PolNewPort, PolNewSocket,
	PolNewFIFO, PolNewTimer, PolNewProcess, PolNewProfile, PolNewPager,
}

// BasicPolicy is zx_policy_basic_v2_t (v1 entries have Flags
// PolOverrideDeny).
type BasicPolicy struct {
	Condition, Action, Flags uint32
}

// TimerSlackPolicy is zx_policy_timer_slack_t.
type TimerSlackPolicy struct {
	MinSlack    Duration
	DefaultMode uint32
}

// jobPolicy is a job's basic policy and timer slack (Zircon's JobPolicy).
// A child job starts with a copy of its parent's; a process takes its
// job's at creation and keeps it, which is why a job with children may
// not change its policy.
type jobPolicy struct {
	action    [polMax]uint8
	override  [polMax]uint8
	slack     Duration
	slackMode uint32
}

// addPartial applies one condition's entry (Zircon's AddPartial): an
// entry whose override is ALLOW takes the new action and override; one
// already fixed accepts only the same action with DENY, and otherwise the
// request fails in ABSOLUTE mode and is ignored in RELATIVE mode.
func (p *jobPolicy) addPartial(mode, cond, action, override uint32) Status {
	if action >= polActionMax {
		return ErrNotSupported
	}
	if override != PolOverrideAllow && override != PolOverrideDeny {
		return ErrInvalidArgs
	}
	if cond >= polMax || cond == PolNewAny {
		return ErrInvalidArgs
	}
	if uint32(p.override[cond]) == PolOverrideAllow {
		p.action[cond] = uint8(action)
		p.override[cond] = uint8(override)
		return OK
	}
	if uint32(p.action[cond]) == action && override == PolOverrideDeny {
		return OK
	}
	if mode == JobPolAbsolute {
		return ErrAlreadyExists
	}
	return OK
}

// addBasic applies a set of entries all or nothing (JobPolicy::
// AddBasicPolicy): more entries than conditions is OUT_OF_RANGE.
func (p *jobPolicy) addBasic(mode uint32, in []BasicPolicy) Status {
	if uint32(len(in)) > polMax {
		return ErrOutOfRange
	}
	n := *p
	newAny, anyOverride := false, uint32(0)
	for _, e := range in {
		if e.Condition == PolNewAny {
			for _, c := range newObjectConditions {
				if st := n.addPartial(mode, c, e.Action, PolOverrideAllow); st != OK {
					return st
				}
			}
			newAny, anyOverride = true, e.Flags
			continue
		}
		if st := n.addPartial(mode, e.Condition, e.Action, e.Flags); st != OK {
			return st
		}
	}
	if newAny {
		if anyOverride != PolOverrideAllow && anyOverride != PolOverrideDeny {
			return ErrInvalidArgs
		}
		for _, c := range newObjectConditions {
			n.override[c] = uint8(anyOverride)
		}
	}
	*p = n
	return OK
}

// query is the action for a condition (DENY for an unknown one).
func (p *jobPolicy) query(cond uint32) uint32 {
	if cond >= polMax || cond == PolNewAny {
		return PolActionDeny
	}
	return uint32(p.action[cond])
}

// decodePolicy reads count entries of a policy topic from data, the
// bytes the caller's pointer named.
func decodeBasicPolicy(topic uint32, data []byte, count uint32) ([]BasicPolicy, Status) {
	size := 8
	if topic == JobPolBasicV2 {
		size = 12
	}
	if uint64(len(data)) < uint64(count)*uint64(size) {
		return nil, ErrInvalidArgs
	}
	out := make([]BasicPolicy, count)
	for i := range out {
		b := data[i*size:]
		out[i] = BasicPolicy{Condition: binary.LittleEndian.Uint32(b), Action: binary.LittleEndian.Uint32(b[4:]), Flags: PolOverrideDeny}
		if size == 12 {
			out[i].Flags = binary.LittleEndian.Uint32(b[8:])
		}
	}
	return out, OK
}
