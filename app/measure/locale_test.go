package measure_test

// Fyne reads the locale while the test binary starts; settle it first, so
// that the tests run without locale errors on a machine whose LANG is C.UTF-8.
import _ "github.com/ecoatlas/ecoatlas/app/locale"
