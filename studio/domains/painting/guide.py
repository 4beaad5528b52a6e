"""The user's guide for a painting: a photo or a sketch whose composition the gallery follows.

A :class:`Guide` is an ``HxWx3`` uint8 RGB picture and a name (the file's, or the sketch's). It
is read through the studio's strict image reader (:func:`studio.io.images.load_image_sample`),
so a guide file is judged exactly like a sample: any format, size or content problem becomes a
:class:`GuideError` naming the file and the reason. The picture is kept at most
:data:`GUIDE_MAX_SIDE` px on its long side (the generator needs its coarse composition; the
detail comes from the samples). How closely works follow it is ``PaintingParams.closeness``:
0 recomposes it loosely, 1 traces it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studio.errors import SampleLoadError

GUIDE_MAX_SIDE = 1024  # px of the long side kept; finer than any coarse level the generator reads
MIN_GUIDE_SIDE = 16  # a guide thinner than this holds no composition
MAX_GUIDE_ASPECT = 5.0  # the widest (or tallest) painting the studio makes (PaintingParams.aspect)
DEFAULT_CLOSENESS = 0.6  # follows the guide's masses closely (32-px correlation >= 0.8: bench guided)


class GuideError(SampleLoadError):
    """A guide picture could not be used: unreadable, not an image, too small or too elongated."""


@dataclass(frozen=True, eq=False)
class Guide:
    """A guide picture (``HxWx3`` uint8 RGB, read-only) and the name it is shown by."""

    image: np.ndarray = field(repr=False)
    name: str = "guide"

    def __post_init__(self) -> None:
        image = self.image
        if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise GuideError(f"a guide must be an HxWx3 8-bit RGB picture, got "
                             f"{getattr(image, 'shape', type(image).__name__)} "
                             f"{getattr(image, 'dtype', '')}".rstrip(), self.name)
        h, w = image.shape[:2]
        if min(h, w) >= 1 and max(w / h, h / w) > MAX_GUIDE_ASPECT:
            raise GuideError(f"the guide is {w}x{h} px, more than {MAX_GUIDE_ASPECT:g} times as long as broad; "
                             "crop it closer to the painting you want", self.name)
        if min(h, w) < MIN_GUIDE_SIDE:
            raise GuideError(f"the guide is {w}x{h} px; it needs at least {MIN_GUIDE_SIDE} px on each side "
                             "to give a composition", self.name)
        frozen = np.array(image, dtype=np.uint8, order="C", copy=True)
        frozen.setflags(write=False)
        object.__setattr__(self, "image", frozen)

    @property
    def aspect(self) -> float:
        """Width / height of the guide: the aspect ratio of every painting made from it."""
        return float(self.image.shape[1] / self.image.shape[0])

    @property
    def digest(self) -> str:
        """SHA-256 (hex, first 16 digits) of the pixels and shape: identifies the guide in provenance."""
        h = hashlib.sha256(repr(self.image.shape).encode())
        h.update(self.image.tobytes())
        return h.hexdigest()[:16]

    def describe(self) -> dict[str, object]:
        """What a work's provenance records of its guide (JSON): name, size and digest."""
        return {"name": self.name, "width": int(self.image.shape[1]), "height": int(self.image.shape[0]),
                "digest": self.digest}

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Guide) and self.name == other.name
                and self.image.shape == other.image.shape and bool(np.array_equal(self.image, other.image)))

    def __hash__(self) -> int:
        return hash((self.name, self.digest))


def _fit(rgb: np.ndarray, max_side: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    if max(h, w) <= max_side:
        return rgb
    from PIL import Image

    scale = max_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(np.ascontiguousarray(rgb)).resize(size, Image.Resampling.LANCZOS))


def guide_from_array(rgb: np.ndarray, name: str = "sketch") -> Guide:
    """A guide from an ``HxWx3`` uint8 picture (a sketch drawn in the window, a decoded image),
    downscaled to :data:`GUIDE_MAX_SIDE` if larger. Raises GuideError for anything else."""
    if isinstance(rgb, np.ndarray) and rgb.ndim == 3 and rgb.shape[2] == 4 and rgb.dtype == np.uint8:
        alpha = rgb[..., 3:].astype(np.float32) / 255.0  # a sketch with transparency: on white paper
        rgb = (rgb[..., :3] * alpha + 255.0 * (1 - alpha) + 0.5).astype(np.uint8)
    if isinstance(rgb, np.ndarray) and rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.uint8 \
            and min(rgb.shape[:2]) >= 1:
        rgb = _fit(rgb, GUIDE_MAX_SIDE)
    return Guide(rgb, name)


def load_guide(path: str | os.PathLike[str], data: bytes | None = None) -> Guide:
    """The guide in the image file at ``path`` (or its bytes ``data``), read strictly.

    Raises GuideError (a SampleLoadError) naming the file: missing or unreadable, empty, corrupt,
    not an image format the studio reads, over the image size limits, smaller than
    :data:`MIN_GUIDE_SIDE` px or more than :data:`MAX_GUIDE_ASPECT` times as long as broad.
    """
    from studio.io.images import load_image_sample

    where = str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise GuideError("there is no such file; check the path of the guide", where) from None
        except IsADirectoryError:
            raise GuideError("this is a folder, not an image file", where) from None
        except OSError as error:
            raise GuideError(f"the file cannot be read ({error.strerror or error}); check its permissions",
                             where) from error
    try:
        sample = load_image_sample(where, data, max_side=GUIDE_MAX_SIDE)
    except GuideError:
        raise
    except SampleLoadError as error:
        raise GuideError(error.reason, where) from error
    try:
        return Guide(sample.image, os.path.basename(where) or where)
    except GuideError as error:
        raise GuideError(error.reason, where) from None
