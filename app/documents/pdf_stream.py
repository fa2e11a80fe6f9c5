"""PDF pages written to the file as they are finished, so a batch of any size is drawn in
flat memory.

reportlab builds the whole document in memory and writes it at `save()`: every page object
and its content stream stay alive until then, and the file's bytes are joined in memory once
more. A PDF does not need that: objects may come in any order as long as the cross-reference
table at the end gives each one's offset. Here each finished page and its (already deflated)
content stream are formatted at once, appended to the file, and replaced in the document by a
small stand-in that only knows the object's name; at `save()` the remaining objects (the page
tree, the embedded font subset, the catalogue) follow, then the cross-reference table.

The file is written as `<name>.part` and renamed when complete: a job that fails or is
cancelled leaves no half-written document behind.
"""

from __future__ import annotations

import os
import weakref
import zlib
from pathlib import Path
from typing import Any, BinaryIO, cast

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

INTERNAL_NAME = "__InternalName__"  # the attribute reportlab names registered objects by


def deflate_page(page: Any) -> None:
    """Compress a finished page's operators now (reportlab would at save time)."""
    if page.Contents or not page.compression or not page.stream:
        return
    data = page.stream.encode("utf8") if isinstance(page.stream, str) else page.stream
    stream = pdfdoc.PDFStream(content=zlib.compress(data))
    # A Filter entry tells reportlab the content is encoded already.
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    page.Contents = stream
    page.stream = None


class _Written(pdfdoc.PDFObject):
    """Stands in for an object already in the file: references to it still resolve."""

    __RefOnly__ = 1

    def __init__(self, name: str) -> None:
        setattr(self, INTERNAL_NAME, name)

    def format(self, document: Any) -> bytes:
        raise RuntimeError(f"PDF object {getattr(self, INTERNAL_NAME)} was written already")


class _Sink:
    """The output file with its running offset (what reportlab's PDFFile keeps in memory)."""

    def __init__(self, path: Path, version: tuple[int, int]) -> None:
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.out: BinaryIO = self.part.open("wb")
        self.offset = 0
        self.add(pdfdoc.PDFFile(version).format(None))

    def add(self, data: bytes | str) -> int:
        encoded = pdfdoc.pdfdocEnc(data)
        at = self.offset
        self.out.write(encoded)
        self.offset += len(encoded)
        return at

    def finish(self) -> None:
        self.out.close()
        os.replace(self.part, self.path)


def _abandon(out: BinaryIO, part: Path) -> None:
    """A document dropped before save: close and remove its partial file."""
    if not out.closed:
        out.close()
        part.unlink(missing_ok=True)


class StreamedDocument(pdfdoc.PDFDocument):
    """A PDFDocument that writes finished pages at once (see the module's docstring).

    Made from a canvas's own document with `stream_to`, after the canvas has set it up.
    """

    _sink: _Sink

    def stream_to(self, path: Path) -> None:
        self._sink = _Sink(path, cast(Any, self)._pdfVersion)
        self._written: set[str] = set()
        weakref.finalize(self, _abandon, self._sink.out, self._sink.part)

    def write_page(self, page: Any) -> None:
        """Write the page just added and its content stream; keep only their names."""
        doc: Any = self  # reportlab's stubs know few of the document's attributes
        if type(doc.encrypt) is not pdfdoc.NoEncryption:
            return  # an encrypted document is written the usual way, at save
        name = getattr(page, INTERNAL_NAME)
        self._write(name, page)  # formatting the page registers its content stream
        contents = getattr(page.Contents, INTERNAL_NAME, None)
        if contents is not None and contents not in self._written:
            self._write(contents, self.idToObject[contents])
        pages = doc.Pages.pages
        if pages and pages[-1] is page:
            pages[-1] = self.idToObject[name]

    def _write(self, name: str, obj: Any) -> None:
        data = pdfdoc.PDFIndirectObject(name, obj).format(self)
        self.idToOffset[name] = self._sink.add(data)
        self.idToObject[name] = _Written(name)
        self._written.add(name)

    def SaveToFile(self, filename: Any, canvas: Any) -> None:  # noqa: N802 - reportlab's name
        if getattr(self, "_savedToFile", False):
            raise RuntimeError("a document can only be saved once")
        self._savedToFile = True
        self.GetPDFData(canvas)  # our format() writes the rest into the file
        self._sink.finish()

    def format(self) -> bytes:
        """reportlab's PDFDocument.format, writing to the file and skipping written objects."""
        doc: Any = self  # reportlab's stubs know few of the document's attributes
        doc.encrypt.prepare(doc)
        doc.Reference(doc.Catalog)
        doc.Reference(doc.info)
        encrypt_info = doc.encrypt.info()
        encrypt_ref = doc.Reference(encrypt_info) if encrypt_info else None
        sink, ids, counter = self._sink, [], 0
        doc.__accum__ = sink
        while True:
            counter += 1
            if counter not in self.numberToId:
                break
            oid = self.numberToId[counter]
            ids.append(oid)
            if oid in self._written:
                continue
            obj = self.idToObject[oid]
            data = pdfdoc.PDFIndirectObject(oid, obj).format(self)
            if not rl_config.invariant and rl_config.pdfComments:
                sink.add(f"% {oid!a}: class {obj.__class__.__name__[:50]} \n")
            self.idToOffset[oid] = sink.add(data)
        del doc.__accum__
        count = len(self.numberToId)
        if counter - 1 != count:
            raise ValueError(f"counter {counter} does not match {count} objects")
        xref = pdfdoc.PDFCrossReferenceTable()
        xref.addsection(0, ids)
        at = sink.add(xref.format(self))
        trailer = pdfdoc.PDFTrailer(
            startxref=at,
            Size=count + 1,
            Root=doc.Reference(doc.Catalog),
            Info=doc.Reference(doc.info),
            Encrypt=encrypt_ref,
            ID=self.ID(),
        )
        sink.add(trailer.format(self))
        return b""
