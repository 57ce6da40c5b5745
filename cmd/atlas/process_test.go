//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary is also the atlas command: run with ATLAS_TEST_MAIN
// set, it runs main, supervisor and worker alike, so the tests below see
// the whole process, signals and exit codes included. ATLAS_TEST_CRASH
// makes the worker crash.
func TestMain(m *testing.M) {
	if os.Getenv("ATLAS_TEST_MAIN") != "" {
		if os.Getenv(workerEnv) != "" && os.Getenv("ATLAS_TEST_CRASH") != "" {
			go func() { panic("a crash for the test") }()
			select {}
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// command returns the atlas command with args, run from the test binary.
func command(t *testing.T, env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "ATLAS_TEST_MAIN=1"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd, &stderr
}

func TestCommand_exitCodes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o.png")
	tests := map[string]struct {
		env  []string
		args []string
		code int
		want string
	}{
		"success":   {nil, []string{"render", "--layers", "none", "--size", "32x32", "--out", out}, exitOK, ""},
		"bad usage": {nil, []string{"render", "--zoom", "NaN"}, exitUsage, "--out is required"},
		"bad data":  {nil, []string{"render", "--out", out, "--add", out + ".geojson"}, exitFailure, "no such file"},
		"crash":     {[]string{"ATLAS_TEST_CRASH=1"}, []string{"render", "--out", out}, exitCrash, "atlas: internal error: the renderer crashed"},
		"help":      {nil, []string{"help", "render"}, exitOK, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			cmd, stderr := command(t, tt.env, tt.args...)
			cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != tt.code || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestCommand_signalsStopPromptlyAndClean sends SIGTERM and SIGINT to a
// command as soon as its temporary file exists, in the middle of its
// work, and checks that it stops within a second, with the signal's exit
// code, and leaves no file behind.
func TestCommand_signalsStopPromptlyAndClean(t *testing.T) {
	dir := t.TempDir()
	in := writeInput(t, dir, "label.geojson", longLabelCollection(2000))
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, stderr := command(t, nil, "render", "--add", in, "--size", "4000x3000", "--out", filepath.Join(dir, "map.png"))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for start := time.Now(); !hasTemporary(t, dir); time.Sleep(time.Millisecond) {
				if time.Since(start) > 20*time.Second {
					cmd.Process.Kill()
					t.Fatal("no temporary file after 20 s")
				}
			}
			cmd.Process.Signal(sig)
			signalled := time.Now()
			cmd.Wait()
			if d := time.Since(signalled); d > 2*time.Second {
				t.Errorf("stopped %v after the signal", d)
			}
			if code := cmd.ProcessState.ExitCode(); code != 128+int(sig) {
				t.Errorf("exit %d (%q), want %d", code, stderr, 128+int(sig))
			}
			if hasTemporary(t, dir) {
				t.Error("the temporary file is left behind")
			}
			if _, err := os.Stat(filepath.Join(dir, "map.png")); err == nil {
				t.Error("a stopped run wrote the image")
			}
		})
	}
}

// hasTemporary reports whether dir holds a temporary image file.
func hasTemporary(t *testing.T, dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			return true
		}
	}
	return false
}
