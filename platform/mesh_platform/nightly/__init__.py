"""`mesh nightly`: seed, build, check, lint and quality in one run, reported per domain."""
