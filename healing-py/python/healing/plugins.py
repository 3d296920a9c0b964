"""WebAssembly plugins: local risk rules and CBT tools, sandboxed as on the server.

A ``PluginHost`` installs a plugin folder (``manifest.json`` beside the component
file) once, compiling it into an artifact authenticated with the host's 32-byte
``artifact_key``, and then loads installed plugins from it. ``load_folder`` loads
every plugin under a plugins folder, each with its own result. A loaded plugin is a
``RiskRule`` (add it to ``healing.safety.Engine(plugins=[...])``, or use
``host.engine()``) or a ``CbtTool`` (``tool.run({...})`` returns a ``ToolResult``).

Every call runs in a fresh sandboxed instance with the GIL released. A failing call
raises a ``healing.PluginError`` subclass (``PluginTimeoutError``,
``PluginMemoryLimitError``, ``PluginTrapError``, ``PluginMalformedOutputError``,
``PluginSchemaError``, ``PluginContractError``, ``PluginDisabledError``) and the host
keeps serving; inside an ``Engine`` a failing risk rule fails closed instead (a High
finding ``plugin/<id>/failed``).
"""

from healing._native.plugins import (
    CbtTool as CbtTool,
    FolderLoad as FolderLoad,
    PluginHost as PluginHost,
    RiskRule as RiskRule,
    ToolResult as ToolResult,
)

__all__ = ["CbtTool", "FolderLoad", "PluginHost", "RiskRule", "ToolResult"]
