"""What the benchmark scripts (compare, same_reports) share: finding the ptdoctor binary of a build."""
import os
import pathlib
import sys


def ptdoctor_binary(given, tool):
    """The binary given, or bin/ptdoctor under a stage/install prefix; exits naming `tool` when there is none."""
    path = pathlib.Path(given)
    if path.is_dir():
        path = path / "bin" / "ptdoctor"
    if not (path.is_file() and os.access(path, os.X_OK)):
        sys.exit(f"{tool}: {given}: not a ptdoctor binary nor a directory with bin/ptdoctor")
    return path.resolve()
