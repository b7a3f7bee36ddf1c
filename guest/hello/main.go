// Command hello is Quartz's demonstration guest: a Go program that reports
// what it sees of the system it runs on.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func field(b [65]int8) string {
	var s []byte
	for _, c := range b {
		if c == 0 {
			break
		}
		s = append(s, byte(c))
	}
	return string(s)
}

func main() {
	fmt.Printf("hello from a Go program inside Quartz\n")
	fmt.Printf("args:       %q\n", os.Args)
	fmt.Printf("pid:        %d\n", os.Getpid())
	var u syscall.Utsname
	if err := syscall.Uname(&u); err == nil {
		fmt.Printf("uname:      %s %s %s %s\n", field(u.Sysname), field(u.Nodename), field(u.Release), field(u.Machine))
	}
	wd, _ := os.Getwd()
	fmt.Printf("cwd:        %s\n", wd)
	fmt.Printf("cpus:       %d (GOMAXPROCS %d)\n", runtime.NumCPU(), runtime.GOMAXPROCS(0))

	// Work spread over goroutines, results gathered over a channel.
	const workers = 100
	results := make(chan int, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			time.Sleep(time.Millisecond)
			results <- n * n
		}(i)
	}
	peak := runtime.NumGoroutine()
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	fmt.Printf("goroutines: %d started, peak %d running, sum of squares %d\n", workers, peak, sum)

	words := map[string]int{}
	for _, w := range strings.Fields("the quick brown fox jumps over the lazy dog the end") {
		words[w]++
	}
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("map:        %d distinct words, %q x%d\n", len(keys), "the", words["the"])

	start := time.Now()
	timer := time.NewTimer(20 * time.Millisecond)
	<-timer.C
	fmt.Printf("timer:      fired after >= 20ms: %v\n", time.Since(start) >= 20*time.Millisecond)
}
