package mm

// Holders is how many holders keep the VMO alive: handles, mappings,
// children reading through it, a page cache's own reference. A cache
// whose VMO has no holder but itself may drop its pages.
func (v *VMO) Holders() int {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return v.refs
}
