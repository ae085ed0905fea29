"""TIFF (multi-page), JPEG and PNG through Pillow."""

from __future__ import annotations

import io
import itertools
import struct
import warnings
from typing import Iterator

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..errors import DigitizerError
from ..model import ErrorKind, SourcePage
from .pixels import require_size, resolution, to_array


# What Pillow raises on damaged files besides OSError (its plugins trust the headers they
# parse: a missing tag is a KeyError or TypeError, a short table an IndexError).
DECODE_ERRORS = (OSError, SyntaxError, ValueError, TypeError, KeyError, IndexError, EOFError, ZeroDivisionError,
                 struct.error)


def _frames(container: Image.Image) -> Iterator[Image.Image]:
    """The pages of a multi-page image; a damaged directory while seeking is a damaged file."""
    frames = ImageSequence.Iterator(container)
    for number in itertools.count(1):
        try:
            yield next(frames)
        except StopIteration:
            return
        except DECODE_ERRORS as exc:
            raise DigitizerError(ErrorKind.TRUNCATED, f"page {number}: {type(exc).__name__}: {exc}") from exc


def load_image(data: bytes, max_pixels: int, max_pages: int) -> Iterator[SourcePage]:
    try:
        container = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise DigitizerError(ErrorKind.UNSUPPORTED_FORMAT, str(exc)) from exc
    except Image.DecompressionBombError as exc:   # Pillow's own guard, far above ours: say ours
        raise DigitizerError(ErrorKind.TOO_LARGE, f"the image claims more pixels than the limit "
                                          f"(limits.max_pixels = {max_pixels:,})") from exc
    except DECODE_ERRORS as exc:
        raise DigitizerError(ErrorKind.TRUNCATED, f"{type(exc).__name__}: {exc}") from exc
    with container:
        for index, frame in enumerate(_frames(container)):
            if index >= max_pages:
                raise DigitizerError(ErrorKind.TOO_MANY_PAGES, f"more than {max_pages}")
            width, height = frame.size
            require_size(width, height, index + 1)
            if width * height > max_pixels:
                raise DigitizerError(ErrorKind.TOO_LARGE, f"page {index + 1} is {width}×{height} pixels")
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                    # Phones store the camera's orientation in EXIF instead of turning the pixels.
                    turned = index == 0 and frame.getexif().get(0x0112, 1) != 1
                    upright = ImageOps.exif_transpose(frame) if turned else frame
                    array = to_array(upright)
            except Image.DecompressionBombError as exc:
                raise DigitizerError(ErrorKind.TOO_LARGE, str(exc)) from exc
            except DECODE_ERRORS as exc:
                raise DigitizerError(ErrorKind.TRUNCATED, f"page {index + 1}: {type(exc).__name__}: {exc}") from exc
            dpi, inferred, declared = resolution(frame.info.get("dpi"), (array.shape[1], array.shape[0]))
            yield SourcePage(number=index + 1, image=array, dpi=dpi,
                             width_pt=array.shape[1] * 72 / dpi, height_pt=array.shape[0] * 72 / dpi,
                             dpi_inferred=inferred, dpi_declared=declared)
