module github.com/keepalived-ls/keepalived-ls

go 1.26.8

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4 // indirect
	github.com/owenrumney/go-sarif/v2 v2.3.3 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
