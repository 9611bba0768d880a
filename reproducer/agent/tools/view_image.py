"""`view_image`: look at a figure the capsule has or produced (raster, PDF, SVG, HTML, notebook), whole
or a region of it."""

from pydantic import Field

from reproducer.agent.images import MAX_FIGURE_BYTES, MAX_LONG_EDGE_PX, MAX_ZOOM, Region, render_bytes
from reproducer.agent.tools.base import Picture, Tool, ToolError, ToolInput, ToolOutput
from reproducer.agent.tools.paths import Readable, resolve_readable

DESCRIPTION = f"""\
Look at a figure: PNG, JPEG, GIF (first frame) or other raster images, one page of a PDF, an SVG, or an \
image inside an HTML page (<img> files, inline base64 images, inline <svg>) or a Jupyter notebook's \
outputs. The image comes back in the result, at most {MAX_LONG_EDGE_PX} px on its long edge.

- `page`: a PDF's page, or which image of an HTML page or notebook (1-based, in document order).
- `crop` [left, top, right, bottom], fractions of the figure from its top left corner, shows only that \
region: e.g. [0.5, 0, 1, 0.5] for the top right quarter (a legend), [0, 0.8, 1, 1] for the x axis. \
`zoom` (1 to {MAX_ZOOM:g}) enlarges the region: vector figures (PDF, SVG) are drawn sharper, so small \
text becomes legible. Look at the whole figure first, then crop and zoom into what you must read.

Use it for every question about a figure (questions that mention "fig"): open the figure the code \
produced, read its axes, legend and labels, and answer from what it shows. Read values off the axes \
as precisely as the figure allows. If the capsule writes the plotted numbers to a file too, prefer \
those numbers. Paths as for read_file."""


class ViewImageInput(ToolInput):
    path: str = Field(description="Figure file, relative to the capsule root, e.g. 'results/fig2.png'.")
    page: int = Field(
        default=1, ge=1, description="A PDF's page, or which image of an HTML page or notebook (1-based)."
    )
    crop: list[float] | None = Field(
        default=None,
        min_length=4,
        max_length=4,
        description="[left, top, right, bottom] as fractions (0 to 1) of the figure: show only that region.",
    )
    zoom: float = Field(default=1.0, ge=1.0, le=MAX_ZOOM, description="Enlarge the (cropped) region.")


class ViewImage(Tool[ViewImageInput]):
    name = "view_image"
    description = DESCRIPTION
    Input = ViewImageInput

    def run(self, arguments: ViewImageInput) -> ToolOutput:
        target = resolve_readable(self.context, arguments.path)
        data = self._read(target, arguments.path)
        crop = Region(*arguments.crop) if arguments.crop is not None else None
        rendered = render_bytes(
            data,
            target.where.name,
            arguments.page,
            crop=crop,
            zoom=arguments.zoom,
            linked=lambda source: self._read_linked(target, source),
        )
        name = target.shown
        picture = Picture(png=rendered.png, path=name, width=rendered.width, height=rendered.height)
        text = f"{name} ({rendered.source}), shown at {rendered.width}x{rendered.height} px:"
        details = {
            "path": name,
            "page": arguments.page,
            "crop": arguments.crop,
            "zoom": arguments.zoom,
            "width": rendered.width,
            "height": rendered.height,
        }
        return ToolOutput(text=text, pictures=[picture], details=details)

    def _read(self, target: Readable, asked: str) -> bytes:
        # Through the folder's files: never a link out of it, a fifo or a device, and at most the cap.
        if target.entry is None:
            raise ToolError(f"{asked}: no such file")
        try:
            return target.files.read(target.path, MAX_FIGURE_BYTES)
        except FileNotFoundError:
            raise ToolError(f"{asked}: no such file") from None
        except (OSError, ValueError) as error:  # Refused says why (a folder, a fifo, over the cap)
            raise ToolError(f"{asked}: not read: {error}") from None

    def _read_linked(self, page: Readable, source: str) -> bytes:
        """An image an HTML page links to, under the same confinement as any path the model names."""
        linked = resolve_readable(self.context, str(page.where.parent / source))
        return self._read(linked, source)
