// Package hostfs shows a host directory tree to guests, read-only and
// confined: every path is resolved by the host kernel as if the tree's
// top were the root directory (openat2 with RESOLVE_IN_ROOT), so neither
// "..", nor absolute symbolic links, nor links to /proc magic can lead
// outside it.
package hostfs
