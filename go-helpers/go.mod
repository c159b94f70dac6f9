module github.com/orchestrion-ts/go-helpers

go 1.23

require (
	github.com/dave/dst v0.27.4
	gopkg.in/yaml.v3 v3.0.1
)

require (
	golang.org/x/mod v0.6.0-dev.0.20220419223038-86c51ed26bb4 // indirect
	golang.org/x/sys v0.0.0-20220722155257-8c9f86f7a55f // indirect
	golang.org/x/tools v0.1.12 // indirect
)
