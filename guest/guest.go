// Package guest holds programs that run inside Quartz (each in its own
// directory, built for linux/amd64) and embeds the demonstration guest's
// source so the quartz command can build it on demand.
package guest

import "embed"

// Hello is the source of guest/hello, the program `quartz` runs when given
// nothing else to run.
//
//go:embed hello/*.go
var Hello embed.FS
