"""The agent's tools: bash, install, read_file, list_files, search_outputs, view_image and submit."""

from reproducer.agent.tools.base import Picture, Tool, ToolContext, ToolError, ToolInput, ToolOutput
from reproducer.agent.tools.registry import ToolBox, ToolCall, ViewedImage, make_toolbox

__all__ = [
    "Picture",
    "Tool",
    "ToolBox",
    "ToolCall",
    "ToolContext",
    "ToolError",
    "ToolInput",
    "ToolOutput",
    "ViewedImage",
    "make_toolbox",
]
