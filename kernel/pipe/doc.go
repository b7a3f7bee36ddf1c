// Package pipe is Linux's pipe: a byte buffer between a read end and a
// write end, with Linux's capacity (64 KiB, adjustable with F_SETPIPE_SZ)
// and atomicity (writes up to PIPE_BUF bytes are never interleaved),
// readiness through a poll.Pollee, and blocking that a caller can cancel.
// Data moves once: from the writer's pages into the ring, from the ring
// into the reader's pages, through lib/vmio.
package pipe
