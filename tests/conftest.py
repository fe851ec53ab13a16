"""Shared test helpers."""

import pytest

from phasediag.cli import main


@pytest.fixture
def run_cli(capsys):
    """Call the CLI entry point in-process: returns (exit status, stdout, stderr)."""

    def run(*args):
        with pytest.raises(SystemExit) as exc:
            main(list(args))
            raise SystemExit(0)
        out = capsys.readouterr()
        return exc.value.code, out.out, out.err

    return run
