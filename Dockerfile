# digitizer with Tesseract (Vietnamese) and poppler. Build: docker build -t digitizer .
# Run:   docker run -v "$PWD/data:/data" digitizer          (watches /data/inbox)
# Signing with a USB token: also install the token vendor's PKCS#11 library, pass the device
# (--device /dev/bus/usb/...) and set DIGITIZER_SIGN_PKCS11_* (README, "Signed PDF/A results").
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-vie poppler-utils libtesseract-dev libleptonica-dev pkg-config g++ \
        ghostscript fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY digitizer ./digitizer
COPY samples ./samples
COPY configs ./configs
RUN pip install --no-cache-dir --no-binary tesserocr .

ENV DIGITIZER_DATA_DIR=/data \
    OMP_THREAD_LIMIT=1
VOLUME ["/data"]
CMD ["digitizer", "watch", "/data/inbox"]
