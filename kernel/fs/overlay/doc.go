// Package overlay joins a writable upper directory tree over a read-only
// lower one, like Linux's overlayfs: a name is looked up in the upper tree
// first, then in the lower; directories present in both are merged;
// changing a lower file first copies it up; removing a lower name leaves
// a whiteout. Quartz's default root is the host's "/" (read-only) under a
// tmpfs, so guests can write anywhere without touching the host.
//
// Whiteouts and opaque directories are kept in memory rather than as
// special files in the upper tree: the upper tree is Quartz's own tmpfs,
// never seen by anyone else.
package overlay
