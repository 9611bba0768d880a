"""The agent's tools: bash, install, read_file, list_files, search_outputs, view_image and submit."""

from reproducer.agent.tools.base import Picture, Tool, ToolContext, ToolError, ToolInput, ToolOutput
from reproducer.agent.tools.installer import Installer, InstallRequest, InstallResult, UvInstaller
from reproducer.agent.tools.registry import ToolBox, ToolCall, ViewedImage, make_toolbox

__all__ = [
    "InstallRequest",
    "InstallResult",
    "Installer",
    "Picture",
    "Tool",
    "ToolBox",
    "ToolCall",
    "ToolContext",
    "ToolError",
    "ToolInput",
    "ToolOutput",
    "UvInstaller",
    "ViewedImage",
    "make_toolbox",
]
