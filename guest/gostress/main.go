// Command gostress loads the Go runtime's use of threads, futexes, signals
// and memory: ten thousand goroutines, a gigabyte of allocation (nearly
// all of it garbage), forced collections, finalizers, every sync
// primitive, tickers. Run with any GOMAXPROCS, it prints the same lines.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var failed bool

func check(ok bool, what string) {
	if !ok {
		fmt.Println("FAILED:", what)
		failed = true
	}
}

func main() {
	fmt.Println("GOMAXPROCS matches environment:", gomaxprocsMatchesEnv())
	goroutines()
	allocate()
	finalizers()
	rwmutex()
	once()
	cond()
	ticker()
	channels()
	if failed {
		fmt.Println("FAILED")
		os.Exit(1)
	}
	fmt.Println("all passed")
}

// gomaxprocsMatchesEnv reports whether the runtime took GOMAXPROCS from
// the environment, or the CPU count without it.
func gomaxprocsMatchesEnv() bool {
	n := runtime.GOMAXPROCS(0)
	if v := os.Getenv("GOMAXPROCS"); v != "" {
		return fmt.Sprint(n) == v
	}
	return n == runtime.NumCPU()
}

const numGoroutines = 10000

// goroutines starts 10k goroutines that each do a little work under a
// mutex and report through a WaitGroup and a channel.
func goroutines() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total int
	results := make([]int, numGoroutines)
	start := make(chan struct{})
	var running atomic.Int32
	for i := 0; i < numGoroutines; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			running.Add(1)
			<-start // all 10k exist at once
			s := 0
			for j := 0; j < 200; j++ {
				s += i ^ j
			}
			results[i] = s
			mu.Lock()
			total += s
			mu.Unlock()
		}(i)
	}
	for running.Load() < numGoroutines {
		runtime.Gosched()
	}
	alive := runtime.NumGoroutine() >= numGoroutines
	close(start)
	wg.Wait()
	want := 0
	for i := 0; i < numGoroutines; i++ {
		s := 0
		for j := 0; j < 200; j++ {
			s += i ^ j
		}
		want += s
		check(results[i] == s, "goroutine result")
	}
	fmt.Printf("goroutines: %d alive at once %v, total %d (right %v)\n", numGoroutines, alive, total, total == want)
	check(total == want && alive, "goroutines")
}

const (
	allocTotal   = 1 << 30
	allocWorkers = 8
	keepChunks   = 32 // live chunks per worker; the rest is garbage
)

// allocate allocates 1 GiB in chunks of varied size from several
// goroutines, keeping a few alive, and checks that what is kept is not
// disturbed by the collections going on.
func allocate() {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	var allocated, corrupt atomic.Int64
	var checksum atomic.Uint64
	for w := 0; w < allocWorkers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			kept := make([][]byte, keepChunks)
			keptIndex := make([]int, keepChunks)
			var done int64
			for i := 0; done < allocTotal/allocWorkers; i++ {
				size := chunkSize(w, i)
				b := make([]byte, size)
				stamp(b, w, i)
				done += int64(size)
				slot := i % keepChunks
				if old := kept[slot]; old != nil && !verify(old, w, keptIndex[slot]) {
					corrupt.Add(1)
				}
				kept[slot], keptIndex[slot] = b, i
				checksum.Add(uint64(b[len(b)-1]) + uint64(len(b)))
			}
			for slot, b := range kept {
				if b != nil && !verify(b, w, keptIndex[slot]) {
					corrupt.Add(1)
				}
			}
			allocated.Add(done)
		}(w)
	}
	wg.Wait()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	gcs := after.NumGC - before.NumGC
	fmt.Printf("allocate: %d MiB, corrupt chunks %d, checksum %d, collections ran %v, TotalAlloc grew >= 1 GiB %v\n",
		allocated.Load()>>20, corrupt.Load(), checksum.Load(), gcs > 1, after.TotalAlloc-before.TotalAlloc >= allocTotal)
	check(corrupt.Load() == 0 && gcs > 1, "allocate")
}

// chunkSize is the size of worker w's i-th chunk: small objects, and
// large ones that get spans of their own.
func chunkSize(w, i int) int {
	switch (w + i) % 4 {
	case 0:
		return 512 + (i%64)*64
	case 1:
		return 16<<10 + (i%16)*1024
	case 2:
		return 64 << 10
	default:
		return 256<<10 + (i%8)*4096
	}
}

// stamp writes a pattern on every page of b; verify checks it.
func stamp(b []byte, w, i int) {
	v := byte(w*31 + i)
	for off := 0; off < len(b); off += 4096 {
		b[off] = v
	}
	b[len(b)-1] = v ^ 0x5a
}

func verify(b []byte, w, i int) bool {
	v := byte(w*31 + i)
	for off := 0; off < len(b); off += 4096 {
		if off != len(b)-1 && b[off] != v {
			return false
		}
	}
	return b[len(b)-1] == v^0x5a
}

type finalizable struct {
	id   int
	data [256]byte
}

// finalizers drops objects with finalizers and waits, a bounded time,
// for the collector to run every one.
func finalizers() {
	const n = 1000
	var ran atomic.Int32
	var sum atomic.Int64
	func() {
		for i := 0; i < n; i++ {
			f := &finalizable{id: i}
			f.data[0] = byte(i)
			runtime.SetFinalizer(f, func(f *finalizable) {
				sum.Add(int64(f.id))
				ran.Add(1)
			})
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for ran.Load() < n && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	fmt.Printf("finalizers: %d of %d ran, ids sum %d\n", ran.Load(), n, sum.Load())
	check(ran.Load() == n && sum.Load() == n*(n-1)/2, "finalizers")
}

// rwmutex has readers check an invariant that writers keep.
func rwmutex() {
	var rw sync.RWMutex
	a, b := 0, 0
	var torn, reads atomic.Int32
	var wg sync.WaitGroup
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				if (g+i)%8 == 0 {
					rw.Lock()
					a++
					b++
					rw.Unlock()
				} else {
					rw.RLock()
					if a != b {
						torn.Add(1)
					}
					reads.Add(1)
					rw.RUnlock()
				}
			}
		}(g)
	}
	wg.Wait()
	fmt.Printf("rwmutex: %d writes, %d reads, %d torn\n", a, reads.Load(), torn.Load())
	check(a == 32*2000/8 && torn.Load() == 0, "rwmutex")
}

// once runs one function once among many goroutines.
func once() {
	var o sync.Once
	var runs atomic.Int32
	var wg sync.WaitGroup
	for g := 0; g < 200; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.Do(func() {
				time.Sleep(5 * time.Millisecond)
				runs.Add(1)
			})
		}()
	}
	wg.Wait()
	fmt.Printf("once: ran %d time(s)\n", runs.Load())
	check(runs.Load() == 1, "once")
}

// cond runs a bounded queue on a sync.Cond with signals and broadcasts.
func cond() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	var queue []int
	const producers, items = 8, 2000
	closed := false
	var wg sync.WaitGroup
	var consumed, sum atomic.Int64
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				for len(queue) == 0 && !closed {
					c.Wait()
				}
				if len(queue) == 0 {
					mu.Unlock()
					return
				}
				v := queue[0]
				queue = queue[1:]
				c.Broadcast() // room for producers
				mu.Unlock()
				consumed.Add(1)
				sum.Add(int64(v))
			}
		}()
	}
	var pwg sync.WaitGroup
	for p := 0; p < producers; p++ {
		pwg.Add(1)
		go func(p int) {
			defer pwg.Done()
			for i := 0; i < items; i++ {
				mu.Lock()
				for len(queue) >= 16 {
					c.Wait()
				}
				queue = append(queue, p*items+i)
				c.Signal()
				mu.Unlock()
			}
		}(p)
	}
	pwg.Wait()
	mu.Lock()
	closed = true
	c.Broadcast()
	mu.Unlock()
	wg.Wait()
	n := int64(producers * items)
	fmt.Printf("cond: consumed %d, sum %d (right %v)\n", consumed.Load(), sum.Load(), sum.Load() == n*(n-1)/2)
	check(consumed.Load() == n && sum.Load() == n*(n-1)/2, "cond")
}

// ticker takes ten ticks of 5ms.
func ticker() {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	start := time.Now()
	var last time.Time
	ordered := true
	for i := 0; i < 10; i++ {
		tick := <-t.C
		if tick.Before(last) {
			ordered = false
		}
		last = tick
	}
	elapsed := time.Since(start)
	fmt.Printf("ticker: 10 ticks, in order %v, took >= 45ms %v\n", ordered, elapsed >= 45*time.Millisecond)
	check(ordered && elapsed >= 45*time.Millisecond, "ticker")
}

// channels bounces a token around a ring of goroutines, and times out a
// select.
func channels() {
	const ring, laps = 100, 50
	chans := make([]chan int, ring)
	for i := range chans {
		chans[i] = make(chan int)
	}
	done := make(chan int)
	for i := 0; i < ring; i++ {
		go func(i int) {
			for v := range chans[i] {
				if i == ring-1 && v >= ring*laps-1 {
					done <- v
					return
				}
				chans[(i+1)%ring] <- v + 1
			}
		}(i)
	}
	chans[0] <- 0
	v := <-done
	start := time.Now()
	select {
	case <-make(chan int):
	case <-time.After(20 * time.Millisecond):
	}
	fmt.Printf("channels: token reached %d, select timeout >= 20ms %v\n", v, time.Since(start) >= 20*time.Millisecond)
	check(v == ring*laps-1, "channels")
}
