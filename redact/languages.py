"""File name -> language name, the one table used by detectors, readers and the benchmark."""

from __future__ import annotations

LANGUAGE_BY_EXTENSION = {
    ".py": "python", ".pyi": "python", ".pyx": "cython", ".js": "javascript", ".mjs": "javascript",
    ".cjs": "javascript", ".jsx": "javascript", ".ts": "typescript", ".tsx": "typescript",
    ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".hpp": "cpp", ".cxx": "cpp", ".go": "go",
    ".rb": "ruby", ".php": "php", ".pl": "perl", ".pm": "perl", ".t": "perl", ".java": "java",
    ".rs": "rust", ".sh": "shell", ".bash": "shell", ".yml": "yaml", ".yaml": "yaml",
    ".json": "json", ".toml": "toml", ".ini": "ini", ".cfg": "ini", ".conf": "ini", ".xml": "xml",
    ".html": "html", ".md": "markdown", ".rst": "restructuredtext", ".txt": "text", ".sql": "sql",
    ".properties": "properties", ".env": "dotenv", ".lua": "lua", ".cs": "csharp", ".kt": "kotlin",
    ".scala": "scala", ".swift": "swift", ".r": "r", ".el": "elisp", ".tcl": "tcl", ".css": "css",
    ".scss": "css", ".pxd": "cython", ".hh": "cpp", ".hxx": "cpp", ".ipp": "cpp", ".erl": "erlang",
    ".hrl": "erlang", ".vim": "vim", ".hs": "haskell", ".ml": "ocaml", ".ex": "elixir",
    ".exs": "elixir", ".dart": "dart", ".f90": "fortran", ".vue": "vue", ".svelte": "svelte",
    ".gemspec": "ruby", ".rake": "ruby", ".cmake": "cmake", ".groovy": "groovy", ".sc": "scala",
}
LANGUAGE_BY_NAME = {
    "Makefile": "makefile", "Dockerfile": "dockerfile", "AUTHORS": "text", "CHANGELOG": "text",
    "CONTRIBUTORS": "text", "CREDITS": "text", "THANKS": "text", ".env": "dotenv",
}


def language_for_path(path: str) -> str:
    """Language of a file from its name; "text" when unknown."""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
    if name in LANGUAGE_BY_NAME:
        return LANGUAGE_BY_NAME[name]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return LANGUAGE_BY_EXTENSION.get(suffix, "text")
