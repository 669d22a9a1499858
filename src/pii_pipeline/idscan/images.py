"""Mask copies of identity documents: BSN, document number, names, date of birth, MRZ and portrait.

Per page (an image, a TIFF frame, or an image of an image-only PDF):

1. OCR with Tesseract (Dutch + English data, from the Debian packages) gives
   words with boxes, grouped in lines;
2. areas to cover, each with its type:
   * MRZ lines (``P<NLD...``, ``I<NLD...``): the whole line, since it repeats
     the document number, names, birth date and, on passports, the BSN;
   * any 9-digit number passing the elfproef (BSN), any Dutch document
     number (2 letters, 6 letters or digits, 1 digit);
   * the value after a label (``Naam``/``Surname``, ``Voornamen``/``Given names``,
     ``Geboortedatum``/``Date of birth``, ``BSN``/``Persoonsnummer``,
     ``Documentnummer``): on the same line after the label, or the next line;
   * what the Dutch detector finds in each line (names, dates of birth, ...);
   * the earliest date on the document when no label marked the birth date;
   * the portrait: faces found by OpenCV's Haar cascade (ships with the
     package), widened to cover hair and shoulders;
3. solid black boxes are drawn and a *new* image is written from the pixels:
   no layers, no metadata, no original inside.  A JSON report lists what was
   covered (types and boxes, no values).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from recognizers.identifiers import bsn, id_document
from recognizers.identifiers import dates as dutch_dates

from ..errors import InputError
from ..masking.writers import publish_bytes
from .metadata import IMAGE_FORMATS, image_metadata, pdf_metadata

DEFAULT_MAX_PIXELS = 100_000_000   # ~ an A4 page at 1200 dpi; larger images are refused (decompression bombs)
OCR_LANG = "nld+eng"
_MRZ = re.compile(r"^[A-Z0-9<]{25,46}$")


def _label(words) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z])", re.IGNORECASE)


# The printed labels; the identifiers' label words come from their modules.
LABELS = {
    "PERSON": re.compile(r"\b(naam|achternaam|surname|voornamen|given\s*names?|name)\b", re.IGNORECASE),
    "DATE_OF_BIRTH": _label(dutch_dates.LABELS_BIRTH),
    "NL_BSN": _label(bsn.LABELS),
    "NL_ID_DOCUMENT": _label(id_document.NUMBER_LABELS),
}


@dataclass
class Box:
    entity_type: str
    left: int
    top: int
    right: int
    bottom: int

    def padded(self, pad: int, width: int, height: int) -> "Box":
        return Box(self.entity_type, max(0, self.left - pad), max(0, self.top - pad), min(width, self.right + pad),
                   min(height, self.bottom + pad))


@dataclass
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int


@dataclass
class Line:
    words: List[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def box(self, entity: str, words: Optional[List[Word]] = None) -> Box:
        words = words or self.words
        return Box(entity, min(w.left for w in words), min(w.top for w in words), max(w.right for w in words),
                   max(w.bottom for w in words))


def open_image(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> List[Image.Image]:
    """The pages of an image file or image-only PDF, orientation applied; clear errors for bad input."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf_pages(path, max_pixels)
    if suffix not in IMAGE_FORMATS:
        raise InputError(path, f"unsupported image format '{path.suffix}'; supported: .jpg .jpeg .png .tif .tiff .pdf")
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with Image.open(path) as image:
            if image.width * image.height > max_pixels:
                raise InputError(path, f"image of {image.width}x{image.height} pixels exceeds the limit of {max_pixels:,}")
            pages = []
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                frame = ImageOps.exif_transpose(image.copy())
                frame.load()
                pages.append(frame.convert("RGB"))
            return pages
    except Image.DecompressionBombError:
        raise InputError(path, f"image exceeds the pixel limit of {max_pixels:,} (decompression bomb?)") from None
    except UnidentifiedImageError:
        raise InputError(path, "not a readable image") from None
    except (OSError, SyntaxError, ValueError):
        raise InputError(path, "corrupt or truncated image") from None


def _pdf_pages(path: Path, max_pixels: int) -> List[Image.Image]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            images = list(page.images)
            if not images:
                raise InputError(path, f"page {number} has no image (only image-only PDFs of scans are supported)")
            if page.extract_text().strip():
                raise InputError(path, f"page {number} has a text layer; only image-only PDFs of scans are supported")
            largest = max(images, key=lambda i: i.image.width * i.image.height)
            picture = largest.image
            if picture.width * picture.height > max_pixels:
                raise InputError(path, f"page {number}: image exceeds the pixel limit of {max_pixels:,}")
            pages.append(picture.convert("RGB"))
        if not pages:
            raise InputError(path, "a PDF without pages")
        return pages
    except InputError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError):
        raise InputError(path, "not a readable PDF") from None


def ocr_lines(image: Image.Image) -> List[Line]:
    import pytesseract

    # Sparse-text mode: ID cards are fields scattered over a picture, not paragraphs.
    d = pytesseract.image_to_data(image, lang=OCR_LANG, output_type=pytesseract.Output.DICT, config="--psm 11")
    lines: dict = {}
    for i, text in enumerate(d["text"]):
        text = text.strip()
        if not text or float(d["conf"][i]) < 0:
            continue
        key = (d["block_num"][i], d["par_num"][i], d["line_num"][i])
        lines.setdefault(key, Line()).words.append(
            Word(text, d["left"][i], d["top"][i], d["left"][i] + d["width"][i], d["top"][i] + d["height"][i]))
    ordered = sorted(lines.values(), key=lambda l: (min(w.top for w in l.words), min(w.left for w in l.words)))
    return ordered


# Words of the printed labels themselves (bilingual on Dutch documents): never a value.
LABEL_WORDS = {"naam", "achternaam", "surname", "voornamen", "given", "names", "name", "geboortedatum", "date", "of",
               "birth", "geb", "datum", "bsn", "burgerservicenummer", "persoonsnummer", "personal", "no", "nr",
               "documentnummer", "document", "paspoortnummer"}


def _is_label_word(word: Word) -> bool:
    token = word.text.strip(":/.,()").lower()
    return not token or token in LABEL_WORDS or not re.search(r"\w", token)


def _value_words(line: Line, label: re.Pattern) -> List[Word]:
    """The words after a label on the same line (``Naam: JANSEN``, ``Naam / Surname JANSEN``)."""
    text, out, seen_label = "", [], False
    for w in line.words:
        text = (text + " " + w.text).strip()
        if seen_label:
            out.append(w)
        elif label.search(text):
            seen_label = True
    return [w for w in out if not _is_label_word(w)]


def _next_line(lines: List[Line], i: int) -> Optional[Line]:
    """The line below line ``i`` whose words start under its label (the value of a label-above-value layout)."""
    here = lines[i]
    top, left = max(w.bottom for w in here.words), min(w.left for w in here.words)
    below = [l for l in lines[i + 1:] if min(w.top for w in l.words) >= top - 2
             and abs(min(w.left for w in l.words) - left) < 0.5 * max(40, here.box("x").right - left)]
    return min(below, key=lambda l: min(w.top for w in l.words)) if below else None


def find_text_boxes(lines: List[Line], detector=None) -> List[Box]:
    boxes: List[Box] = []
    dates: List[Tuple[dt.date, Box]] = []
    birth_labelled = False
    for i, line in enumerate(lines):
        compact = line.text.replace(" ", "")
        if _MRZ.match(compact) and compact.count("<") >= 2:
            boxes.append(line.box("MRZ"))
            continue
        for w in line.words:
            token = w.text.strip(".,:;()")
            if len(bsn.compact(token)) == 9 and bsn.is_valid(token):
                boxes.append(line.box("NL_BSN", [w]))
            elif id_document.is_valid(token):
                boxes.append(line.box("NL_ID_DOCUMENT", [w]))
        for start, end in dutch_dates.find(line.text):
            parsed = dutch_dates.parse(line.text[start:end])
            if parsed:
                words = _words_in_span(line, start, end)
                if words:
                    dates.append((parsed, line.box("DATE_OF_BIRTH", words)))
        for entity, label in LABELS.items():
            if label.search(line.text):
                value = _value_words(line, label)
                if value:
                    boxes.append(line.box(entity, value))
                below = _next_line(lines, i)
                if below is not None and not any(l.search(below.text) for l in LABELS.values()):
                    boxes.append(below.box(entity))
                birth_labelled |= entity == "DATE_OF_BIRTH"
        if detector is not None and not any(l.search(line.text) for l in LABELS.values()):
            for f in detector.detect(line.text):
                if f.entity_type in ("PERSON", "NL_BSN", "NL_ID_DOCUMENT", "DATE_OF_BIRTH", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS"):
                    words = _words_in_span(line, f.start, f.end)
                    if words:
                        boxes.append(line.box(f.entity_type, words))
    if dates and not birth_labelled:
        # The date of birth is the earliest date on an ID document (issue and expiry come later).
        earliest = min(d for d, _ in dates)
        boxes.extend(b for d, b in dates if d == earliest)
    unique = {(b.entity_type, b.left, b.top, b.right, b.bottom): b for b in boxes}
    return list(unique.values())


def _words_in_span(line: Line, start: int, end: int) -> List[Word]:
    out, position = [], 0
    for w in line.words:
        w_start, w_end = position, position + len(w.text)
        if w_start < end and w_end > start:
            out.append(w)
        position = w_end + 1
    return out


def find_faces(image: Image.Image) -> List[Box]:
    import cv2
    import numpy as np

    gray = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY)
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    side = min(gray.shape)
    faces = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(max(24, side // 20),) * 2)
    boxes = []
    for (x, y, w, h) in faces:
        # The portrait, not just the face: hair above, neck and shoulders below, a margin aside.
        boxes.append(Box("PORTRAIT", int(x - 0.45 * w), int(y - 0.6 * h), int(x + 1.45 * w), int(y + 1.7 * h)))
    return boxes


@dataclass
class ScanReport:
    file: str
    pages: int
    covered: List[dict]
    metadata_removed: dict
    portrait_found: bool

    def to_dict(self) -> dict:
        return asdict(self)


def mask_scan(source: Path | str, target: Path | str, detector=None, max_pixels: int = DEFAULT_MAX_PIXELS) -> ScanReport:
    """Write a masked copy of an ID scan and ``<target>._report.json``; return the report."""
    source, target = Path(source), Path(target)
    out_suffix = target.suffix.lower()
    if out_suffix not in IMAGE_FORMATS and out_suffix != ".pdf":
        raise InputError(target, "the masked scan must be written as .jpg, .png, .tif or .pdf")
    if target.exists() and source.exists() and target.samefile(source):
        raise InputError(target, "is the input file (or a link to it); choose another output path")
    removed = _metadata_of(source)
    pages = open_image(source, max_pixels)
    if len(pages) > 1 and out_suffix not in (".pdf", ".tif", ".tiff"):
        # Keeping page 1 and saying nothing would lose pages; say so before any work is done.
        raise InputError(target, f"the input has {len(pages)} pages and {out_suffix} holds one; write .tif or .pdf")
    covered, masked_pages, portrait = [], [], False
    for number, page in enumerate(pages, start=1):
        boxes = find_text_boxes(ocr_lines(page), detector) + find_faces(page)
        portrait |= any(b.entity_type == "PORTRAIT" for b in boxes)
        # A new image from the pixels alone: info (EXIF, XMP, comments, ICC) stays behind with the original.
        canvas = Image.frombytes("RGB", page.size, page.convert("RGB").tobytes())
        draw = ImageDraw.Draw(canvas)
        pad = max(2, page.height // 200)
        for box in boxes:
            b = box.padded(pad, page.width, page.height)
            draw.rectangle([b.left, b.top, b.right, b.bottom], fill=(0, 0, 0))
            covered.append({"page": number, "entity_type": b.entity_type, "box": [b.left, b.top, b.right, b.bottom]})
        masked_pages.append(canvas)
    buffer = io.BytesIO()
    if out_suffix == ".pdf":
        masked_pages[0].save(buffer, format="PDF", save_all=True, append_images=masked_pages[1:], resolution=300)
    else:
        fmt = IMAGE_FORMATS[out_suffix]
        options = {"quality": 92} if fmt == "JPEG" else {}
        if len(masked_pages) > 1 and fmt == "TIFF":
            masked_pages[0].save(buffer, format=fmt, save_all=True, append_images=masked_pages[1:], compression="tiff_deflate")
        else:
            masked_pages[0].save(buffer, format=fmt, **options)  # no exif=, no icc_profile=: nothing carried over
    publish_bytes(target, buffer.getvalue())
    report = ScanReport(source.name, len(pages), covered, removed, portrait)
    publish_bytes(target.parent / (target.name + "._report.json"), json.dumps(report.to_dict(), indent=2).encode("utf-8"))
    return report


def _metadata_of(path: Path) -> dict:
    try:
        if path.suffix.lower() == ".pdf":
            return pdf_metadata(path)
        with Image.open(path) as image:
            return image_metadata(image)
    except Exception:
        return {}  # an unreadable file fails in open_image with a clear message
