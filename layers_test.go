package quartz

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden lists, for each layer, the layers it must not import.
var forbidden = map[string][]string{
	"lib":    {"hal", "kernel", "linux", "zircon", "api", "cmd"},
	"hal":    {"kernel", "linux", "zircon", "api", "cmd"},
	"kernel": {"linux", "zircon", "api", "cmd"},
	"linux":  {"zircon", "api", "cmd"},
	"zircon": {"linux", "api", "cmd"},
	"api":    {"cmd"},
}

func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	layerOf := func(pkg string) string {
		rest, ok := strings.CutPrefix(pkg, "quartz/")
		if !ok {
			return ""
		}
		return strings.SplitN(rest, "/", 2)[0]
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, deps := fields[0], fields[1:]
		bad := forbidden[layerOf(pkg)]
		for _, dep := range deps {
			for _, b := range bad {
				if layerOf(dep) == b {
					t.Errorf("%s imports %s: %s may not depend on %s", pkg, dep, layerOf(pkg), b)
				}
			}
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("only %d packages listed; the check is not looking at the tree", checked)
	}
}
