package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the worker receive SIGTERM, and clean up, if the
// command itself is killed.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
