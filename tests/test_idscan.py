"""ID scans: synthetic ID cards are masked (BSN, document number, names, birth date, MRZ, portrait),
metadata is stripped, bad files give clear errors."""

import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from pii_pipeline.cli import app
from pii_pipeline.errors import InputError
from pii_pipeline.idscan.images import find_faces, mask_scan, ocr_lines
from pii_pipeline.idscan.metadata import image_metadata

CARDS = [
    dict(bsn="123456782", doc="SPECI2014", surname="JANSEN", given="Maria Anna", born="12 03 1985"),
    dict(bsn="111222333", doc="NXR4K7TB2", surname="EL AMRANI", given="Youssef", born="01 11 1962"),
    dict(bsn="999999990", doc="BH28LD4P6", surname="VAN DER BERG", given="Pieter Jan", born="30 06 2001"),
]


def make_card(bsn, doc, surname, given, born, dpi=300):
    """A Dutch identity-card-like image: labelled fields, an MRZ, and a real portrait (scikit-image's astronaut)."""
    from skimage import data

    scale = dpi / 300
    width, height = int(1617 * scale), int(1020 * scale)
    card = Image.new("RGB", (width, height), (235, 240, 245))
    draw = ImageDraw.Draw(card)
    font, small, mono = (ImageFont.load_default(size=int(s * scale)) for s in (34, 24, 38))
    face = Image.fromarray(data.astronaut()).crop((140, 20, 340, 260)).resize((int(380 * scale), int(460 * scale)))
    card.paste(face, (int(40 * scale), int(120 * scale)))
    draw.text((int(40 * scale), int(30 * scale)), "KONINKRIJK DER NEDERLANDEN  IDENTITEITSKAART", font=font, fill=(20, 20, 60))
    x, y = int(470 * scale), int(120 * scale)
    for label, value in [("Naam / Surname", surname), ("Voornamen / Given names", given),
                         ("Geboortedatum / Date of birth", born), ("Nationaliteit / Nationality", "Nederlandse"),
                         ("Documentnummer / Document no", doc), ("Persoonsnummer / Personal no", f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"),
                         ("Geldig tot / Date of expiry", "01 05 2031")]:
        draw.text((x, y), label, font=small, fill=(90, 90, 90))
        draw.text((x, y + int(28 * scale)), value, font=font, fill=(0, 0, 0))
        y += int(90 * scale)
    names = surname.replace(" ", "<") + "<<" + given.replace(" ", "<").upper()
    mrz = [f"I<NLD{doc}<{bsn}".ljust(30, "<"), f"{born[-2:]}{born[3:5]}{born[:2]}1F3105015NLD".ljust(29, "<") + "8",
           names.ljust(30, "<")[:30]]
    for i, line in enumerate(mrz):
        draw.text((int(60 * scale), height - int((170 - 52 * i) * scale)), line, font=mono, fill=(0, 0, 0))
    return card


def ocr_text(path: Path) -> str:
    return " ".join(l.text for l in ocr_lines(Image.open(path).convert("RGB")))


def squeeze(text: str) -> str:
    return re.sub(r"[\s.<]", "", text).upper()


@pytest.fixture(scope="module")
def masked_cards(tmp_path_factory, detector):
    folder = tmp_path_factory.mktemp("cards")
    out = []
    for i, fields in enumerate(CARDS):
        source = folder / f"card_{i}.png"
        make_card(**fields).save(source)
        assert squeeze(fields["bsn"]) in squeeze(ocr_text(source)), "the unmasked card must be legible to OCR"
        target = folder / f"card_{i}_masked.png"
        out.append((fields, source, target, mask_scan(source, target, detector)))
    return out


def test_every_bsn_document_number_name_and_birth_date_is_covered(masked_cards):
    for fields, _, target, report in masked_cards:
        text = squeeze(ocr_text(target))
        for key in ("bsn", "doc", "born"):
            assert squeeze(fields[key]) not in text, f"{key} still legible"
        for name in (fields["surname"].split() + fields["given"].split()):
            if len(name) > 3:
                assert name.upper() not in text, "a name is still legible"
        types = {c["entity_type"] for c in report.covered}
        assert {"NL_BSN", "NL_ID_DOCUMENT", "PERSON", "DATE_OF_BIRTH", "MRZ", "PORTRAIT"} <= types


def test_rest_of_the_card_stays_legible(masked_cards):
    for _, _, target, _ in masked_cards:
        text = ocr_text(target)
        assert "Nederlandse" in text and "NEDERLANDEN" in text and "Geldig" in text


def test_portrait_is_covered(masked_cards):
    for _, source, target, report in masked_cards:
        assert report.portrait_found
        assert find_faces(Image.open(source).convert("RGB")) and not find_faces(Image.open(target).convert("RGB"))


def test_report_has_types_and_boxes_but_no_values(masked_cards):
    for fields, _, target, _ in masked_cards:
        doc = (target.parent / (target.name + "._report.json")).read_text()
        assert set(json.loads(doc)["covered"][0]) == {"page", "entity_type", "box"}
        assert not any(squeeze(v) in squeeze(doc) for v in fields.values())


def test_metadata_is_stripped(tmp_path, detector):
    card = make_card(**CARDS[0])
    exif = Image.Exif()
    exif[0x013B] = "Maria Jansen"      # Artist
    exif[0x010E] = "ID scan of Maria Jansen"  # ImageDescription
    source = tmp_path / "scan_jansen.jpg"
    card.save(source, exif=exif.tobytes(), comment=b"BSN 123456782", xmp=b"<x:xmpmeta>Jansen</x:xmpmeta>")
    with Image.open(source) as image:
        before = image_metadata(image)
    assert "Artist" in before["EXIF"] and "XMP" in before
    target = tmp_path / "masked.jpg"
    report = mask_scan(source, target, detector)
    with Image.open(target) as image:
        assert image_metadata(image) == {}
    assert b"Jansen" not in target.read_bytes() and b"123456782" not in target.read_bytes()
    assert "EXIF" in report.metadata_removed


def test_image_only_pdf_and_tiff(tmp_path, detector):
    card = make_card(**CARDS[1])
    pdf, tiff = tmp_path / "scan.pdf", tmp_path / "scan.tif"
    card.save(pdf, format="PDF", resolution=300)
    card.save(tiff)
    for source, suffix in ((pdf, ".pdf"), (tiff, ".tif")):
        report = mask_scan(source, tmp_path / f"masked{suffix}", detector)
        assert {"NL_BSN", "NL_ID_DOCUMENT", "PORTRAIT"} <= {c["entity_type"] for c in report.covered}


@pytest.mark.parametrize("name, content, message", [
    ("corrupt.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "corrupt or truncated|not a readable image"),
    ("scan.gif", b"GIF89a", "unsupported image format"),
    ("text.pdf", None, "no image"),
])
def test_bad_scans_give_a_clear_error(tmp_path, detector, name, content, message):
    source = tmp_path / name
    if content is None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        writer.write(str(source))
    else:
        source.write_bytes(content)
    with pytest.raises(InputError, match=message):
        mask_scan(source, tmp_path / "out.png", detector)
    assert not (tmp_path / "out.png").exists()


def test_truncated_and_huge_images_are_refused(tmp_path, detector):
    source = tmp_path / "card.jpg"
    make_card(**CARDS[0]).save(source)
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(source.read_bytes()[:5000])
    with pytest.raises(InputError, match="corrupt or truncated"):
        mask_scan(truncated, tmp_path / "out.jpg", detector)
    with pytest.raises(InputError, match="pixel"):
        mask_scan(source, tmp_path / "out.jpg", detector, max_pixels=1_000_000)


def test_cli_mask_scan_and_scan_lists_metadata(tmp_path):
    source = tmp_path / "scan_jansen_001.png"
    make_card(**CARDS[0]).save(source)
    result = CliRunner().invoke(app, ["mask", str(source), "-o", str(tmp_path / "masked.png")])
    assert result.exit_code == 0, result.output
    assert "NL_BSN" in result.stdout and "PORTRAIT" in result.stdout
    listed = CliRunner().invoke(app, ["scan", str(tmp_path), "--report", str(tmp_path / "r.json")])
    # The file name holds a surname: the listing names it by hash (names are data).
    assert re.search(r"file-[0-9a-f]{16}\.png \(scan\)", listed.stdout) and "jansen" not in listed.stdout.lower()
    assert json.loads((tmp_path / "r.json").read_text())["scans"][0]["path"].endswith(".png")


def test_scans_in_the_batch_job_lose_their_telling_names(tmp_path, detector):
    from pii_pipeline import batch
    from pii_pipeline.masking import default_policy

    landing = tmp_path / "landing"
    landing.mkdir()
    make_card(**CARDS[0]).save(landing / "scan_jansen_001.png")
    (landing / "scan_broken.jpg").write_bytes(b"\xff\xd8 broken")
    results = batch.run_without_prefect(landing, tmp_path / "out", default_policy(), b"k" * 40, quarantine_dir=tmp_path / "q")
    assert sorted(r.status for r in results) == ["failed", "published"]
    published = [p.name for p in (tmp_path / "out" / "id_scan_images" / "scans").iterdir()]
    assert len(published) == 2 and not any("jansen" in n for n in published)
    assert "jansen" not in (tmp_path / "out" / "run_report.md").read_text().lower()
    assert (tmp_path / "q" / "scan_broken.jpg.reason.json").exists()
