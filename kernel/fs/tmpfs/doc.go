// Package tmpfs is a file system in memory: directories are maps,
// regular files keep their data in a VMO that is also their page cache,
// so mmap of a tmpfs file maps the pages read(2) and write(2) use.
package tmpfs
