module github.com/orchestrion-ts/go-helpers

go 1.23.0

require (
	github.com/dave/dst v0.27.4
	golang.org/x/tools v0.35.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	golang.org/x/mod v0.26.0 // indirect
	golang.org/x/sync v0.16.0 // indirect
)
