"""digitizer: scanned Vietnamese administrative papers in, searchable PDFs and records out."""

__version__ = "0.1.0"
