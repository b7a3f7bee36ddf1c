// Package poll is readiness: a Pollee is an object whose readiness can
// change (an eventfd, a pipe end, a socket); a Poller waits until any of
// the Pollees it observes reports a change. poll(2), select(2) and epoll
// are built on it, after Asterinas' Pollee/Poller.
//
// A Pollee does not store readiness: its owner computes it on demand (it
// knows its own state) and calls Notify whenever it may have changed.
// Waiters therefore loop: check readiness, and if nothing is ready, wait
// for a notification and check again. A notification that arrives between
// the check and the wait is not lost, because the Poller subscribes before
// it checks.
package poll
