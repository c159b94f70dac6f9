module example.com/typecheckloop

go 1.24
