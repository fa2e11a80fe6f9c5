"""Reading scanned questionnaire pages: find the code, register the page on its four corner
marks, measure every answer box against an empty box, and say what was marked.

Pure image work (numpy, Pillow, pypdfium2, zxing-cpp), no database: `app.surveys.scanning`
ties the pages to households and saves them. Coordinates: the paper's in PDF points with the
origin at the lower left (as `paper_layout` stores them), the image's in pixels (column, row).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.errors import AppError
from app.surveys import payload

Grey = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float64]
Layout = dict[str, Any]

DPI = 150  # pages are read at this resolution (PDF pages are rendered at it)
PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
# Fill of a box above the page's empty boxes (0 white .. 1 solid ink), measured inside the
# box's printed border: at least MARKED is a mark, at most EMPTY is no mark, between is asked.
MARKED = 0.055
EMPTY = 0.022
INSET = 0.9 * 72 / 25.4  # points kept clear of the printed border inside a box
GRID = 16  # samples per side of a box's inside
RING = 12  # samples per side of a box's printed border (to snap the box onto it)
SNAP = 0.9 * 72 / 25.4  # how far (points) a box may be snapped
MIN_BOXES = 6  # boxes enough to register a page that lost its corner marks
CROP_SCALE = 150 / 72  # review and handwriting crops, pixels per point
WRITING = 0.0012  # ink over the empty expectation in a text area that counts as writing


class ScanError(AppError):
    """A file that cannot be read as pages (not a PDF or image, damaged)."""


@dataclass(frozen=True)
class Located:
    """A page found: its code and the page → image transform (3×3 homography)."""

    survey_id: int
    household_id: int
    page: int
    layout: int
    homography: Floats
    upside_down: bool
    rough: bool = False  # fewer than three marks: to be refined on the printed boxes


@dataclass
class QuestionRead:
    number: int
    kind: str
    fills: tuple[float, ...] = ()
    chosen: tuple[int, ...] = ()  # options read as marked (0-based)
    unsure: tuple[int, ...] = ()  # options between empty and marked
    reason: str = ""  # why it needs review ("" when accepted)
    image: bytes = b""  # the handwritten answer (text/number) or the review crop


@dataclass
class PageRead:
    """What one scanned page says; `status` is read, blank or unreadable."""

    status: str
    located: Located | None = None
    questions: list[QuestionRead] = field(default_factory=list)
    reason: str = ""
    thumbnail: bytes = b""


def iter_pages(paths: Sequence[Path | str], dpi: int = DPI) -> Iterator[tuple[str, int, Grey]]:
    """(file name, page number from 1, grey image) of every page of the files, one at a time
    (memory stays flat in the number of pages)."""
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise ScanError(f"找不到文件：{p}")
        suffix = p.suffix.lower()
        if suffix in PDF_SUFFIXES:
            yield from _pdf_pages(p, dpi)
        elif suffix in IMAGE_SUFFIXES:
            yield from _image_pages(p, dpi)
        else:
            raise ScanError(f"不支持的文件类型：{p.name}（可用 PDF、PNG、JPEG、TIFF）")


def count_pages(paths: Sequence[Path | str]) -> int:
    """Pages in the files, for progress (PDF page counts; images by frames)."""
    import pypdfium2 as pdfium
    from PIL import Image

    total = 0
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise ScanError(f"找不到文件：{p}")
        try:
            if p.suffix.lower() in PDF_SUFFIXES:
                doc = pdfium.PdfDocument(str(p))
                total += len(doc)
                doc.close()
            else:
                with Image.open(p) as im:
                    total += getattr(im, "n_frames", 1)
        except Exception as exc:  # damaged or not what it says
            raise ScanError(f"无法读取文件 {p.name}：{exc}") from exc
    return total


def _pdf_pages(path: Path, dpi: int) -> Iterator[tuple[str, int, Grey]]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise ScanError(f"无法打开 PDF 文件 {path.name}：{exc}") from exc
    try:
        for n in range(len(doc)):
            page = doc[n]
            grey = _scanned_jpeg(page, dpi)
            if grey is None:
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                grey = np.array(bitmap.to_pil().convert("L"), dtype=np.uint8)
                bitmap.close()
            page.close()
            yield path.name, n + 1, grey
    finally:
        doc.close()


def _scanned_jpeg(page: Any, dpi: int) -> Grey | None:
    """A scanner's page is one JPEG covering the page, upright: decode it directly (at most
    about 1.5 × `dpi`, the JPEG decoder scales in its own domain) instead of rendering,
    several times faster. None for any other page, which is rendered."""
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    m = image.get_matrix()
    width, height = page.get_size()
    upright = m.b == 0 and m.c == 0 and m.a > 0 and m.d > 0
    if image.get_filters() != ["DCTDecode"] or not upright:
        return None
    if abs(m.a - width) > 2 or abs(m.d - height) > 2:
        return None
    try:
        picture = Image.open(io.BytesIO(bytes(image.get_data(decode_simple=False))))
        target = (round(width / 72 * dpi * 1.5), round(height / 72 * dpi * 1.5))
        picture.draft("L", target)
        return np.asarray(picture.convert("L"), dtype=np.uint8).copy()
    except Exception:  # an odd JPEG: let pdfium render it
        return None


def _image_pages(path: Path, dpi: int) -> Iterator[tuple[str, int, Grey]]:
    from PIL import Image, ImageSequence

    try:
        image = Image.open(path)
    except Exception as exc:
        raise ScanError(f"无法打开图片 {path.name}：{exc}") from exc
    with image:
        for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
            grey = frame.convert("L")
            # A phone photo or a 600 dpi scan: bring an A4 page to about `dpi`.
            longest = max(grey.size)
            target = int(297 / 25.4 * dpi * 1.15)
            if longest > target * 1.3:
                scale = target / longest
                grey = grey.resize(
                    (round(grey.width * scale), round(grey.height * scale)), Image.Resampling.BOX
                )
            yield path.name, n, np.asarray(grey, dtype=np.uint8).copy()


# ---------------------------------------------------------------- locating


def is_blank(grey: Grey) -> bool:
    """A duplex back or an empty sheet: hardly any ink anywhere."""
    small = grey[::6, ::6]
    white = float(np.percentile(small, 90))
    dark = small < white * 0.55
    return float(dark.mean()) < 0.0015


def find_code(grey: Grey) -> tuple[str, Floats] | None:
    """The page's QR text and its four corners (TL, TR, BR, BL of the symbol, in image
    pixels), or None. Tries a half-size image first (fast), then the full one."""
    import zxingcpp

    for step in (2, 1):
        view = np.ascontiguousarray(grey[::step, ::step])
        for code in zxingcpp.read_barcodes(
            view, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        ):
            if payload.decode_page(code.text) is None:
                continue
            pos = code.position
            corners = np.array(
                [
                    [pos.top_left.x, pos.top_left.y],
                    [pos.top_right.x, pos.top_right.y],
                    [pos.bottom_right.x, pos.bottom_right.y],
                    [pos.bottom_left.x, pos.bottom_left.y],
                ],
                dtype=np.float64,
            )
            return code.text, corners * step
    return None


def locate(grey: Grey, layout_of: Any) -> Located | str:
    """Find and register a page; a Chinese reason when it cannot be.

    `layout_of(survey, version)` gives the stored layout (or None when unknown).
    """
    found = find_code(grey)
    if found is None:
        return "二维码无法识别"
    text, corners = found
    decoded = payload.decode_page(text)
    assert decoded is not None
    survey_id, household_id, page, version = decoded
    layout = layout_of(survey_id, version)
    if layout is None:
        return f"问卷版式 {version} 不在本库中（二维码 {text}）"
    qx, qy, size = layout["qr"]
    from app.documents.survey_questionnaire import qr_modules

    n = len(qr_modules(text))
    k = size / (n + 4)
    x0, x1, y0, y1 = qx + 2 * k, qx + size - 2 * k, qy + 2 * k, qy + size - 2 * k
    paper = np.array([[x0, y1], [x1, y1], [x1, y0], [x0, y0]], dtype=np.float64)
    rough = _affine(paper, corners)  # a projective fit to a small square extrapolates badly
    marks = np.array(layout["marks"], dtype=np.float64)
    mark_size = float(layout["mark_size"])
    ppp = _scale(rough)  # pixels per point near the code
    found_marks: list[tuple[Floats, Floats]] = []
    for mark in marks:
        centre = _find_mark(grey, _apply(rough, mark[None, :])[0], mark_size * ppp)
        if centre is not None:
            found_marks.append((mark, centre))
    page_boxes = len(layout["pages"][page - 1]["boxes"]) if 1 <= page <= len(layout["pages"]) else 0
    if len(found_marks) < 2 and page_boxes < MIN_BOXES:
        return "定位标记不全（页面可能被裁切或污损）"
    if len(found_marks) < 2:  # the code (and a mark) roughly; the boxes will say exactly
        src = np.array([m for m, _ in found_marks] or np.zeros((0, 2)))
        dst = np.array([c for _, c in found_marks] or np.zeros((0, 2)))
        h = _affine(
            np.vstack([src.reshape(-1, 2), paper]), np.vstack([dst.reshape(-1, 2), corners])
        )
        return Located(survey_id, household_id, page, version, h, _flipped(h), rough=True)
    h = _best_fit(found_marks, paper, corners)
    # The marks must agree with the code about where the page is.
    err = np.abs(_apply(h, paper) - corners).max()
    if err > 2.5 * ppp * 72 / 25.4:
        return "定位标记与二维码不一致（页面可能折叠或严重变形）"
    return Located(
        survey_id, household_id, page, version, h, _flipped(h), rough=len(found_marks) < 3
    )


def _flipped(h: Floats) -> bool:
    top = _apply(h, np.array([[0.0, 800.0], [0.0, 0.0]]))
    return bool(top[0, 1] > top[1, 1])


def _refine(
    grey: Grey, located: Located, boxes: Sequence[Sequence[float]], levels: tuple[float, float]
) -> Located | None:
    """A rough page map made exact on the printed boxes: each box's border looked for within
    a few millimetres, the map fitted to the boxes found (outliers dropped)."""
    if len(boxes) < MIN_BOXES:
        return None
    offsets, scores = _snap_scores(grey, located.homography, boxes, 3.5 * 72 / 25.4)
    centres = np.array([[x + size / 2, y + size / 2] for _q, _o, x, y, size in boxes])
    seen = _apply(located.homography, centres) + offsets
    white, span = levels
    good = scores > 255.0 - white + span * 0.2
    if good.sum() < MIN_BOXES:
        return None
    h = _affine(centres[good], seen[good])
    for _ in range(2):
        residual = np.hypot(*(_apply(h, centres) - seen).T)
        keep = good & (residual < 2.5)
        if keep.sum() < MIN_BOXES:
            return None
        h = _affine(centres[keep], seen[keep])
    return Located(
        located.survey_id, located.household_id, located.page, located.layout, h, _flipped(h)
    )


def _best_fit(marks: list[tuple[Floats, Floats]], paper: Floats, corners: Floats) -> Floats:
    """The page → image map that best agrees with the code's corners: all four marks
    (projective), or three / two of them with the code (affine) when one is cut off or
    smudged."""
    src = np.array([m for m, _ in marks])
    dst = np.array([c for _, c in marks])
    fits = [_homography(src, dst)] if len(marks) == 4 else []
    subsets = [list(range(len(marks)))]
    if len(marks) >= 3:
        subsets += [[i for i in range(len(marks)) if i != out] for out in range(len(marks))]
    for idx in subsets:
        if len(idx) >= 3:  # marks alone: the code's corners are a few pixels rough
            fits.append(_affine(src[idx], dst[idx]))
        else:
            weights = np.array([1.0] * len(idx) + [0.3] * len(paper))
            fits.append(
                _affine(np.vstack([src[idx], paper]), np.vstack([dst[idx], corners]), weights)
            )
    errors = [float(np.abs(_apply(h, paper) - corners).max()) for h in fits]
    # Prefer the projective fit of all four marks unless it clearly disagrees.
    best = int(np.argmin(errors))
    return fits[0] if errors[0] <= errors[best] + 1.5 else fits[best]


def _find_mark(grey: Grey, centre: Floats, side: float) -> Floats | None:
    """The centroid of the solid square near `centre` (image pixels), or None."""
    h, w = grey.shape
    for half in (side * 1.6, side * 0.9):
        cx, cy = centre
        r0, r1 = int(max(cy - half, 0)), int(min(cy + half, h))
        c0, c1 = int(max(cx - half, 0)), int(min(cx + half, w))
        if r1 - r0 < 3 or c1 - c0 < 3:
            return None
        win = grey[r0:r1, c0:c1]
        white, black = np.percentile(win, (95, 3))
        if white - black < 40:
            return None
        dark = win < (white + black) / 2
        if dark.sum() < side * side * 0.4:
            return None
        rows, cols = np.nonzero(dark)
        centre = np.array([c0 + cols.mean() + 0.5, r0 + rows.mean() + 0.5])
    # A solid square, whole on the image: the area of a mark around the centroid is ink.
    cx, cy = centre
    if not (side < cx < w - side and side < cy < h - side):
        return None
    q = side * 0.35
    core = grey[int(cy - q) : int(cy + q) + 1, int(cx - q) : int(cx + q) + 1]
    if core.size == 0 or float((core < (white + black) / 2).mean()) < 0.8:
        return None
    return centre


def _homography(src: Floats, dst: Floats) -> Floats:
    """The 3×3 projective map taking the four `src` points to `dst` (direct linear)."""
    a = []
    b = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.extend([u, v])
    sol = np.linalg.lstsq(np.array(a), np.array(b), rcond=None)[0]
    return np.append(sol, 1.0).reshape(3, 3)


def _affine(src: Floats, dst: Floats, weights: Floats | None = None) -> Floats:
    """The least-squares affine map taking `src` to `dst` (optionally weighted)."""
    a = np.hstack([src, np.ones((len(src), 1))])
    w = np.ones(len(src)) if weights is None else weights
    sol = np.linalg.lstsq(a * w[:, None], dst * w[:, None], rcond=None)[0]  # 3×2
    return np.vstack([sol.T, [0.0, 0.0, 1.0]])


def _apply(h: Floats, pts: Floats) -> Floats:
    p = np.hstack([pts, np.ones((len(pts), 1))]) @ h.T
    result: Floats = p[:, :2] / p[:, 2:3]
    return result


def _scale(h: Floats) -> float:
    p = _apply(h, np.array([[300.0, 400.0], [310.0, 400.0]]))
    return float(np.hypot(*(p[1] - p[0])) / 10)


# ---------------------------------------------------------------- measuring


def _sample(grey: Grey, pts: Floats) -> Floats:
    """Bilinear samples of the image at (column, row) points; white outside the image."""
    h, w = grey.shape
    x = pts[:, 0] - 0.5
    y = pts[:, 1] - 0.5
    inside = (x >= 0) & (y >= 0) & (x < w - 1) & (y < h - 1)
    x = np.clip(x, 0, w - 1.001)
    y = np.clip(y, 0, h - 1.001)
    x0 = x.astype(np.intp)
    y0 = y.astype(np.intp)
    fx = x - x0
    fy = y - y0
    g = grey
    top = g[y0, x0] * (1 - fx) + g[y0, x0 + 1] * fx
    bottom = g[y0 + 1, x0] * (1 - fx) + g[y0 + 1, x0 + 1] * fx
    values: Floats = np.where(inside, top * (1 - fy) + bottom * fy, 255.0)
    return values


def _levels(grey: Grey, located: Located, layout: Layout) -> tuple[float, float]:
    """Paper white and ink black of this page (ink from the corner marks' insides)."""
    small = grey[::6, ::6]
    white = float(np.percentile(small, 75))
    side = float(layout["mark_size"]) * 0.3
    offsets = np.linspace(-side, side, 5)
    grid = np.array([[dx, dy] for dx in offsets for dy in offsets])
    pts = np.vstack([grid + np.array(m) for m in layout["marks"]])
    black = float(np.median(_sample(grey, _apply(located.homography, pts))))
    if white - black < 60:
        black = max(white - 160.0, 0.0)
    return white, black


def _snap(grey: Grey, located: Located, boxes: Sequence[Sequence[float]]) -> Floats:
    """Per box, the pixel offset that puts the mapped box on its printed border: the page
    map is good to a pixel or two, the border says where the box really is."""
    return _snap_scores(grey, located.homography, boxes, SNAP)[0]


def _snap_scores(
    grey: Grey, h: Floats, boxes: Sequence[Sequence[float]], reach_pt: float
) -> tuple[Floats, Floats]:
    """Best pixel offset of each box onto its printed border within `reach_pt`, and how
    dark that border is there (grey levels)."""
    t = (np.arange(RING) + 0.5) / RING
    rings = []
    for _q, _o, x, y, size in boxes:
        xs, ys = x + t * size, y + t * size
        top = np.column_stack([xs, np.full(RING, y + size)])
        bottom = np.column_stack([xs, np.full(RING, y)])
        left = np.column_stack([np.full(RING, x), ys])
        right = np.column_stack([np.full(RING, x + size), ys])
        rings.append(np.vstack([top, bottom, left, right]))
    ring = _apply(h, np.vstack(rings)).reshape(len(boxes), 4 * RING, 2)
    reach = max(2, round(_scale(h) * reach_pt))
    if reach <= 8:  # the usual small snap: across (left, right sides), then down
        steps = np.arange(-reach, reach + 1, dtype=np.float64)
        n = len(boxes)
        shift = np.zeros((n, 2))
        score = np.zeros(n)
        for axis, sides in ((0, slice(2, 4)), (1, slice(0, 2))):
            part = ring.reshape(n, 4, RING, 2)[:, sides, :, :].reshape(n, 2 * RING, 2)
            moves = np.zeros((len(steps), 2))
            moves[:, axis] = steps
            pts = part[:, None, :, :] + shift[:, None, None, :] + moves[None, :, None, :]
            values = _sample(grey, pts.reshape(-1, 2)).reshape(n, len(steps), 2, RING)
            # Both sides dark: score the weaker, so a pen stroke along one side does not
            # pull the box onto it.
            side_score = (255.0 - values).mean(axis=3).min(axis=2)
            k = np.argmax(side_score, axis=1)
            shift[:, axis] = steps[k]
            score = (
                side_score[np.arange(n), k]
                if axis == 0
                else np.minimum(score, side_score[np.arange(n), k])
            )
        return shift, score
    steps = np.arange(-reach, reach + 1, 2, dtype=np.float64)
    offsets = np.array([[dx, dy] for dy in steps for dx in steps])  # (k, 2)
    best = np.zeros((len(boxes), 2))
    for i in range(len(boxes)):  # a wide search, one box at a time keeps memory small
        pts1 = ring[i][None, :, :] + offsets[:, None, :]  # (k, ring, 2)
        values1 = _sample(grey, pts1.reshape(-1, 2)).reshape(len(offsets), 4, RING)
        best[i] = offsets[int(np.argmax((255.0 - values1).mean(axis=2).min(axis=1)))]
    return _snap_fine(grey, ring, best)


def _snap_fine(grey: Grey, ring: Floats, start: Floats) -> tuple[Floats, Floats]:
    steps = np.arange(-2, 3, dtype=np.float64)
    offsets = np.array([[dx, dy] for dy in steps for dx in steps])
    best = start.copy()
    scores = np.zeros(len(start))
    for i in range(len(start)):
        pts = ring[i][None, :, :] + (offsets + start[i])[:, None, :]
        values = _sample(grey, pts.reshape(-1, 2)).reshape(len(offsets), 4, RING)
        score = (255.0 - values).mean(axis=2).min(axis=1)
        k = int(np.argmax(score))
        best[i], scores[i] = start[i] + offsets[k], score[k]
    return best, scores


def _box_points(boxes: Sequence[Sequence[float]]) -> Floats:
    t = (np.arange(GRID) + 0.5) / GRID
    out = []
    for _q, _o, x, y, size in boxes:
        inner = size - 2 * INSET
        xs = x + INSET + t * inner
        ys = y + INSET + t * inner
        gx, gy = np.meshgrid(xs, ys)
        out.append(np.column_stack([gx.ravel(), gy.ravel()]))
    return np.vstack(out)


def read_page(grey: Grey, layout_of: Any, keep_crops: bool = True) -> PageRead:
    """Everything one page says (see `PageRead`)."""
    if is_blank(grey):
        return PageRead("blank")
    located = locate(grey, layout_of)
    if isinstance(located, str):
        return PageRead("unreadable", reason=located, thumbnail=thumbnail(grey))
    layout = layout_of(located.survey_id, located.layout)
    pages = layout["pages"]
    if not 1 <= located.page <= len(pages):
        return PageRead("unreadable", located, reason=f"版式中没有第 {located.page} 页")
    spec = pages[located.page - 1]
    white, black = _levels(grey, located, layout)
    levels = (white, max(white - black, 1.0))
    exact = _refine(grey, located, spec["boxes"], levels) if located.rough else located
    if exact is None:
        reason = "定位标记不全（页面可能被裁切或污损）"
        return PageRead("unreadable", reason=reason, thumbnail=thumbnail(grey))
    located = exact
    kinds = {int(q["number"]): str(q["kind"]) for q in layout["questions"]}
    questions = _choices(grey, located, spec["boxes"], kinds, levels)
    areas = {int(a[0]): a[1:] for a in spec["areas"]}
    for number, kind in kinds.items():
        if kind in ("text", "number") and number in areas:
            q = QuestionRead(number, kind)
            if _has_writing(grey, located, spec, areas[number], levels):
                q.image = crop(grey, located, areas[number])
            questions.append(q)
    for q in questions:
        if keep_crops and q.reason and q.number in areas:
            q.image = crop(grey, located, areas[q.number])
    questions.sort(key=lambda q: q.number)
    return PageRead("read", located, questions)


def _choices(
    grey: Grey,
    located: Located,
    boxes: Sequence[Sequence[float]],
    kinds: dict[int, str],
    levels: tuple[float, float],
) -> list[QuestionRead]:
    """Each choice question's boxes measured and decided."""
    if not boxes:
        return []
    white, span = levels
    inside = _apply(located.homography, _box_points(boxes)).reshape(len(boxes), GRID * GRID, 2)
    inside += _snap(grey, located, boxes)[:, None, :]
    values = _sample(grey, inside.reshape(-1, 2))
    ink = np.clip((white - values) / span, 0.0, 1.0).reshape(len(boxes), GRID * GRID)
    fills = ink.mean(axis=1)
    fills = fills - float(np.median(fills))  # against the page's empty boxes
    per_q: dict[int, list[float]] = {}
    for (number, _option, *_), fill in zip(boxes, fills, strict=True):
        per_q.setdefault(int(number), []).append(float(fill))
    return [_decide(n, kinds.get(n, "single"), f) for n, f in per_q.items()]


def _decide(number: int, kind: str, fills: list[float]) -> QuestionRead:
    chosen = tuple(i for i, f in enumerate(fills) if f >= MARKED)
    unsure = tuple(i for i, f in enumerate(fills) if EMPTY < f < MARKED)
    q = QuestionRead(number, kind, tuple(round(f, 4) for f in fills), chosen, unsure)
    if unsure:
        q.reason = "笔迹较浅或有污迹，无法确定是否选中"
    elif kind != "multiple" and len(chosen) > 1:
        q.reason = "单选题选了多项"
    return q


def _has_writing(
    grey: Grey,
    located: Located,
    spec: dict[str, Any],
    area: Sequence[float],
    levels: tuple[float, float],
) -> bool:
    """Ink on the answer lines of a text/number question (the printed lines left out)."""
    x0, _y0, x1, _y1 = area
    pts = []
    for y, lx0, lx1 in spec["lines"]:
        if not (x0 - 1 <= lx0 <= x1 + 1 and _y0 - 1 <= y <= _y1 + 1):
            continue
        xs = np.linspace(lx0 + 2, lx1 - 2, 160)
        ys = np.linspace(y + 2.0, y + 13.0, 8)
        gx, gy = np.meshgrid(xs, ys)
        pts.append(np.column_stack([gx.ravel(), gy.ravel()]))
    if not pts:
        return False
    white, span = levels
    values = _sample(grey, _apply(located.homography, np.vstack(pts)))
    ink = np.clip((white - values) / span, 0.0, 1.0)
    return float((ink > 0.5).mean()) > WRITING


def crop(grey: Grey, located: Located, area: Sequence[float], margin: float = 4.0) -> bytes:
    """The paper's rectangle (points) as an upright PNG, whatever the page's rotation."""
    from PIL import Image

    x0, y0, x1, y1 = area
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    s = CROP_SCALE
    w, h = max(int((x1 - x0) * s), 1), max(int((y1 - y0) * s), 1)
    # output pixel (u, v) ← paper (x0 + u/s, y1 - v/s) ← image via the homography.
    to_paper = np.array([[1 / s, 0, x0], [0, -1 / s, y1], [0, 0, 1]])
    m = located.homography @ to_paper
    m = m / m[2, 2]
    coeffs = tuple(float(v) for v in m.ravel()[:8])
    image = Image.fromarray(grey).transform(
        (w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR, fillcolor=255
    )
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def thumbnail(grey: Grey, width: int = 500) -> bytes:
    """A small picture of a whole page (for pages that cannot be read)."""
    from PIL import Image

    image = Image.fromarray(grey)
    image.thumbnail((width, width * 2))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
