package linux

import (
	"sync"

	"golang.org/x/sys/unix"
)

// terminal is the guest side of the host terminal behind the standard
// descriptors: the first process's session controls it, and one process
// group of that session is in the foreground. The characters that
// interrupt (Ctrl-C, Ctrl-\) reach Quartz as host signals; Kernel.Signal
// sends them to the foreground group, as the terminal driver would.
type terminal struct {
	mu  sync.Mutex
	sid int // the controlling session; 0 before the first process
	fg  int // the foreground process group
}

func (term *terminal) attach(sid, pgid int) {
	term.mu.Lock()
	defer term.mu.Unlock()
	term.sid, term.fg = sid, pgid
}

func (term *terminal) foreground() int {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.fg
}

// ioctl answers the job-control requests: TIOCGPGRP, TIOCSPGRP, TIOCGSID.
func (term *terminal) ioctl(t *Thread, req, arg uint64) (uint64, error) {
	_, sid := t.proc.processGroup()
	term.mu.Lock()
	ctl := term.sid
	term.mu.Unlock()
	if sid != ctl {
		return 0, unix.ENOTTY // not our controlling terminal
	}
	switch req {
	case unix.TIOCGPGRP:
		return 0, t.writeUint32(arg, uint32(term.foreground()))
	case unix.TIOCGSID:
		return 0, t.writeUint32(arg, uint32(sid))
	}
	v, err := t.readUint32(arg)
	if err != nil {
		return 0, err
	}
	want := int(int32(v))
	if want < 0 {
		return 0, unix.EINVAL
	}
	k := t.proc.k
	k.tree.mu.Lock()
	ok := k.tree.groupInSession(want, sid)
	k.tree.mu.Unlock()
	if !ok {
		return 0, unix.EPERM
	}
	// Linux sends SIGTTOU to a background caller that neither ignores
	// nor blocks it; shells change the foreground group only from the
	// foreground or with SIGTTOU ignored, so Quartz lets every caller
	// through.
	term.mu.Lock()
	term.fg = want
	term.mu.Unlock()
	return 0, nil
}
