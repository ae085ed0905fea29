"""Digital signatures: reading those a PDF carries, and the centre's own on every stored PDF.
Nothing here loads pyHanko until a signature is made or read."""
