package query

import (
	"slices"
	"testing"
	"unicode"
)

func TestFold_spellingsMeet(t *testing.T) {
	for _, group := range [][]string{
		{"Ysyk-Köl", "Ысык-Көл", "Ыссык-Көл", "Ysyk Kol", "ysykkol", "YSYK-KÖL"},
		{"Issyk-Kul", "Иссык-Куль", "Issyk Kul", "issykkul", "Иссык Куль"},
		{"Almaty", "Алматы", "ALMATY", "Almati"},
		{"Aral", "Арал", "aral"},
		{"Kadji-Sai", "Каджи-Сай", "Kadzhi-Say", "Kaji-Sai"},
		{"Zhezkazgan", "Жезказган", "Jezkazgan", "Жезқазған"},
		{"Khujand", "Худжанд", "Xujand", "Hujand"},
		{"Oʻzbekiston", "O'zbekiston", "Ozbekiston", "Ўзбекистон"},
		{"Aşgabat", "Ashgabat", "Ашгабат"},
		{"Qarqaraly", "Karkaraly", "Қарқаралы"},
		{"Türkmenbaşy", "Turkmenbashy", "Туркменбаши"},
		{"Yesil", "Есиль", "Esil"},
	} {
		want, _ := fold(group[0])
		for _, name := range group[1:] {
			if got, _ := fold(name); got != want {
				t.Errorf("fold(%q) = %q, fold(%q) = %q: want them equal", name, got, group[0], want)
			}
		}
	}
}

func TestFold_keepsDifferentNamesApart(t *testing.T) {
	for _, pair := range [][2]string{
		{"Aral", "Arys"}, {"Almaty", "Almalyk"}, {"Issyk-Kul", "Esik"}, {"Kul", "Kol"},
	} {
		a, _ := fold(pair[0])
		b, _ := fold(pair[1])
		if a == b {
			t.Errorf("fold(%q) = fold(%q) = %q", pair[0], pair[1], a)
		}
	}
}

func TestFold_wordStarts(t *testing.T) {
	for _, tc := range []struct {
		text   string
		key    string
		starts []int
	}{
		{"Issyk-Kul", "isikul", []int{0, 3}},
		{"Lake Issyk-Kul basin — APPROXIMATE", "lakeisikulbasinaprohimate", []int{0, 4, 7, 10, 15}},
		{"  Almaty  ", "almati", []int{0}},
		{"Mailuu-Suu tailing No. 3", "mailusutailingno3", []int{0, 5, 7, 14, 16}},
		{"«Ысык-Кёль»", "isikel", []int{0, 3}},
		{"— ,;", "", []int{}},
	} {
		key, starts := fold(tc.text)
		if key != tc.key || !slices.Equal(starts, tc.starts) {
			t.Errorf("fold(%q) = %q, %v; want %q, %v", tc.text, key, starts, tc.key, tc.starts)
		}
	}
}

func TestLiteral(t *testing.T) {
	for text, want := range map[string]string{
		"Иссык-Куль":  "issykkul",
		"Issyk-Kul":   "issykkul",
		"Ysyk-Köl":    "ysykkol",
		"Ысык-Көл":    "ysykkol",
		"Isikul":      "isikul",
		"Oʻzbekiston": "ozbekiston",
	} {
		if got, _ := literal(text); got != want {
			t.Errorf("literal(%q) = %q, want %q", text, got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Issyk-Kul", "Ыссык-Көл", "Oʻzbekiston", "«Ысык-Кёль»", "No. 3", "\xff\xfe", "ǅ̈"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		key, starts := fold(text)
		if !slices.IsSorted(starts) {
			t.Fatalf("fold(%q): word starts %v out of order", text, starts)
		}
		for _, s := range starts {
			if s < 0 || s >= len(key) {
				t.Fatalf("fold(%q) = %q: word start %d outside the key", text, key, s)
			}
		}
		for _, r := range key {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.ToLower(r) != r {
				t.Fatalf("fold(%q) = %q holds %q, not a lower-case letter or digit", text, key, r)
			}
		}
	})
}
