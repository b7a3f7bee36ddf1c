package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"quartz/guest"
)

// runDemo builds guest/hello for linux/amd64 and runs it inside Quartz.
func runDemo() int {
	dir, err := os.MkdirTemp("", "quartz-demo-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "quartz: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin, err := buildHello(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "quartz: building the demo guest: %v\n", err)
		return 1
	}
	return run(runOptions{root: "/", platform: "ptrace", memory: 16 << 30}, bin, []string{"hello"})
}

// buildHello writes the embedded guest source into dir and compiles it
// as a static linux/amd64 program.
func buildHello(dir string) (string, error) {
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	files, err := fs.Glob(guest.Hello, "hello/*.go")
	if err != nil {
		return "", err
	}
	for _, f := range files {
		b, err := guest.Hello.ReadFile(f)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(src, filepath.Base(f)), b, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false", "GOWORK=off")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", err
	}
	return bin, nil
}
