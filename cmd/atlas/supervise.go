package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// A Go program that panics or hits a fatal error exits with 2, which for
// atlas means bad arguments. So the command runs itself as a worker
// process and watches it: the worker exits with workerUsage for bad
// arguments, and an exit of 2, or a death by an unexpected signal, is a
// crash, reported as exitCrash. Signals sent to the command are passed on
// to the worker, which stops promptly and cleans up.

// workerEnv marks the worker process in its environment.
const workerEnv = "ATLAS_WORKER"

// workerUsage is the worker's exit code for bad arguments.
const workerUsage = 64

// supervise runs the command in a worker process and returns the exit
// code to give. If the worker cannot be started, it does the work itself.
func supervise(args []string, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		return work(args)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	dieWithParent(cmd)
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		signal.Stop(signals)
		return work(args)
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case s := <-signals:
				cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	cmd.Wait()
	return exitCode(cmd.ProcessState, stderr)
}

// exitCode returns the command's exit code for how the worker ended,
// saying so when it crashed.
func exitCode(ps *os.ProcessState, stderr io.Writer) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		switch s := ws.Signal(); s {
		case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP:
			return 128 + int(s)
		case syscall.SIGKILL:
			fmt.Fprintln(stderr, "atlas: internal error: the renderer was killed (out of memory?)")
		default:
			fmt.Fprintf(stderr, "atlas: internal error: the renderer died of %v; this is a bug, please report it\n", s)
		}
		return exitCrash
	}
	switch code := ps.ExitCode(); code {
	case workerUsage:
		return exitUsage
	case exitUsage:
		fmt.Fprintln(stderr, "atlas: internal error: the renderer crashed (see above); this is a bug, please report it")
		return exitCrash
	default:
		return code
	}
}

// work runs the command in this process, stopping it on SIGINT, SIGTERM
// or SIGHUP, and returns its exit code: 128 plus the signal's number if
// one stopped it.
func work(args []string) int {
	ctx, stop := signalContext()
	defer stop()
	code := run(ctx, args, os.Stdout, os.Stderr)
	if se, ok := context.Cause(ctx).(signalError); ok && code == exitInterrupted {
		if s, ok := se.sig.(syscall.Signal); ok {
			return 128 + int(s)
		}
	}
	return code
}

// signalError is the cause of a context cancelled by a signal.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "stopped by " + e.sig.String() }

// signalContext returns a context cancelled, with a signalError as its
// cause, by the first SIGINT, SIGTERM or SIGHUP, and a function that
// stops listening. Later signals are ignored: the run is stopping, and
// the supervisor passes on a Ctrl-C the terminal sent to both processes.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for first := true; ; first = false {
			select {
			case s := <-signals:
				if first {
					cancel(signalError{s})
				}
			case <-done:
				return
			}
		}
	}()
	return ctx, func() {
		signal.Stop(signals)
		close(done)
		cancel(nil)
	}
}
