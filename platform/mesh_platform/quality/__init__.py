"""`mesh quality`: Great Expectations suites for the data products, run in the warehouse."""
