// Package mm manages guest memory: page frames of the platform's RAM, and
// the address space of a guest process built from them.
//
// An MM is a list of virtual memory areas (VMAs: anonymous or backed by a
// file, with permissions) and a page table mapping guest pages to frames.
// Frames are committed lazily: a guest's first touch of a page faults, the
// fault handler allocates frames for the page and its neighbours
// (fault-around) and maps them in the platform's address space. The kernel
// reads and writes guest memory through the same page table, directly in
// RAM, faulting pages in on the way exactly as a guest access would.
package mm
