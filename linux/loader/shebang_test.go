package loader

import (
	"strings"
	"testing"
)

func TestParseShebang(t *testing.T) {
	long := "/" + strings.Repeat("a", 300)
	for _, c := range []struct {
		head        string
		interp, arg string
		ok          bool
	}{
		{"#!/bin/sh\necho hi\n", "/bin/sh", "", true},
		{"#!/bin/sh", "/bin/sh", "", true},
		{"#! /bin/sh\n", "/bin/sh", "", true},
		{"#!\t /bin/sh \t\n", "/bin/sh", "", true},
		{"#!/usr/bin/env python3\n", "/usr/bin/env", "python3", true},
		{"#!/usr/bin/env  -S  python3 -u  \t\nprint()\n", "/usr/bin/env", "-S  python3 -u", true},
		{"#!/bin/awk -f\r\n", "/bin/awk", "-f\r", true},
		{"#!/bin/sh\t-e\n", "/bin/sh", "-e", true},
		{"#!/bin/sh -e", "/bin/sh", "-e", true},
		{"#!/bin/sh -e   ", "/bin/sh", "-e", true},
		{"#!/bin/a\x00b c\n", "/bin/a", "", true},
		{"#!/bin/a b\x00c\n", "/bin/a", "b", true},
		{"#!\n", "", "", false},
		{"#!   \t \n", "", "", false},
		{"#!", "", "", false},
		{"#!    ", "", "", false},
		{"#", "", "", false},
		{"", "", "", false},
		{"\x7fELF", "", "", false},
		{"# !/bin/sh\n", "", "", false},
		{"#!" + strings.Repeat(" ", 300), "", "", false},
		// No newline within 256 bytes and the path runs to the end: truncated.
		{"#!" + long + "\n", "", "", false},
		// No newline within 256 bytes, but the path ended: the argument is cut.
		{"#!/bin/sh " + long, "/bin/sh", long[:256-1-len("#!/bin/sh ")], true},
		// The newline at byte 255 still counts.
		{"#!/bin/sh " + long[:245] + "\n", "/bin/sh", long[:245], true},
	} {
		interp, arg, ok := ParseShebang([]byte(c.head))
		if interp != c.interp || arg != c.arg || ok != c.ok {
			t.Errorf("ParseShebang(%.40q) = %q, %q, %v; want %q, %q, %v", c.head, interp, arg, ok, c.interp, c.arg, c.ok)
		}
	}
}
