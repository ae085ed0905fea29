"""digitizer: scanned Vietnamese administrative papers in, searchable PDFs and records out."""

from .threads import limit_environment

limit_environment()   # before any module of the package loads Tesseract (see threads.py)

__version__ = "0.1.0"
