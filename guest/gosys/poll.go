package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// pollBits names the bits of poll's revents in a fixed order.
var pollBits = []struct {
	bit  int16
	name string
}{
	{unix.POLLIN, "IN"}, {unix.POLLPRI, "PRI"}, {unix.POLLOUT, "OUT"},
	{unix.POLLERR, "ERR"}, {unix.POLLHUP, "HUP"}, {unix.POLLNVAL, "NVAL"},
	{unix.POLLRDHUP, "RDHUP"},
}

func pollEvents(ev int16) string {
	var names []string
	for _, b := range pollBits {
		if ev&b.bit != 0 {
			names = append(names, b.name)
		}
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, "|")
}

// epollBits names the bits of an epoll event.
var epollBits = []struct {
	bit  uint32
	name string
}{
	{unix.EPOLLIN, "IN"}, {unix.EPOLLPRI, "PRI"}, {unix.EPOLLOUT, "OUT"},
	{unix.EPOLLERR, "ERR"}, {unix.EPOLLHUP, "HUP"}, {unix.EPOLLRDHUP, "RDHUP"},
}

func epollEvents(ev uint32) string {
	var names []string
	for _, b := range epollBits {
		if ev&b.bit != 0 {
			names = append(names, b.name)
		}
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, "|")
}

// poll is unix.Poll, retried when a signal interrupts it.
func poll(fds []unix.PollFd, ms int) (int, error) {
	for {
		n, err := unix.Poll(fds, ms)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// pollOne polls one descriptor for events and describes the outcome.
func pollOne(fd int, events int16, ms int) string {
	fds := []unix.PollFd{{Fd: int32(fd), Events: events}}
	n, err := poll(fds, ms)
	return fmt.Sprintf("%d %s %s", n, errno(err), pollEvents(fds[0].Revents))
}

func pipe() (r, w int) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		fmt.Println("pipe2:", errno(err))
		os.Exit(2)
	}
	return p[0], p[1]
}

func polling() {
	fmt.Println("== poll")
	r, w := pipe()
	fmt.Println("empty pipe, read end:", pollOne(r, unix.POLLIN, 50))
	fmt.Println("empty pipe, write end:", pollOne(w, unix.POLLOUT, 0))
	fds := []unix.PollFd{{Fd: int32(r), Events: unix.POLLIN}, {Fd: int32(w), Events: unix.POLLOUT}, {Fd: -1, Events: unix.POLLIN}}
	unix.Write(w, []byte("x"))
	n, err := poll(fds, 0)
	fmt.Println("one byte in:", n, errno(err), pollEvents(fds[0].Revents), pollEvents(fds[1].Revents), pollEvents(fds[2].Revents))
	unix.Read(r, make([]byte, 1))
	go func() {
		time.Sleep(50 * time.Millisecond)
		unix.Write(w, []byte("y"))
	}()
	start := time.Now()
	fmt.Println("woken by a write:", pollOne(r, unix.POLLIN, 10000), "waited:", time.Since(start) >= 40*time.Millisecond)
	unix.Read(r, make([]byte, 1))
	unix.Write(w, []byte("z"))
	unix.Close(w)
	fmt.Println("data, writer closed:", pollOne(r, unix.POLLIN, 0))
	unix.Read(r, make([]byte, 1))
	fmt.Println("drained, writer closed:", pollOne(r, unix.POLLIN, 0))
	unix.Close(r)
	r, w = pipe()
	unix.Close(r)
	fmt.Println("reader closed, write end:", pollOne(w, unix.POLLOUT, 0))
	unix.Close(w)
	fmt.Println("closed descriptor:", pollOne(1000, unix.POLLIN, 0))
	f, _ := os.Open("/etc/passwd")
	fmt.Println("regular file:", pollOne(int(f.Fd()), unix.POLLIN|unix.POLLOUT, 0))
	f.Close()
	null, _ := os.OpenFile("/dev/null", os.O_RDWR, 0)
	fmt.Println("/dev/null:", pollOne(int(null.Fd()), unix.POLLIN|unix.POLLOUT, 0))
	null.Close()
	start = time.Now()
	n, err = poll(nil, 30)
	fmt.Println("poll as a sleep:", n, errno(err), time.Since(start) >= 30*time.Millisecond)
	r, w = pipe()
	n, err = unix.Ppoll([]unix.PollFd{{Fd: int32(r), Events: unix.POLLIN}}, &unix.Timespec{Nsec: 20e6}, nil)
	fmt.Println("ppoll timeout:", n, errno(err))

	fmt.Println("== select")
	var rs, ws unix.FdSet
	rs.Set(r)
	tv := unix.Timeval{Usec: 50000}
	n, err = unix.Select(r+1, &rs, nil, nil, &tv)
	fmt.Println("empty pipe:", n, errno(err), rs.IsSet(r))
	unix.Write(w, []byte("abc"))
	rs.Zero()
	rs.Set(r)
	ws.Set(w)
	tv = unix.Timeval{Sec: 5}
	n, err = unix.Select(max(r, w)+1, &rs, &ws, nil, &tv)
	fmt.Println("readable and writable:", n, errno(err), rs.IsSet(r), ws.IsSet(w))
	cr, cw := pipe()
	unix.Close(cr)
	unix.Close(cw)
	rs.Zero()
	rs.Set(cr)
	tv = unix.Timeval{}
	_, err = unix.Select(cr+1, &rs, nil, nil, &tv)
	fmt.Println("closed descriptor:", errno(err))
	start = time.Now()
	tv = unix.Timeval{Usec: 30000}
	n, err = unix.Select(0, nil, nil, nil, &tv)
	fmt.Println("select as a sleep:", n, errno(err), time.Since(start) >= 30*time.Millisecond)
	rs.Zero()
	rs.Set(r)
	n, err = unix.Pselect(r+1, &rs, nil, nil, &unix.Timespec{Sec: 1}, nil)
	fmt.Println("pselect:", n, errno(err), rs.IsSet(r))
	unix.Close(r)
	unix.Close(w)

	fmt.Println("== epoll")
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		fmt.Println("epoll_create1:", errno(err))
		failed = true
		return
	}
	r, w = pipe()
	evs := make([]unix.EpollEvent, 4)
	wait := func(what string) {
		n, err := unix.EpollWait(ep, evs, 0)
		for err == unix.EINTR {
			n, err = unix.EpollWait(ep, evs, 0)
		}
		var got []string
		for _, e := range evs[:max(n, 0)] {
			got = append(got, fmt.Sprintf("fd=%v %s", e.Fd == int32(r), epollEvents(e.Events)))
		}
		fmt.Printf("%s: %d %s %v\n", what, n, errno(err), got)
	}
	fmt.Println("add:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, r, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(r)})))
	wait("empty")
	unix.Write(w, []byte("1"))
	wait("level, data")
	wait("level, again")
	fmt.Println("mod to edge:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_MOD, r, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLET, Fd: int32(r)})))
	wait("edge, after mod")
	wait("edge, again")
	unix.Write(w, []byte("2"))
	wait("edge, new data")
	fmt.Println("add twice:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, r, &unix.EpollEvent{Events: unix.EPOLLIN})))
	fmt.Println("del:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_DEL, r, nil)))
	fmt.Println("del again:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_DEL, r, nil)))
	fmt.Println("mod missing:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_MOD, r, &unix.EpollEvent{Events: unix.EPOLLIN})))
	f, _ = os.Open("/etc/passwd")
	fmt.Println("add regular file:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, int(f.Fd()), &unix.EpollEvent{Events: unix.EPOLLIN})))
	f.Close()
	fmt.Println("add itself:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, ep, &unix.EpollEvent{Events: unix.EPOLLIN})))
	fmt.Println("add closed fd:", errno(unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, 1000, &unix.EpollEvent{Events: unix.EPOLLIN})))
	unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, r, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLRDHUP, Fd: int32(r)})
	unix.Close(w)
	wait("writer closed")
	unix.Close(r)
	n, err = unix.EpollWait(ep, evs, 50)
	fmt.Println("the closed fd left the interest list:", n, errno(err))
	unix.Close(ep)
}
