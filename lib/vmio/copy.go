package vmio

// Copy moves min(dst.Remaining, src.Remaining) bytes from src to dst with
// one copy per pair of pieces: both sides are pinned (or sliced, for kernel
// memory) and copied directly, with no buffer in between. It returns the
// bytes moved and the first fault, on either side; both cursors then stand
// on the first byte not moved.
func Copy(dst *Writer, src *Reader) (uint64, error) {
	total := min(dst.c.remain, src.c.remain)
	var moved uint64
	// The destination piece is kept while source pieces fill it: a source
	// piece is pinned for at most what is left of it, so each round empties
	// the source piece.
	var db []byte
	var drelease func()
	for moved < total {
		if len(db) == 0 {
			b, release, err := dst.c.piece(total - moved)
			if err != nil {
				return moved, err
			}
			db, drelease = b, release
		}
		sb, srelease, err := src.c.piece(uint64(len(db)))
		if err != nil {
			done(drelease)
			return moved, err
		}
		k := copy(db, sb)
		done(srelease)
		db = db[k:]
		dst.c.advance(uint64(k))
		src.c.advance(uint64(k))
		moved += uint64(k)
		if len(db) == 0 {
			done(drelease)
			drelease = nil
		}
	}
	// The last destination piece was pinned for at most total-moved bytes,
	// so it is used up and released by now; this is only a safety net.
	done(drelease)
	return moved, nil
}
