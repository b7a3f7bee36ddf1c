package linux

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// Job control. A stop signal whose action is the default stops the whole
// process: its threads park before they would enter the guest again
// until SIGCONT resumes them. The parent learns of both through SIGCHLD
// (CLD_STOPPED, CLD_CONTINUED; none with SA_NOCLDSTOP) and wait4's
// WUNTRACED and WCONTINUED. As in Linux, SIGCONT acts when it is sent,
// even blocked or ignored, and a stop signal cancels a pending SIGCONT
// (and the reverse). Threads blocked in a system call stay there while
// the process is stopped; they park when the call returns.

// CLD_* si_codes of job control.
const (
	cldStopped   = 5
	cldContinued = 6
)

const stopSignals = 1<<(unix.SIGSTOP-1) | 1<<(unix.SIGTSTP-1) | 1<<(unix.SIGTTIN-1) | 1<<(unix.SIGTTOU-1)

func isStopSignal(sig int) bool { return sig >= 1 && sig <= numSignals && stopSignals&sigBit(sig) != 0 }

// prepareSignal is what sending sig does at once, before it is queued
// (Linux's prepare_signal).
func (p *Process) prepareSignal(sig int) {
	switch {
	case isStopSignal(sig):
		p.discardPending(int(unix.SIGCONT))
	case sig == int(unix.SIGCONT):
		p.discardPendingSet(stopSignals)
		p.continueStopped()
	}
}

// discardPendingSet drops the signals of set from every thread's queue.
func (p *Process) discardPendingSet(set uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.threads {
		t.pending.mu.Lock()
		t.pending.set &^= set
		t.pending.mu.Unlock()
	}
}

// jobInfo is the SIGCHLD siginfo of a stop or continue of p.
func (p *Process) jobInfo(code int32, sig int) siginfo {
	si := newSiginfo(int(unix.SIGCHLD), code).withSender(p.pid, unix.Getuid())
	binary.LittleEndian.PutUint32(si[24:], uint32(sig))
	return si
}

// notifyJobChange tells p's parent that p stopped or continued (Linux's
// do_notify_parent_cldstop). Call with tree.mu held.
func (p *Process) notifyJobChange(later *signalsLater, code int32, sig int) {
	parent := p.parent
	if parent == nil {
		return
	}
	if parent.sigs().get(int(unix.SIGCHLD)).Flags&saNocldstop == 0 {
		later.add(parent, int(unix.SIGCHLD), p.jobInfo(code, sig))
	}
	parent.childChanged()
}

// groupStop stops the process for sig, the default action of a stop
// signal. SIGTSTP, SIGTTIN and SIGTTOU are discarded in an orphaned
// process group, where nobody would continue it.
func (t *Thread) groupStop(sig int) {
	p := t.proc
	k := p.k
	var later signalsLater
	k.tree.mu.Lock()
	if p.stopped || p.zombie || p.isDying() ||
		sig != int(unix.SIGSTOP) && k.tree.orphanedGroup(p.pgid) {
		k.tree.mu.Unlock()
		return
	}
	p.stopped = true
	p.stopSig = sig
	p.resume = make(chan struct{})
	p.stopFlag.Store(true)
	p.waitStop, p.waitCont = true, false
	p.notifyJobChange(&later, cldStopped, sig)
	k.tree.mu.Unlock()
	later.send()
	p.mu.Lock()
	for _, o := range p.threads {
		o.interrupt()
	}
	p.mu.Unlock()
}

// continueStopped resumes a stopped process (SIGCONT).
func (p *Process) continueStopped() {
	k := p.k
	var later signalsLater
	k.tree.mu.Lock()
	if !p.stopped {
		k.tree.mu.Unlock()
		return
	}
	p.stopped = false
	p.stopFlag.Store(false)
	close(p.resume)
	p.waitStop, p.waitCont = false, true
	p.notifyJobChange(&later, cldContinued, int(unix.SIGCONT))
	k.tree.mu.Unlock()
	later.send()
}

// waitWhileStopped parks the thread while its process is stopped.
func (t *Thread) waitWhileStopped() {
	p := t.proc
	k := p.k
	for p.stopFlag.Load() && !p.isDying() {
		k.tree.mu.Lock()
		stopped, resume := p.stopped, p.resume
		k.tree.mu.Unlock()
		if !stopped {
			return
		}
		select {
		case <-resume:
		case <-p.dying:
		case <-t.signalled:
			// Only a fatal signal acts on a stopped process, and it
			// does so when it is sent (signalThread).
		}
	}
}

// orphanedGroup reports whether process group pgid is orphaned: no
// member has a parent in another group of the same session. Call with
// tree.mu held.
func (tr *procTree) orphanedGroup(pgid int) bool {
	for _, p := range tr.procs {
		if p.pgid != pgid || p.zombie || p.reaped {
			continue
		}
		if par := p.parent; par != nil && par.pgid != pgid && par.sid == p.sid {
			return false
		}
	}
	return true
}

// hasStopped reports whether a member of group pgid is stopped. Call
// with tree.mu held.
func (tr *procTree) hasStopped(pgid int) bool {
	for _, p := range tr.procs {
		if p.pgid == pgid && p.stopped && !p.zombie {
			return true
		}
	}
	return false
}

// signalGroup sends sig to every process of group pgid (the terminal's
// SIGINT and SIGTSTP go to the foreground group) and reports whether the
// group has members.
func (k *Kernel) signalGroup(pgid, sig int, si siginfo) bool {
	var later signalsLater
	k.tree.mu.Lock()
	members := k.tree.groupMembers(pgid)
	later.addGroup(&k.tree, pgid, sig, si)
	k.tree.mu.Unlock()
	later.send()
	return len(members) > 0
}

// processGroup returns p's process group and session.
func (p *Process) processGroup() (pgid, sid int) {
	k := p.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	return p.pgid, p.sid
}
