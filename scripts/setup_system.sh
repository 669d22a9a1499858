#!/bin/sh
# System packages the ID-scan masking needs: Tesseract OCR with the Dutch language data (Debian).
# Does nothing when they are already installed.
set -e
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nld; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-nld >/dev/null
