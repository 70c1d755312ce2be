"""Download registry artifacts with their normal clients and read files out of them.

Nothing here is committed: archives land in a cache folder (default `.cache/benchmark`), and
the benchmark builder cuts excerpts from them at run time.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CACHE = Path(".cache/benchmark")
REGISTRIES = ("pypi", "npm", "debian")


@dataclass(frozen=True)
class Artifact:
    registry: str  # pypi | npm | debian
    package: str
    version: str
    archive: str  # file name as the registry serves it

    def folder(self, cache: Path) -> Path:
        return cache / self.registry / f"{self.package}-{self.version}"

    def path(self, cache: Path) -> Path:
        return self.folder(cache) / self.archive


def fetch(artifact: Artifact, cache: Path = DEFAULT_CACHE) -> Path:
    """Return the cached archive, downloading it first through pip, npm or apt-get."""
    folder = artifact.folder(cache)
    if not artifact.archive or "*" in artifact.archive:  # discovering the file name
        found = sorted(p for p in folder.glob("*") if p.is_file()) if folder.exists() else []
        if found:
            return found[0]
    target = artifact.path(cache) if artifact.archive and "*" not in artifact.archive else folder / "?"
    if target.exists():
        return target
    replaced = sorted(folder.glob(f"{artifact.package}_*.deb")) if artifact.registry == "debian" else []
    if replaced:  # a replacement for a version that left the archive, downloaded earlier
        return replaced[0]
    folder.mkdir(parents=True, exist_ok=True)
    spec = f"{artifact.package}=={artifact.version}"
    if artifact.registry == "pypi":
        binary = ["--only-binary", ":all:"] if artifact.archive.endswith(".whl") else ["--no-binary", ":all:"]
        cmd = ["pip", "download", "--no-deps", "-q", *binary, "-d", str(folder), spec]
    elif artifact.registry == "npm":
        cmd = ["npm", "pack", "--silent", "--pack-destination", str(folder), f"{artifact.package}@{artifact.version}"]
    elif artifact.registry == "debian":
        cmd = ["apt-get", "download", "-q", f"{artifact.package}={artifact.version}"]
    else:
        raise ValueError(f"unknown registry {artifact.registry!r}; use one of {', '.join(REGISTRIES)}")
    done = subprocess.run(cmd, cwd=folder if artifact.registry == "debian" else None, capture_output=True, text=True)
    if artifact.registry == "debian" and done.returncode != 0:
        replacement = _debian_replacement(artifact, folder)
        if replacement is not None:
            return replacement
    if (not artifact.archive or "*" in artifact.archive) and done.returncode == 0:
        found = sorted(p for p in folder.glob("*") if p.is_file())
        target = found[0] if len(found) == 1 else target
    if done.returncode != 0 or not target.exists():
        raise RuntimeError(
            f"could not download {artifact.registry} {spec} as {artifact.archive}: "
            f"{(done.stderr or done.stdout).strip()[-500:]}"
            + ("\n(debian: run `apt-get update` first)" if artifact.registry == "debian" else "")
        )
    return target


def _debian_replacement(artifact: Artifact, folder: Path) -> Path | None:
    """The archive of another version when the pinned one has left the archive.

    Debian keeps only the newest security or point-release build of a package, so a pin can
    vanish. The files an excerpt was cut from rarely change between such builds, and every caller
    verifies what it cuts (excerpt and span hashes), so a changed file fails loudly, naming it."""
    import sys

    listed = subprocess.run(["apt-cache", "madison", artifact.package], capture_output=True, text=True)
    versions = [line.split("|")[1].strip() for line in listed.stdout.splitlines() if line.count("|") >= 2]
    for version in versions:
        if version == artifact.version:
            continue
        done = subprocess.run(["apt-get", "download", "-q", f"{artifact.package}={version}"], cwd=folder,
                              capture_output=True, text=True)
        found = sorted(folder.glob(f"{artifact.package}_*.deb"))
        if done.returncode == 0 and found:
            print(f"note: debian {artifact.package} {artifact.version} is no longer in the archive; "
                  f"using {version} (the excerpts are verified by hash; if a hash then differs, this "
                  f"machine's package lists may be stale: run `apt-get update` and delete {folder})", file=sys.stderr)
            return found[0]
    return None


def _deb_data_tar(path: Path) -> tarfile.TarFile:
    # A .deb is an `ar` archive; its data.tar.* member holds the files. `ar` is a trivial format:
    # an 8-byte magic, then 60-byte headers each followed by the (2-byte aligned) member.
    blob = path.read_bytes()
    if not blob.startswith(b"!<arch>\n"):
        raise ValueError(f"{path} is not a Debian package")
    pos = 8
    while pos < len(blob):
        header = blob[pos : pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        if name.startswith("data.tar"):
            data = blob[pos + 60 : pos + 60 + size]
            if name.endswith(".zst"):
                import zstandard  # only Debian packages compressed with zstd need it

                data = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
                return tarfile.open(fileobj=io.BytesIO(data))
            return tarfile.open(fileobj=io.BytesIO(data))
        pos += 60 + size + (size % 2)
    raise ValueError(f"{path}: no data.tar member")


def _open_tar_or_zip(path: Path):
    name = path.name
    if name.endswith(".deb"):
        return _deb_data_tar(path)
    if name.endswith((".whl", ".zip", ".jar")):
        return zipfile.ZipFile(path)
    return tarfile.open(path)


def iter_files(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every regular file inside an archive, in archive order, one pass."""
    with _open_tar_or_zip(path) as archive:
        if isinstance(archive, zipfile.ZipFile):
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, archive.read(info)
            return
        for member in archive:
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None:
                yield member.name, handle.read()


def members(path: Path) -> list[str]:
    """Regular files inside an archive, in archive order."""
    with _open_tar_or_zip(path) as archive:
        if isinstance(archive, zipfile.ZipFile):
            return [i.filename for i in archive.infolist() if not i.is_dir()]
        return [m.name for m in archive.getmembers() if m.isfile()]


def read_member(path: Path, member: str) -> bytes:
    with _open_tar_or_zip(path) as archive:
        if isinstance(archive, zipfile.ZipFile):
            return archive.read(member)
        handle = archive.extractfile(member)
        if handle is None:
            raise KeyError(f"{member} is not a regular file in {path.name}")
        return handle.read()


def cut_lines(data: bytes, first: int, last: int) -> str:
    """Lines first..last (1-based, inclusive) of a UTF-8 file, line endings kept as they are."""
    lines = split_lines(data)
    if not 1 <= first <= last <= len(lines):
        raise ValueError(f"line range {first}-{last} outside the file's {len(lines)} lines")
    return "".join(lines[first - 1 : last])


def split_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    # Split on "\n" only, as editors and `sed -n` number lines; "\r\n" stays in the text.
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
