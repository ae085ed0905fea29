"""Jobs: take one input file through the pipeline into the store, and file it away."""
