#!/usr/bin/env bash
# Install the Debian/Ubuntu packages digitizer needs, only those missing. Safe to run again.
set -euo pipefail
packages=(tesseract-ocr tesseract-ocr-vie poppler-utils fonts-croscore fonts-liberation2 fonts-noto-core
          libtesseract-dev libleptonica-dev pkg-config g++   # tesserocr is built on this Tesseract
          ghostscript     # PDF/A: the sRGB profile; born-digital pages that break PDF/A
          fonts-dejavu-core   # the generated forms' handwriting (samples/kinds.py)
          chromium)   # chromium: the browser test of the web page (driven by Playwright)
# Debian's python3 needs python3-venv for `python3 -m venv`; other Pythons bring their own.
python3 -c "import venv, ensurepip" 2>/dev/null || packages+=(python3-venv python3-pip)
packages+=("$@")   # extra packages for a target, e.g. ocrmypdf for the benchmarks
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
