"""`mesh diff`: what changed in the data products' contracts since a base, and whom a break hits."""
