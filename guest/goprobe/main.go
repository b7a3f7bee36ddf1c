// Command goprobe exercises the Go runtime's use of the kernel —
// goroutines on several threads, channels, timers, maps, garbage
// collection — and prints results that must match a native run.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	fmt.Println("args:", strings.Join(os.Args[1:], ","))

	// A pipeline of goroutines joined by channels.
	src := make(chan int)
	sq := make(chan int)
	go func() {
		for i := 1; i <= 1000; i++ {
			src <- i
		}
		close(src)
	}()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range src {
				sq <- v * v
			}
		}()
	}
	go func() { wg.Wait(); close(sq) }()
	total := 0
	for v := range sq {
		total += v
	}
	fmt.Println("sum of squares:", total)

	// Mutex-protected map written from many goroutines.
	var mu sync.Mutex
	counts := map[string]int{}
	var wg2 sync.WaitGroup
	for g := 0; g < 50; g++ {
		wg2.Add(1)
		go func(g int) {
			defer wg2.Done()
			for i := 0; i < 200; i++ {
				mu.Lock()
				counts[fmt.Sprintf("k%02d", (g+i)%17)]++
				mu.Unlock()
			}
		}(g)
	}
	wg2.Wait()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println("keys:", len(keys), "first:", keys[0], counts[keys[0]], "last:", keys[len(keys)-1], counts[keys[len(keys)-1]])

	// Timers, tickers and select with timeouts.
	start := time.Now()
	ticker := time.NewTicker(5 * time.Millisecond)
	ticks := 0
	timeout := time.After(60 * time.Millisecond)
loop:
	for {
		select {
		case <-ticker.C:
			ticks++
			if ticks == 5 {
				ticker.Stop()
				break loop
			}
		case <-timeout:
			break loop
		}
	}
	fmt.Println("ticks:", ticks, "elapsed >= 25ms:", time.Since(start) >= 25*time.Millisecond)
	time.Sleep(10 * time.Millisecond)

	// Allocation and garbage collection.
	var keep [][]byte
	for i := 0; i < 200; i++ {
		b := make([]byte, 64<<10)
		b[len(b)-1] = byte(i)
		if i%10 == 0 {
			keep = append(keep, b)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println("kept:", len(keep), "gc ran:", ms.NumGC > 0)

	// Panics inside goroutines are recovered.
	done := make(chan string)
	go func() {
		defer func() { done <- fmt.Sprint("recovered: ", recover()) }()
		var m map[string]int
		m["x"] = 1
	}()
	fmt.Println(<-done)

	// A nil dereference becomes a Go panic through the SIGSEGV handler.
	func() {
		defer func() { fmt.Println("nil deref:", recover() != nil) }()
		var p *int
		fmt.Println(*p)
	}()
	os.Exit(len(os.Args))
}
