// Package hostfs is a host directory as a vfs file system, read-only or
// read-write (the "--mount HOST:GUEST[:ro]" binds and the lower layer of
// the overlay root).
//
// # Confinement
//
// Every inode holds an O_PATH descriptor of its host object. Lookup
// resolves exactly one name relative to its directory's descriptor with
// openat2(O_PATH|O_NOFOLLOW, RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS) and
// refuses "", ".", ".." and names with a slash: the walk over several
// components, "..", and symbolic links belong to the VFS. A host symbolic
// link is a vfs.Symlink inode whose target the VFS walk resolves in the
// guest's name space, so an absolute target or a chain of ".." can never
// leave the guest's root, and so never the host directory when it is the
// root. Host mount points below the directory are crossed (no
// RESOLVE_NO_XDEV): they are part of the tree the user bound in.
//
// # Identity
//
// Inodes are kept unique per host (st_dev, st_ino) by a cache of weak
// pointers: while anything holds an inode (a dentry of a walk, an open
// file, a mount on it), every lookup of the same host object returns the
// same value, so mount points and hard links compare equal as vfs.Inode
// values. When nothing holds an inode any more, the garbage collector
// frees it and a cleanup closes its descriptor and drops its cache entry;
// the next lookup makes a new inode. A cached inode whose host object was
// deleted (nlink 0) is not returned for a new object that reuses its
// inode number.
//
// # Page cache
//
// A regular file's data goes through a paged VMO (mm.NewPagedVMO), one per
// host file, shared by every open file and every mapping (vfs.Mappable),
// also across inode generations: it lives while an inode, an open file or
// a mapping holds it, and is found again by (dev, ino) until then. Pages
// come in with pread(2) of a descriptor of the cache's own. write(2)
// copies into the VMO and writes the same pages through to the host with
// pwritev(2), so the host file and the cache agree after every write.
// Writes through a shared mapping reach the host on Sync (msync, fsync),
// which writes back every page the cache holds below the file size: there
// is no dirty tracking yet, and pages written through a mapping but not
// synced are lost when the last holder of the VMO goes. Changes made to
// the host file behind Quartz's back are seen in size when the file is
// opened; cached pages are not re-read.
//
// # Other files
//
// FIFOs, sockets and device nodes are visible with their host attributes;
// opening them is ENXIO (devfs provides the devices Quartz supports).
//
// # Ownership and permissions
//
// The host decides: operations run with Quartz's own host credentials, so
// a host permission error comes back as it is. The host umask is undone
// for files and directories created here (the guest's umask is the
// caller's business).
package hostfs
