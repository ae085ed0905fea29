"""OpenCV cleanup: the image Tesseract reads, and the faithful one the PDF shows."""
