// A Go program whose goroutines park in the ways a Go service does: on a
// channel, a mutex, a sleep, the network poller, and on threads of their
// own (LockOSThread) blocked in a system call and on a channel. It prints
// "ready" once the runtime reports every one of them parked, then waits.
package main

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

//go:noinline
func waitOnChannel(c chan int) int { return <-c }

//go:noinline
func waitOnMutex(m *sync.Mutex) { m.Lock() }

//go:noinline
func sleepLong() { time.Sleep(time.Hour) }

//go:noinline
func acceptOne(l net.Listener) { l.Accept() }

// readOnLockedThread blocks its own OS thread in read(2) on a pipe nobody writes.
//
//go:noinline
func readOnLockedThread(fd int) {
	runtime.LockOSThread()
	buf := make([]byte, 1)
	syscall.Read(fd, buf)
}

// waitOnLockedThread parks a goroutine wired to its thread: the thread
// itself sleeps in the runtime until the goroutine may run.
//
//go:noinline
func waitOnLockedThread(c chan int) int {
	runtime.LockOSThread()
	return <-c
}

// parked reports whether the runtime's own goroutine dump shows every wait.
// A mutex wait reads "semacquire" up to Go 1.19, "sync.Mutex.Lock" after.
func parked() bool {
	buf := make([]byte, 1<<20)
	dump := string(buf[:runtime.Stack(buf, true)])
	return goroutineIn(dump, "[chan receive]", "main.waitOnChannel") &&
		(goroutineIn(dump, "[semacquire", "main.waitOnMutex") || goroutineIn(dump, "[sync.Mutex.Lock", "main.waitOnMutex")) &&
		goroutineIn(dump, "[sleep]", "main.sleepLong") &&
		goroutineIn(dump, "[IO wait]", "main.acceptOne") &&
		goroutineIn(dump, "[syscall, locked to thread]", "main.readOnLockedThread") &&
		goroutineIn(dump, "[chan receive, locked to thread]", "main.waitOnLockedThread")
}

// goroutineIn: some goroutine's header holds state and its frames function.
func goroutineIn(dump, state, function string) bool {
	for _, g := range strings.Split(dump, "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, state) && strings.Contains(g, function+"(") {
			return true
		}
	}
	return false
}

func main() {
	never := make(chan int)
	var m sync.Mutex
	m.Lock()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "goprog: listen:", err)
		os.Exit(1)
	}
	var pipe [2]int
	if err := syscall.Pipe(pipe[:]); err != nil {
		fmt.Fprintln(os.Stderr, "goprog: pipe:", err)
		os.Exit(1)
	}
	go waitOnChannel(never)
	go waitOnMutex(&m)
	go sleepLong()
	go acceptOne(listener)
	go readOnLockedThread(pipe[0])
	go waitOnLockedThread(never)
	for !parked() {
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println("ready")
	<-never
}
