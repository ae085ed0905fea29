"""digitizer: scanned Vietnamese administrative papers in, searchable PDFs and records out."""

from .memory import small_pages_environment
from .threads import limit_environment

limit_environment()   # before any module of the package loads Tesseract (see threads.py)
small_pages_environment()    # and before NumPy (see memory.py)

__version__ = "0.1.0"
