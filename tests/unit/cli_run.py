"""Running `fulfill …` in-process for the CLI tests."""

from fulfill.cli import main


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `fulfill ARGS`; arguments may be paths or numbers."""
    capsys.readouterr()
    code = main(list(map(str, args)))
    out = capsys.readouterr()
    return code, out.out, out.err
