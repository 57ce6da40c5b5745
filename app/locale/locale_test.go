package locale

import (
	"os"
	"testing"
)

func TestSettle(t *testing.T) {
	tests := map[string]struct {
		env  map[string]string
		want map[string]string // "" for unset
	}{
		"C":               {map[string]string{"LANG": "C"}, map[string]string{"LANG": ""}},
		"C.UTF-8":         {map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LANG": ""}},
		"POSIX in all":    {map[string]string{"LC_ALL": "POSIX", "LANG": "ru_RU.UTF-8"}, map[string]string{"LC_ALL": "", "LANG": "ru_RU.UTF-8"}},
		"Russian":         {map[string]string{"LANG": "ru_RU.UTF-8"}, map[string]string{"LANG": "ru_RU.UTF-8"}},
		"Kazakh":          {map[string]string{"LC_MESSAGES": "kk_KZ"}, map[string]string{"LC_MESSAGES": "kk_KZ"}},
		"with modifier":   {map[string]string{"LANG": "uz_UZ.UTF-8@cyrillic"}, map[string]string{"LANG": "uz_UZ.UTF-8@cyrillic"}},
		"LANGUAGE list":   {map[string]string{"LANGUAGE": "C:ru:en"}, map[string]string{"LANGUAGE": "ru:en"}},
		"LANGUAGE only C": {map[string]string{"LANGUAGE": "C"}, map[string]string{"LANGUAGE": ""}},
		"not a locale":    {map[string]string{"LANG": "garbage!"}, map[string]string{"LANG": ""}},
		"UN region":       {map[string]string{"LANG": "es_419.UTF-8"}, map[string]string{"LANG": "es_419.UTF-8"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
				t.Setenv(v, "")
				os.Unsetenv(v)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			settle()
			for k, want := range tc.want {
				if got := os.Getenv(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}
