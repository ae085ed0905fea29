"""A scanned stack split into documents: barcodes and sheets, blank pages, where documents start."""
