// Package vfs is Quartz's virtual file system: the inode and file
// interfaces every file system implements, the dentry tree and mounts that
// join file systems into one name space, and the path walk over it.
//
// A file system provides inodes. Directories (Dir), symbolic links
// (Symlink) and openable files (Opener) are optional interfaces of an
// Inode, checked with type assertions. Open returns a File, whose data
// moves through lib/vmio readers and writers: from the page cache or a
// pipe buffer straight into guest pages. Regular files keep their data in
// a VMO (their page cache), so that mmap of a file maps the very pages
// read(2) and write(2) use.
//
// Dentries name inodes: each has its parent and its mount, so ".." and
// getcwd work across mount points. Mounting a file system on a dentry
// hides what is below; the walk steps onto the mounted root.
package vfs
