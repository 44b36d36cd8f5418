"""What a file really is, from its content alone (never its name).

``sniff`` names the format a reader should use (``xlsx``, ``xlsm``, ``xlsb``, ``ods``,
``xls``, ``csv``) or refuses the file naming what it is: a password-protected workbook
(encrypted xlsx, or an xls with a FILEPASS record: XOR obfuscation or RC4), a Word or
PowerPoint file, an OpenDocument text or presentation, a PDF, an HTML page or an Excel
2003 XML spreadsheet saved under a spreadsheet's name, an image or archive.

An OOXML package is recognised by its ``_rels/.rels`` officeDocument relationship and the
content type ``[Content_Types].xml`` gives that part, so a workbook whose parts carry
non-standard names is still a workbook; ``standard_workbook_copy`` writes it out with the
names python-calamine expects.
"""
from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

from data.errors import ImportRefused

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STANDARD_WORKBOOK = "xl/workbook.xml"
_MAGIC = {b"%PDF": "a PDF document", b"\x1f\x8b": "a gzip archive", b"Rar!": "a RAR archive",
          b"7z\xbc\xaf": "a 7z archive", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
          b"GIF8": "a GIF image", b"{\\rtf": "an RTF document", b"PK\x05\x06": "an empty zip archive"}
_OOXML = {"spreadsheetml.sheet.main": "xlsx", "spreadsheetml.template.main": "xlsx",
          "ms-excel.sheet.macroEnabled.main": "xlsm", "ms-excel.template.macroEnabled.main": "xlsm",
          "ms-excel.sheet.binary.macroEnabled.main": "xlsb"}
_OOXML_OTHER = {"wordprocessingml": "a Word document (docx)", "ms-word": "a Word document (docm)",
                "presentationml": "a PowerPoint presentation (pptx)", "ms-powerpoint": "a PowerPoint presentation"}
_ODF = {"spreadsheet": None, "text": "an OpenDocument text document (Writer, .odt)",
        "presentation": "an OpenDocument presentation (Impress, .odp)", "graphics": "an OpenDocument drawing (.odg)"}
_OLE_STREAMS = {"EncryptedPackage": "encrypted", "WordDocument": "a Word 97-2003 document (doc)",
                "PowerPoint Document": "a PowerPoint 97-2003 presentation (ppt)", "Workbook": "xls", "Book": "xls"}
_REL_OFFICE = "/officeDocument"
_PKG_NS = {"rel": "http://schemas.openxmlformats.org/package/2006/relationships",
           "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
_SAVE_AS = ": open it in Excel or LibreOffice and save it as xlsx"
_PASSWORD = "workbook is password-protected; save it without a password"


def _refuse(name: str, what: str, advice: str = "") -> ImportRefused:
    return ImportRefused(name, "not_a_spreadsheet", f"file is {what}, not a spreadsheet or CSV{advice}")


def sniff(path: Path, name: str) -> str:
    """The format to read ``path`` as: ``xlsx``, ``xlsm``, ``xlsb``, ``ods``, ``xls`` or ``csv``.

    Raises:
        ImportRefused: ``not_a_spreadsheet`` naming what the file is, ``encrypted``, ``broken_file``.
    """
    with path.open("rb") as handle:
        head = handle.read(1024)
    if head.startswith(ZIP_MAGIC):
        return _zip_format(path, name)
    if head.startswith(OLE_MAGIC):
        return _ole_format(path, name)
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise _refuse(name, what)
    _refuse_markup(head, name)
    return "csv"


def _refuse_markup(head: bytes, name: str) -> None:
    """HTML pages and Excel 2003 XML saved as ``.xls`` (web exports do that) are named."""
    text = head.decode("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "latin-1", "replace").lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text and text.startswith("<?xml"):
        raise _refuse(name, "an Excel 2003 XML spreadsheet", _SAVE_AS)
    if re.match(r"<(?:!doctype html|html|table|head|body|meta)\b", text):
        raise _refuse(name, "an HTML page (a web export saved with a spreadsheet's name)", _SAVE_AS)


def office_document_part(archive: zipfile.ZipFile) -> str | None:
    """The main part an OOXML package names in ``_rels/.rels`` (``xl/workbook.xml`` as a rule), or None."""
    try:
        rels = SafeET.fromstring(archive.read("_rels/.rels"))
    except (KeyError, SafeET.ParseError):
        return None
    for rel in rels.findall("rel:Relationship", _PKG_NS):
        if (rel.get("Type") or "").endswith(_REL_OFFICE):
            return (rel.get("Target") or "").lstrip("/")
    return None


def _content_type(archive: zipfile.ZipFile, part: str) -> str:
    try:
        types = SafeET.fromstring(archive.read("[Content_Types].xml"))
    except (KeyError, SafeET.ParseError):
        return ""
    for override in types.findall("ct:Override", _PKG_NS):
        if (override.get("PartName") or "").lstrip("/").lower() == part.lower():
            return override.get("ContentType") or ""
    return ""


def _zip_format(path: Path, name: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mime = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                kind = mime.rsplit(".", 1)[-1] if mime.startswith("application/vnd.oasis.opendocument.") else ""
                if kind in _ODF:
                    if _ODF[kind] is not None:
                        raise _refuse(name, _ODF[kind])
                    return "ods"
            part = office_document_part(archive)
            if part is None:
                part = STANDARD_WORKBOOK if STANDARD_WORKBOOK in names else None
            if part is None or part not in names:
                raise _refuse(name, "a zip archive that holds no workbook")
            content = _content_type(archive, part)
            for key, fmt in _OOXML.items():
                if key in content:
                    return fmt
            for key, what in _OOXML_OTHER.items():
                if key in content:
                    raise _refuse(name, what)
            return "xlsx" if part.endswith(".xml") else "xlsb"
    except zipfile.BadZipFile as exc:
        raise ImportRefused(name, "broken_file", f"damaged or truncated zip/xlsx file ({exc})") from exc


def _ole_format(path: Path, name: str) -> str:
    raw = path.read_bytes()
    found = [what for stream, what in _OLE_STREAMS.items() if _has_stream(raw, stream)]
    if "encrypted" in found:
        raise ImportRefused(name, "encrypted", _PASSWORD)
    if "xls" not in found and found:
        raise _refuse(name, found[0])
    if _biff_filepass(raw):
        raise ImportRefused(name, "encrypted", f"{_PASSWORD} (the xls is encrypted: XOR obfuscation or RC4)")
    return "xls"


def _has_stream(raw: bytes, stream: str) -> bool:
    """Whether an OLE2 directory entry bears this name (names are UTF-16LE, the length
    field 64 bytes into the 128-byte entry counts the terminating NUL)."""
    encoded = stream.encode("utf-16-le") + b"\0\0"
    start = raw.find(encoded)
    while start >= 0:
        if start % 128 == 0 and start + 66 <= len(raw) and struct.unpack_from("<H", raw, start + 64)[0] == len(encoded):
            return True
        start = raw.find(encoded, start + 1)
    return False


_BOF_GLOBALS = re.compile(rb"\x09\x08([\x08\x10\x14])\x00(?:\x00\x06|\x00\x05)\x05\x00", re.DOTALL)


def _biff_filepass(raw: bytes) -> bool:
    """Whether the workbook-globals BOF record is followed by a FILEPASS record (0x002F):
    the rest of the stream is encrypted and would read as garbage."""
    for bof in _BOF_GLOBALS.finditer(raw):
        following = bof.start() + 4 + bof.group(1)[0]
        if raw[following:following + 2] == b"\x2f\x00":
            return True
    return False


def standard_workbook_copy(path: Path, target: Path) -> bool:
    """When an xlsx names its workbook part other than ``xl/workbook.xml``, write to ``target``
    a copy whose workbook part and its relationships carry the standard names (targets made
    absolute, so they still point where they did). Returns whether a copy was written."""
    with zipfile.ZipFile(path) as archive:
        part = office_document_part(archive)
        if part in (None, STANDARD_WORKBOOK):
            return False
        folder, base = posixpath.split(part)
        old_rels = posixpath.join(folder, "_rels", base + ".rels")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename == old_rels:
                    data = re.sub(rb'Target="(?!/|[a-z]+:)([^"]+)"', lambda m: b'Target="/' + posixpath.normpath(
                        posixpath.join(folder, m.group(1).decode())).encode() + b'"', data)
                    out.writestr("xl/_rels/workbook.xml.rels", data)
                elif info.filename == part:
                    out.writestr(STANDARD_WORKBOOK, data)
                elif info.filename in ("_rels/.rels", "[Content_Types].xml"):
                    out.writestr(info.filename, data.replace(part.encode(), STANDARD_WORKBOOK.encode()))
                else:
                    out.writestr(info, data)
    return True
