"""Metadata embedded in scans: list it (``scan``) and strip it (``mask``).

Images (JPEG, PNG, TIFF) carry EXIF (camera, dates, GPS, sometimes an owner
name), XMP (an XML packet, often with a document title or author), IPTC, PNG
text chunks and ICC profiles; PDFs carry a document-info dictionary (Author,
Title, Creator, ...) and XMP.  Listing names the fields, never their values.
Stripping is done by re-encoding: the pixels (orientation applied) are
written to a new file, so nothing of the original travels along.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from PIL import ExifTags, Image

IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF"}
SCAN_FORMATS = set(IMAGE_FORMATS) | {".pdf"}
_PERSONAL_EXIF = {"Artist", "Copyright", "XPAuthor", "XPComment", "XPSubject", "XPTitle", "XPKeywords", "ImageDescription",
                  "UserComment", "GPSInfo", "CameraOwnerName", "BodySerialNumber", "DateTimeOriginal", "DateTime"}


def image_metadata(image: Image.Image) -> Dict[str, List[str]]:
    """The metadata fields present in an opened image, by kind: names only."""
    found: Dict[str, List[str]] = {}
    exif = image.getexif()
    names = [ExifTags.TAGS.get(tag, f"tag {tag}") for tag in exif]
    if exif.get_ifd(ExifTags.IFD.GPSInfo):
        names.append("GPSInfo")
    if names:
        found["EXIF"] = sorted(set(names))
    info = image.info
    if "xmp" in info or "XML:com.adobe.xmp" in info or any(k.lower().startswith("xmp") for k in info):
        found["XMP"] = ["packet"]
    if "icc_profile" in info:
        found["ICC"] = ["profile"]
    if image.format == "PNG":
        texts = [k for k in getattr(image, "text", {}) if not k.lower().startswith("xml:com.adobe.xmp")]
        if texts:
            found["PNG text"] = sorted(texts)
    if image.format == "JPEG" and any(k in info for k in ("photoshop", "iptc")) or getattr(image, "applist", None) and any(
            a[0] == "APP13" for a in image.applist):
        found["IPTC"] = ["record"]
    if "comment" in info:
        found["comment"] = ["text"]
    return found


def pdf_metadata(path: Path) -> Dict[str, List[str]]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    found: Dict[str, List[str]] = {}
    if reader.metadata:
        found["PDF info"] = sorted(str(k).lstrip("/") for k in reader.metadata.keys())
    if "/Metadata" in reader.trailer["/Root"]:
        found["XMP"] = ["packet"]
    return found


def personal_fields(found: Dict[str, List[str]]) -> List[str]:
    """The listed fields that may identify a person (author, owner, GPS, free text, ...)."""
    risky = []
    for kind, names in found.items():
        for name in names:
            if kind in ("XMP", "PNG text", "IPTC", "comment", "PDF info") or name in _PERSONAL_EXIF:
                risky.append(f"{kind}: {name}")
    return risky
