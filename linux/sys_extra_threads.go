package linux

import (
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// Thread-side support the threads work needs from outside its files.

const (
	segvMaperr = 1 // SEGV_MAPERR: no mapping at the address

	// spuriousFaultRetries bounds how often one address may fault again
	// and again, in quick succession, while its area says it is
	// accessible, before the fault is taken to be real.
	spuriousFaultRetries = 8
	spuriousFaultWindow  = 100 * time.Millisecond
)

// handleFault resolves a guest fault through the address space, and
// tolerates the spurious faults of threads that race: when two threads
// fault on the same unmapped page, the first maps it, and the second's
// fault, already reported, finds the page mapped. Linux retries such an
// access; so does Quartz, as long as the address lies in an area the
// guest may read (a fault the area does not permit stays a fault).
func (t *Thread) handleFault(f hal.FaultInfo) bool {
	if t.proc.mm.HandleFault(f) {
		return true
	}
	if f.Signal != int(unix.SIGSEGV) || f.Code != segvMaperr {
		return false
	}
	now := time.Now()
	if f.Addr != t.faultAddr || now.Sub(t.faultTime) > spuriousFaultWindow {
		t.faultAddr, t.faultRetries = f.Addr, 0
	}
	t.faultTime = now
	if t.faultRetries >= spuriousFaultRetries {
		return false
	}
	if _, err := t.proc.mm.Frame(f.Addr, false); err != nil {
		return false
	}
	t.faultRetries++
	return true
}
