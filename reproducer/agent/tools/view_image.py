"""`view_image`: look at a figure (PNG, JPEG, GIF, a PDF page, SVG) the capsule has or produced."""

from pydantic import Field

from reproducer.agent.images import MAX_LONG_EDGE_PX, render
from reproducer.agent.tools.base import Picture, Tool, ToolError, ToolInput, ToolOutput
from reproducer.agent.tools.paths import resolve_readable, root_of, shown

DESCRIPTION = f"""\
Look at a figure: PNG, JPEG, GIF (first frame) or other raster images, one page of a PDF, or an SVG. \
The image comes back in the result, scaled to at most {MAX_LONG_EDGE_PX} px on its long edge.

Use it for every question about a figure (questions that mention "fig"): open the figure the code \
produced, read its axes, legend and labels, and answer from what it shows. Read values off the axes \
as precisely as the figure allows. If the capsule writes the plotted numbers to a file too, prefer \
those numbers. Paths as for read_file."""


class ViewImageInput(ToolInput):
    path: str = Field(description="Image or PDF file, relative to the capsule root, e.g. 'results/fig2.png'.")
    page: int = Field(default=1, ge=1, description="For a PDF: which page (1-based).")


class ViewImage(Tool[ViewImageInput]):
    name = "view_image"
    description = DESCRIPTION
    Input = ViewImageInput

    def run(self, arguments: ViewImageInput) -> ToolOutput:
        target = resolve_readable(self.context, arguments.path)
        if not target.is_file():
            raise ToolError(f"{arguments.path}: no such file")
        rendered = render(root_of(self.context, target), target, arguments.page)
        name = shown(self.context, target)
        picture = Picture(png=rendered.png, path=name, width=rendered.width, height=rendered.height)
        text = f"{name} ({rendered.source}), shown at {rendered.width}x{rendered.height} px:"
        details = {"path": name, "page": arguments.page, "width": rendered.width, "height": rendered.height}
        return ToolOutput(text=text, pictures=[picture], details=details)
