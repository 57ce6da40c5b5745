//go:build !linux

package main

import "os/exec"

// dieWithParent does nothing where a child cannot ask for a signal when
// its parent dies.
func dieWithParent(*exec.Cmd) {}
