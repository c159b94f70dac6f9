package injector

// CheckAllBodies sets checkAllBodies for a test; it returns the old value.
func CheckAllBodies(all bool) bool {
	old := checkAllBodies
	checkAllBodies = all
	return old
}

// BodiesSkipped: how many packages were checked without function bodies.
func BodiesSkipped() int64 { return bodiesSkipped.Load() }

// WeaveWhole sets weaveWhole for a test; it returns the old value.
func WeaveWhole(whole bool) bool {
	old := weaveWhole
	weaveWhole = whole
	return old
}

// PartialWeaves: how many files were woven partially.
func PartialWeaves() int64 { return partialWeaves.Load() }

// KeepUniverses sets keepUniverses for a test (false: every request starts
// afresh); it returns the old value.
func KeepUniverses(keep bool) bool {
	universesMu.Lock()
	defer universesMu.Unlock()
	old := keepUniverses
	keepUniverses = keep
	universes = nil
	return old
}

// UniverseHits: how many requests a kept universe served.
func UniverseHits() int64 { return universeHits.Load() }
