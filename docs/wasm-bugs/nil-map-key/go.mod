module example.com/nilmapkey

go 1.24
