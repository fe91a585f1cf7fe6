"""One PDF of many: the pages of print-ready PDFs one after the other, what they have in common
written once.

PDFs rendered one by one each carry their own copy of what they share: the same photo or logo,
the output intent's ICC profile, the same pattern around a picture. Appending their pages copies
all of it again, so a thousand business cards with one logo would hold a thousand logos. Here,
once the pages are together, every object their resources reach is compared by content (a
stream's bytes and dictionary, a dictionary's entries, all the way down) and the pages are
pointed at the first of each set of identical objects; the copies, no longer referred to, are not
written. The first PDF's document (its PDF/X output intent and metadata) is the merged one's.
"""

import hashlib
import io
from collections.abc import Iterable

import pikepdf

from designer.rendering.pdfx import PDF_VERSION

_SKIPPED_KEYS = frozenset({"/Parent", "/Length"})


def merged_pdf(documents: Iterable[bytes]) -> bytes:
    """The pages of `documents` (PDFs), in order, as one PDF in which identical fonts, pictures and
    other resources are written once. Raises ValueError when there is no document."""
    opened: list[pikepdf.Pdf] = []  # a copied page's streams are read from its source when saved
    try:
        merged = None
        for data in documents:
            source = pikepdf.open(io.BytesIO(data))
            opened.append(source)
            if merged is None:
                merged = source
            else:
                merged.pages.extend(source.pages)
        if merged is None:
            raise ValueError("There is no PDF to merge")
        _share_identical(merged)
        output = io.BytesIO()
        merged.save(
            output,
            deterministic_id=True,
            force_version=PDF_VERSION,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return output.getvalue()
    finally:
        for pdf in opened:
            pdf.close()


def _share_identical(pdf: pikepdf.Pdf) -> None:
    """Point every page's resources at one object of each set of identical ones."""
    sharing = _Sharing()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        if resources is not None:
            page.obj.Resources = sharing.canonical(resources)
        sharing.point_at_canonical(page.obj, skip=frozenset({"/Parent", "/Contents", "/Resources"}))


class _Sharing:
    def __init__(self):
        self.digests: dict[tuple[int, int], bytes] = {}  # an indirect object's content digest
        self.first: dict[bytes, pikepdf.Object] = {}  # the first object of each content
        self.done: set[tuple[int, int]] = set()

    def canonical(self, value: pikepdf.Object) -> pikepdf.Object:
        """`value`, or the first object seen with the same content; its own references shared too."""
        if not getattr(value, "is_indirect", False):
            if isinstance(value, pikepdf.Dictionary | pikepdf.Array):
                self.point_at_canonical(value)
            return value
        chosen = self.first.setdefault(self.digest(value), value)
        if chosen.objgen not in self.done:
            self.done.add(chosen.objgen)
            self.point_at_canonical(chosen)
        return chosen

    def point_at_canonical(self, container: pikepdf.Object, skip: frozenset = _SKIPPED_KEYS) -> None:
        if isinstance(container, pikepdf.Array):
            for index, value in enumerate(list(container)):
                shared = self.canonical(value)
                if shared is not value and getattr(value, "is_indirect", False):
                    container[index] = shared
            return
        for key in list(container.keys()):
            if key in skip:
                continue
            value = container[key]
            shared = self.canonical(value)
            if getattr(value, "is_indirect", False) and shared.objgen != value.objgen:
                container[key] = shared

    def digest(self, value: pikepdf.Object) -> bytes:
        indirect = getattr(value, "is_indirect", False)
        if indirect and value.objgen in self.digests:
            return self.digests[value.objgen]
        hashed = hashlib.sha256()
        if isinstance(value, pikepdf.Stream):
            hashed.update(b"stream")
            hashed.update(self._entries(value))
            hashed.update(value.read_raw_bytes())
        elif isinstance(value, pikepdf.Dictionary):
            hashed.update(b"dict")
            hashed.update(self._entries(value))
        elif isinstance(value, pikepdf.Array):
            hashed.update(b"array")
            for item in value:
                hashed.update(self.digest(item))
        else:  # a number, name, string or boolean (pikepdf gives numbers as Python's)
            hashed.update(f"{type(value).__name__} {value!r}".encode())
        result = hashed.digest()
        if indirect:
            self.digests[value.objgen] = result
        return result

    def _entries(self, value: pikepdf.Object) -> bytes:
        hashed = hashlib.sha256()
        for key in sorted(value.keys()):
            if key in _SKIPPED_KEYS:
                continue
            hashed.update(key.encode())
            hashed.update(self.digest(value[key]))
        return hashed.digest()
