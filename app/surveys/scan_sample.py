"""A generator of realistic scans of returned questionnaires, for the reader's tests, its
benchmark and the demo's sample: print the questionnaires, render each page as a scanner
would see it, draw what a resident does with a pen (ticks, crosses, filled boxes of varying
pen width and darkness, handwriting on the lines, stray marks), then degrade the sheet as an
office copier does (rotation, skew, scale, shift, blur, noise, JPEG, binarisation, upside
down) and mix in blank duplex backs.

The truth of every sheet is returned with it, so tests can score the reader.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

MM = 72 / 25.4  # points per millimetre


@dataclass
class SheetTruth:
    """What the resident marked on one page (question number → chosen options)."""

    household_id: int
    page: int
    marks: dict[int, tuple[int, ...]] = field(default_factory=dict)
    written: set[int] = field(default_factory=set)  # text/number questions with handwriting


@dataclass(frozen=True)
class Degrade:
    """How hard the copier treats the sheet."""

    max_angle: float = 10.0
    binarise: float = 0.15  # share of pages in black and white
    upside_down: float = 0.15
    blank_every: int = 9  # a blank duplex back after every n-th page (0: none)
    dpi: int = 200


def render(pdf: Path, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for n in range(len(doc)):
        page = doc[n]
        pages.append(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        page.close()
    doc.close()
    return pages


def fill_in(
    image: Image.Image,
    *,
    layout: dict[str, Any],
    page: int,
    rng: random.Random,
    dpi: int,
    household_id: int,
) -> SheetTruth:
    """Mark the printed page like a resident; returns what was meant."""
    s = dpi / 72
    height = image.height
    draw = ImageDraw.Draw(image)
    spec = layout["pages"][page - 1]
    kinds = {int(q["number"]): q["kind"] for q in layout["questions"]}
    truth = SheetTruth(household_id, page)
    by_q: dict[int, list[list[float]]] = {}
    for box in spec["boxes"]:
        by_q.setdefault(int(box[0]), []).append(box)
    for number, boxes in by_q.items():
        n = len(boxes)
        if kinds[number] == "multiple":
            chosen = tuple(sorted(rng.sample(range(n), rng.choice((1, 1, 2, 2, 3)))))
        elif rng.random() < 0.03:
            chosen = ()  # skipped the question
        else:
            chosen = (rng.randrange(n),)
        truth.marks[number] = chosen
        for option in chosen:
            _, _, x, y, size = boxes[option]
            _pen_mark(draw, rng, (x * s, height - (y + size) * s, size * s), s)
    for number, _x0, y0, _x1, y1 in spec["areas"]:
        if kinds[int(number)] in ("text", "number") and rng.random() < 0.5:
            truth.written.add(int(number))
            lines = [ln for ln in spec["lines"] if y0 <= ln[0] <= y1]
            for y, lx0, lx1 in lines[: rng.randint(1, len(lines))]:
                end = min(lx1, lx0 + rng.uniform(40, 400))
                _scribble(draw, rng, (lx0 * s, end * s, height - (y + 2 * MM) * s), s)
    for _ in range(rng.choice((0, 0, 1, 2))):
        _stray(draw, rng, image.size, s, spec)
    return truth


def _ink(rng: random.Random) -> int:
    """Pen darkness: mostly dark ballpoint, some pencil or a failing pen (grey level)."""
    return rng.choice((0, 10, 25, 40, 60, 80, 100))


def _pen_mark(
    draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[float, float, float], s: float
) -> None:
    """A tick, a cross or a filled box in the box whose top-left is (x, y), side `size` px."""
    x, y, size = box
    width = max(1, round(rng.uniform(0.3, 0.8) * MM * s))
    ink = _ink(rng)
    style = rng.random()

    def j(v: float) -> float:
        return v + rng.uniform(-0.12, 0.12) * size

    if style < 0.5:  # tick, often bigger than the box
        big = rng.uniform(0.8, 1.5)
        a = (j(x + 0.15 * size), j(y + 0.5 * size))
        b = (j(x + 0.4 * size), j(y + 0.85 * size))
        c = (j(x + size * big), j(y - size * (big - 0.9)))
        draw.line([a, b, c], fill=ink, width=width, joint="curve")
    elif style < 0.85:  # cross
        d = rng.uniform(0.05, 0.2) * size
        draw.line([(j(x + d), j(y + d)), (j(x + size - d), j(y + size - d))], fill=ink, width=width)
        draw.line([(j(x + size - d), j(y + d)), (j(x + d), j(y + size - d))], fill=ink, width=width)
    else:  # filled in
        draw.rectangle(
            [x + 0.05 * size, y + 0.05 * size, x + 0.95 * size, y + 0.95 * size], fill=ink
        )


def _scribble(
    draw: ImageDraw.ImageDraw, rng: random.Random, span: tuple[float, float, float], s: float
) -> None:
    """A line of handwriting: loops of a pen along the answer line."""
    x0, x1, base = span
    width = max(1, round(0.4 * MM * s))
    x = x0 + rng.uniform(2, 10) * MM * s
    pts = []
    while x < x1:
        pts.append((x, base - rng.uniform(0.5, 4.5) * MM * s))
        x += rng.uniform(0.8, 2.2) * MM * s
    if len(pts) > 1:
        draw.line(pts, fill=_ink(rng) // 2, width=width)


def _stray(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    size: tuple[int, int],
    s: float,
    spec: dict[str, Any],
) -> None:
    """A pen slip or a doodle somewhere on the sheet, away from the boxes."""
    w, h = size
    for _ in range(20):
        x, y = rng.uniform(0.12, 0.88) * w, rng.uniform(0.12, 0.88) * h
        dx, dy = rng.uniform(-15, 15) * MM * s, rng.uniform(-4, 4) * MM * s
        along = [(x + dx * t / 8, y + dy * t / 8) for t in range(9)]
        near = any(
            abs(px / s - (bx + bs / 2)) < bs * 1.2 and abs((h - py) / s - (by + bs / 2)) < bs * 1.2
            for px, py in along
            for _q, _o, bx, by, bs in spec["boxes"]
        )
        if not near:  # outside every box (a slip through a box is a real question)
            draw.line([(x, y), (x + dx, y + dy)], fill=_ink(rng), width=max(1, round(s)))
            return


def degrade(image: Image.Image, rng: random.Random, how: Degrade) -> Image.Image:
    """The copier: geometry first (rotate, skew, scale, shift), then optics and encoding."""
    w, h = image.size
    # Mostly a few degrees, now and then the limit; the scanner's bed is a little larger
    # than the sheet (an office ADF scans a few millimetres around it).
    degrees = max(-how.max_angle, min(how.max_angle, rng.gauss(0, how.max_angle / 2.5)))
    angle = math.radians(degrees)
    scale = rng.uniform(0.95, 1.02)
    shear = rng.uniform(-0.015, 0.015)
    shift = (rng.uniform(-0.012, 0.012) * w, rng.uniform(-0.012, 0.012) * h)
    ow, oh = round(w * 1.08), round(h * 1.05)
    # Inverse map (output → input): output centre to the page centre.
    cos, sin = math.cos(angle) / scale, math.sin(angle) / scale
    cx, cy = w / 2, h / 2
    ox, oy = ow / 2 + shift[0], oh / 2 + shift[1]
    a, b = cos, sin + shear
    d, e = -sin, cos
    c = cx - a * ox - b * oy
    f = cy - d * ox - e * oy
    out = image.transform(
        (ow, oh),
        Image.Transform.AFFINE,
        (a, b, c, d, e, f),
        Image.Resampling.BILINEAR,
        fillcolor=rng.randint(235, 255),
    )
    if rng.random() < how.upside_down:
        out = out.transpose(Image.Transpose.ROTATE_180)
    blur = rng.choice((0.0, 0.5, 0.8, 1.0))  # the scanner's optics
    if blur:
        out = out.filter(ImageFilter.BoxBlur(blur))
    arr = np.asarray(out, dtype=np.float32) * np.float32(rng.uniform(0.85, 1.0))
    arr += np.float32(rng.uniform(0, 25))  # paper tone, toner
    arr += _noise(arr.shape, rng) * np.float32(rng.uniform(0.3, 1.2))
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if rng.random() < how.binarise:
        level = rng.randint(140, 180)
        out = out.point(lambda v: 255 if v > level else 0)
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=rng.randint(35, 85))
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


_NOISE: dict[tuple[int, ...], np.ndarray[Any, np.dtype[np.float32]]] = {}


def _noise(shape: tuple[int, ...], rng: random.Random) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Sensor noise (sigma about 7 grey levels): a window of one larger field made once."""
    h, w = shape
    key = (h // 256, w // 256)
    field_ = _NOISE.get(key)
    if field_ is None:
        gen = np.random.default_rng(12345)
        field_ = gen.normal(0, 7, ((key[0] + 2) * 256, (key[1] + 2) * 256)).astype(np.float32)
        _NOISE.clear()
        _NOISE[key] = field_
    r, c = rng.randrange(field_.shape[0] - h), rng.randrange(field_.shape[1] - w)
    return field_[r : r + h, c : c + w]


def blank_page(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """The back of a sheet: paper tone, noise, maybe some show-through dust."""
    arr = np.full((size[1], size[0]), rng.uniform(225, 250))
    arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 4, arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def make_scans(
    printed: Path,
    layout: dict[str, Any],
    households: Sequence[int],
    out: Path,
    *,
    seed: int = 1,
    how: Degrade = Degrade(),
    shuffle: bool = True,
) -> list[SheetTruth]:
    """Fill in and scan the printed questionnaires (one per household, in `households`'
    order, all pages each) into one multi-page PDF `out`; the truth per scanned page."""
    rng = random.Random(seed)
    pages = render(printed, how.dpi)
    per_home = len(layout["pages"])
    assert len(pages) == per_home * len(households)
    sheets: list[tuple[Image.Image, SheetTruth]] = []
    for i, image in enumerate(pages):
        home = households[i // per_home]
        page = i % per_home + 1
        truth = fill_in(image, layout=layout, page=page, rng=rng, dpi=how.dpi, household_id=home)
        sheets.append((degrade(image, rng, how), truth))
    if shuffle:
        rng.shuffle(sheets)
    images: list[Image.Image] = []
    truths: list[SheetTruth] = []
    for n, (image, truth) in enumerate(sheets, start=1):
        images.append(image)
        truths.append(truth)
        if how.blank_every and n % how.blank_every == 0:
            images.append(degrade(blank_page(image.size, rng), rng, how))
            truths.append(SheetTruth(0, 0))
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=how.dpi)
    return truths


SAMPLE_NAME = "样例扫描问卷.pdf"


def write_demo_sample(services: Any, folder: Path, sheets: int = 8) -> Path | None:
    """The demo's sample stack: questionnaires of the demo's open survey for households not
    yet reached, filled in and scanned by the generator, in `folder` (None: no open survey).
    Try it with 文件 → 导入扫描问卷… or `louyuan --demo survey-scan FILE --survey ID`."""
    from app.surveys import layout as layouts
    from app.surveys import paper

    open_ones = [r for r in services.surveys.list_surveys() if r.status == "open"]
    if not open_ones:
        return None
    sid = open_ones[0].id
    homes = services.survey_entry.households(sid)
    reached = {
        h.id for h in homes[: sheets * 6] if services.survey_entry.response(sid, h.id) is not None
    }
    chosen = [h.id for h in homes[: sheets * 6] if h.id not in reached][:sheets]
    if not chosen:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    printed = folder / "样例问卷-打印.pdf"
    paper.print_questionnaires(services, sid, printed, household_ids=chosen)
    detail = services.surveys.get_survey(sid)
    version = layouts.register(services.survey_entry.sessions, detail)
    with services.survey_entry.sessions() as s:
        layout = layouts.load(s, sid, version)
    order = [h.id for h in homes if h.id in set(chosen)]
    out = folder / SAMPLE_NAME
    make_scans(printed, layout or {}, order, out, seed=7, how=Degrade(blank_every=4))
    printed.unlink(missing_ok=True)
    return out
