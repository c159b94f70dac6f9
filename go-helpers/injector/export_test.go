package injector

// CheckAllBodies sets checkAllBodies for a test; it returns the old value.
func CheckAllBodies(all bool) bool {
	old := checkAllBodies
	checkAllBodies = all
	return old
}

// BodiesSkipped: how many packages were checked without function bodies.
func BodiesSkipped() int64 { return bodiesSkipped.Load() }
