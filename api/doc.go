// Package api will be Quartz's unikernel interface: Go programs linked
// with the kernel call it directly, without system calls or descriptor
// tables (ArceOS's API fast path).
package api
