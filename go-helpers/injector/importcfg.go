package injector

import (
	"bufio"
	"bytes"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"strings"
)

// importConfig is the content of a compile -importcfg file.
type importConfig struct {
	packageFile map[string]string // import path -> export data archive
	importMap   map[string]string // source import path -> actual path
}

func readImportConfig(path string) (*importConfig, error) {
	cfg := &importConfig{packageFile: map[string]string{}, importMap: map[string]string{}}
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, args, _ := strings.Cut(line, " ")
		key, value, ok := strings.Cut(strings.TrimSpace(args), "=")
		if !ok {
			continue
		}
		switch verb {
		case "packagefile":
			cfg.packageFile[key] = value
		case "importmap":
			cfg.importMap[key] = value
		}
	}
	return cfg, sc.Err()
}

// resolve follows importmap entries.
func (c *importConfig) resolve(path string) string {
	if mapped, ok := c.importMap[path]; ok {
		return mapped
	}
	return path
}

// lookup opens the export data of an imported package.
func (c *importConfig) lookup(path string) (io.ReadCloser, error) {
	file, ok := c.packageFile[c.resolve(path)]
	if !ok {
		return nil, fmt.Errorf("package %q is not in importcfg", path)
	}
	return os.Open(file)
}

// newImporter returns a gc export data importer reading through importcfg.
func (c *importConfig) newImporter(fset *token.FileSet) types.Importer {
	return importer.ForCompiler(fset, "gc", c.lookup)
}
